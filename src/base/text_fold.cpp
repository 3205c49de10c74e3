// text_fold.cpp — see text_fold.h.
#include "base/text_fold.h"

#include <cstdint>

#include "base/utf8.h"

namespace kaappi {
namespace {

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

std::string fold_for_search(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    if (!decode_utf8(text, i, c)) continue;
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
      append_utf8(c, out);
    }
  }
  return out;
}

}  // namespace kaappi
