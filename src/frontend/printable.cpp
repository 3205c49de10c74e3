// printable.cpp — see printable.h.
#include "frontend/printable.h"

#include <cstdio>

#include "base/utf8.h"

namespace kaappi::frontend {
namespace {

bool shown_escaped(char32_t c) {
  return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char escaped[16];
  for (size_t at = 0; at < text.size();) {
    const size_t from = at;
    char32_t c = 0;
    if (!decode_utf8(text, at, c) || c < 0x20 || c == 0x7f) {
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(text[from]));
      out += escaped;
    } else if (shown_escaped(c)) {
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out.append(text.substr(from, at - from));
    }
  }
  return out;
}

}  // namespace kaappi::frontend
