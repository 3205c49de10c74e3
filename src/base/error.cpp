// error.cpp — see error.h.
#include "base/error.h"

namespace kaappi {

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
