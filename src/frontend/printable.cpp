// printable.cpp — see printable.h.
#include "frontend/printable.h"

#include <cstdio>

#include "base/utf8.h"

namespace kaappi::frontend {
namespace {

// Bidirectional formatting, line and paragraph separators (shown as \uXXXX, as C1 controls are).
bool is_bidi_or_separator(char32_t c) {
  return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
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
    if (!decode_utf8(text, at, c) || (is_control_character(c) && c < 0x80)) {  // C0 and DEL: \xNN
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(text[from]));
      out += escaped;
    } else if (is_control_character(c) || is_bidi_or_separator(c)) {
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out.append(text.substr(from, at - from));
    }
  }
  return out;
}

}  // namespace kaappi::frontend
