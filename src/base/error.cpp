// error.cpp — see error.h.
#include "base/error.h"

#include <cerrno>
#include <cstring>

namespace kaappi {

void fail_errno(const std::string& what) {
  int e = errno;
  std::string reason = std::strerror(e);
  if (e == ENOSPC) reason = "the disk is full";
  if (e == EACCES || e == EPERM || e == EROFS) reason += "; check the folder's permissions";
  fail(ErrorKind::io, what + ": " + reason);
}

}  // namespace kaappi
