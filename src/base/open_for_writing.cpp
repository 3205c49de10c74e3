// open_for_writing.cpp — see open_for_writing.h.
#include "base/open_for_writing.h"

#include <fcntl.h>

#include <cerrno>
#include <csignal>

namespace kaappi {

OpenForWriting open_for_writing(int fd) {
  // A lease break is signalled to the holder; SIGIO (the default) would end
  // the process, SIGURG is ignored unless someone handles it.
  if (::fcntl(fd, F_SETSIG, SIGURG) != 0) return OpenForWriting::unknown;
  if (::fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
    ::fcntl(fd, F_SETLEASE, F_UNLCK);
    return OpenForWriting::no;
  }
  // EAGAIN: open for writing somewhere (or mapped shared and writable). EACCES,
  // EPERM: not the owner, no CAP_LEASE. EINVAL: no leases on this file system.
  return errno == EAGAIN ? OpenForWriting::yes : OpenForWriting::unknown;
}

}  // namespace kaappi
