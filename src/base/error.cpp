// error.cpp — see error.h.
#include "base/error.h"

#include <cerrno>
#include <cstring>

namespace kaappi {

namespace {

// The user's own mistake about a path they named, by errno; io otherwise.
ErrorKind kind_for(int e, PathRole role) {
  bool missing = e == ENOENT || e == ENOTDIR;
  bool refused = e == EACCES || e == EPERM || e == EROFS || e == EISDIR || e == EEXIST || e == ELOOP ||
                 e == ENAMETOOLONG || e == ENXIO || e == EXDEV;
  switch (role) {
    case PathRole::archive:
      return ErrorKind::io;
    case PathRole::user_input:
      return missing ? ErrorKind::not_found : refused ? ErrorKind::rejected : ErrorKind::io;
    case PathRole::user_output:
      return missing || refused ? ErrorKind::rejected : ErrorKind::io;
  }
  return ErrorKind::io;
}

}  // namespace

void fail_errno(const std::string& what, PathRole role) {
  int e = errno;
  std::string reason = std::strerror(e);
  if (e == ENOSPC) reason = "the disk is full";
  if (e == EACCES || e == EPERM || e == EROFS) reason += "; check the folder's permissions";
  fail(kind_for(e, role), what + ": " + reason);
}

Message& Message::operator+=(const Message& more) {
  m_parts.insert(m_parts.end(), more.m_parts.begin(), more.m_parts.end());
  return *this;
}

std::string Message::text(const std::map<std::string, std::string>& names) const {
  std::string out;
  for (const Part& part : m_parts) {
    auto named = part.is_field ? names.find(part.text) : names.end();
    out += named == names.end() ? part.text : named->second;
  }
  return out;
}

}  // namespace kaappi
