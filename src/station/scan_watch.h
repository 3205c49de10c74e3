// scan_watch.h — kaappi-scan watch: seal whatever a scanner drops into a
// scan-to-folder share.
//
// Office scanners write slowly, sometimes over SMB under temporary names, and
// may pause mid-file for longer than any settle time. A file is taken only
// once it is complete: its size and modification time have not changed for
// `settle` seconds (inotify's modify, close-after-write and moved-in events
// make the watch look sooner and restart the wait), and it ends like a whole
// PDF (a %%EOF marker in its last 1024 bytes). A file that looks unfinished
// (a PDF's start, or too short to tell, without that end) is waited for up to
// `grace` seconds after it last changed, and only then called bad; one that
// grows again is taken once, whole. A file that changes while it is being
// sealed is not taken: its envelope is removed and it is waited for again.
// Hidden names (.x), Office/SMB temp names (~$x, *.tmp, *.part, *.partial,
// *.crdownload) and folders are ignored. Files already there when the watch
// starts are swept in the same way. A file that is not a PDF kaappi can open
// is moved to DIR/rejected/ with NAME.reason beside it, never deleted (never
// through a link planted as rejected/). One notice per file to the observer
// (kaappi-scan logs it on stdout). One watcher per folder: the watch holds an
// exclusive lock (flock) on the folder, and a second watch of the same
// folder fails at once (ErrorKind::rejected). Runs until SIGINT or SIGTERM.
#pragma once

#include <string>

#include "base/observer.h"
#include "station/scan_station.h"

namespace kaappi {

struct WatchOptions {
  std::string folder;
  int settle_seconds = 3;
  int grace_seconds = 600;
};

// Returns when asked to stop (SIGINT/SIGTERM). Throws on an unusable folder
// and when another watch holds it.
void watch_scan_folder(const StationKey& station, const StationOptions& options, const WatchOptions& watch,
                       Observer& observer);

// Whether a name in the watched folder is a scan to take (not hidden, not a
// temp name).
bool is_scan_name(const std::string& name);

// Whether a file looks like a PDF still being written: it starts as a PDF
// does (or is too short to tell) but has no %%EOF in its last 1024 bytes.
bool looks_unfinished(int fd);

}  // namespace kaappi
