// text_fold.cpp — see text_fold.h.
#include "base/text_fold.h"

#include <cstdint>

namespace kaappi {
namespace {

// Decodes one code point at text[i]; returns false (and advances by one byte)
// on invalid UTF-8.
bool decode(std::string_view text, size_t& i, char32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xe ? 3 : (b0 >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > text.size()) {
    ++i;
    return false;
  }
  char32_t c = len == 1 ? b0 : len == 2 ? (b0 & 0x1f) : len == 3 ? (b0 & 0x0f) : (b0 & 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      ++i;
      return false;
    }
    c = (c << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < k_min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
    ++i;
    return false;
  }
  i += len;
  cp = c;
  return true;
}

void encode(char32_t c, std::string& out) {
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

// Latin-1 Supplement U+00C0..U+00FF, folded (0 = keep as is).
constexpr const char* k_latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // C0-CF
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // E0-EF
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y",   // F0-FF
};

// Latin Extended-A U+0100..U+017F: base letters, two code points per letter
// (upper, lower) for most of the block.
constexpr const char* k_latin_ext_a =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllllnnnnnn?nnoooooo??rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

}  // namespace

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  char32_t cp = 0;
  while (i < text.size())
    if (!decode(text, i, cp)) return false;
  return true;
}

std::string fold_for_search(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    if (!decode(text, i, c)) continue;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    } else if (c >= 0xc0 && c <= 0xff && k_latin1[c - 0xc0] != nullptr) {
      out += k_latin1[c - 0xc0];
    } else if (c >= 0x100 && c <= 0x17f) {
      if (c == 0x152 || c == 0x153) out += "oe";
      else if (c == 0x132 || c == 0x133) out += "ij";
      else if (c == 0x138) out += 'k';
      else if (c == 0x149) out += 'n';
      else out += k_latin_ext_a[c - 0x100];
    } else {
      encode(c, out);
    }
  }
  return out;
}

}  // namespace kaappi
