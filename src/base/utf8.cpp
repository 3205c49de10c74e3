// utf8.cpp — see utf8.h.
#include "base/utf8.h"

namespace kaappi {

bool decode_utf8(std::string_view text, size_t& at, char32_t& code_point) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(at);
  size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xe ? 3 : (b0 >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || at + len > text.size()) {
    ++at;
    return false;
  }
  char32_t c = len == 1 ? b0 : len == 2 ? (b0 & 0x1f) : len == 3 ? (b0 & 0x0f) : (b0 & 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(at + k) & 0xc0) != 0x80) {
      ++at;
      return false;
    }
    c = (c << 6) | (byte(at + k) & 0x3f);
  }
  static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < k_min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
    ++at;
    return false;
  }
  at += len;
  code_point = c;
  return true;
}

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

bool is_valid_utf8(std::string_view text) {
  size_t at = 0;
  char32_t code_point = 0;
  while (at < text.size())
    if (!decode_utf8(text, at, code_point)) return false;
  return true;
}

bool is_control_character(char32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

}  // namespace kaappi
