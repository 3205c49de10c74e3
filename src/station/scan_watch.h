// scan_watch.h — kaappi-scan watch: seal whatever a scanner drops into a
// scan-to-folder share.
//
// Office scanners write slowly, sometimes over SMB under temporary names, so
// a file is taken only once it is complete: its size and modification time
// have not changed for `settle` seconds (a close-after-write event makes
// inotify look sooner, but the settle rule decides). Hidden names (.x),
// Office/SMB temp names (~$x, *.tmp, *.part, *.partial, *.crdownload) and
// folders are ignored. Files already there when the watch starts are swept
// in the same way. A file that is not a PDF kaappi can open is moved to
// DIR/rejected/ with NAME.reason beside it, never deleted. One notice per
// file to the observer (kaappi-scan logs it on stdout). Runs until SIGINT or
// SIGTERM.
#pragma once

#include <string>

#include "base/observer.h"
#include "station/scan_station.h"

namespace kaappi {

struct WatchOptions {
  std::string folder;
  int settle_seconds = 3;
};

// Returns when asked to stop (SIGINT/SIGTERM). Throws on an unusable folder.
void watch_scan_folder(const StationKey& station, const StationOptions& options, const WatchOptions& watch,
                       Observer& observer);

// Whether a name in the watched folder is a scan to take (not hidden, not a
// temp name).
bool is_scan_name(const std::string& name);

}  // namespace kaappi
