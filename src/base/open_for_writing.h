// open_for_writing.h — whether some process still holds a file open for
// writing: the one rule by which kaappi-scan watch tells that a file a writer
// opened (before the watch started, or through a descriptor it saw no events
// for) is not finished yet, though it may already look whole. No state.
//
// The kernel's answer is asked through a read lease (fcntl F_SETLEASE
// F_RDLCK), which Linux refuses with EAGAIN while any descriptor anywhere has
// the file open for writing; a lease granted is released at once. A lease
// needs the file's owner (or CAP_LEASE) and a file system that has leases:
// without them the answer is `unknown`, and the caller keeps its other rules.
#pragma once

namespace kaappi {

enum class OpenForWriting { yes, no, unknown };

// Asks about the file `fd` names (an open, read-only descriptor of a regular
// file; it is never written to). A lease break while the lease is held (for
// the microseconds until it is released) signals SIGURG, which is ignored by
// default, never the SIGIO that would end the process; a writer opening the
// file in that moment waits until the release.
OpenForWriting open_for_writing(int fd);

}  // namespace kaappi
