// scan_watch.h — kaappi-scan watch: seal whatever a scanner drops into a
// scan-to-folder share.
//
// Office scanners write slowly, sometimes over SMB under temporary names, and
// may pause mid-file for longer than any settle time. A file is taken only
// once it is complete:
// - A file the watch saw being written (inotify: modified or created) is
//   taken only after a close-after-write (or a move into the folder) follows
//   its last change, and then `settle` quiet seconds; while a writer holds it
//   open it is waited for, up to `grace` seconds after its last change.
// - A file with no such events (there when the watch started; a file system
//   that sends none) is taken when its size and time have not changed for
//   `settle` seconds.
// - Either way it must then look whole and pass every check: it starts with
//   %PDF-, ends like a whole PDF (%%EOF in its last 1024 bytes), and the PDF
//   helper reads it.
// A failed check means "wait", not "reject", while the file could still
// become a PDF: its first byte is zero (preallocated, not written yet), its
// bytes are the start of "%PDF-", or "%PDF-" is in its first 1024 bytes
// (truncated, zeros not yet written over, a linearized PDF's early %%EOF).
// Such a file is rejected only after `grace` seconds without change. A file
// that cannot become a PDF (a JPEG, a text file) is rejected as soon as it is
// taken. Any change restarts the wait, so a file that grows again is taken
// once, whole.
// After sealing, the file is removed (or moved to the keep folder) only if
// its name still holds the file as it was read (seal_scan): a file that
// changed, or was replaced or moved, while it was sealed keeps no envelope
// and is waited for again. A writer that opens it by name after it was taken
// makes a new file, taken on its own.
// A file sealed that then cannot be removed or moved to the keep folder
// stays; only that is tried again (every 30 seconds), never the sealing,
// while its name holds the version that was sealed. The keep folder must not
// be the watched folder, nor on another file system (checked at the start).
// Whether a writer holds a file is known from inotify alone, not from a
// scan of /proc/*/fd: the close event comes for every local writer of any
// user (an SMB server's included), while another user's /proc/PID/fd cannot
// be read without privileges, and a writer on another machine shows in
// neither; it would add nothing the events do not already tell.
// Hidden names (.x), Office/SMB temp names (~$x, *.tmp, *.part, *.partial,
// *.crdownload), the name rejected and folders are ignored. Anything else
// that is not a regular file (a FIFO, a symbolic link, a device, a socket)
// is never opened nor followed: once settled it is rejected as it is. A
// rejected file is moved to DIR/rejected/ with NAME.reason beside it, never
// deleted (base/rejected_folder.h: a rejected/ there at the start that it
// cannot use, such as a link, a file or another user's folder, fails the
// start, ErrorKind::rejected); when it cannot be moved later, it stays, the
// notice says so, and only the move is tried again (every 30 seconds, with
// the same reason, never the checks) while it stays as it is. One notice
// per file to the observer (kaappi-scan logs it on stdout). One watcher per
// folder: the watch holds an exclusive lock (flock) on the folder, and a
// second watch of the same folder fails at once (ErrorKind::rejected). Runs
// until the front end asks it to stop (base/stop_request.h); the file being
// sealed then is finished first.
#pragma once

#include <string>

#include "base/observer.h"
#include "base/stop_request.h"
#include "station/scan_station.h"

namespace kaappi {

struct WatchOptions {
  std::string folder;
  int settle_seconds = 3;
  int grace_seconds = 600;
};

// Returns once `stop` is asked. Throws on an unusable folder (or rejected/)
// and when another watch holds it.
void watch_scan_folder(const StationKey& station, const StationOptions& options, const WatchOptions& watch,
                       Observer& observer, StopRequest stop);

// Whether a name in the watched folder is a scan to take: not hidden, not a
// partial-upload or editor temp name (the list is in README, "watch"), not
// an envelope, reason or rejected/.
bool is_scan_name(const std::string& name);

// Why a file looks like a PDF still being written: its first byte is zero,
// or it starts as a PDF does (or is too short to tell) but has no %%EOF in
// its last 1024 bytes. Empty when neither shows.
std::string unfinished_reason(int fd);

// Whether a file that failed a check could still become a PDF as more is
// written (see above); false for a file that never can (a JPEG, text).
bool could_become_pdf(int fd);

}  // namespace kaappi
