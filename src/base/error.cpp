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
