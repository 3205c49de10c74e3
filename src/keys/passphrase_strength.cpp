// passphrase_strength.cpp — see passphrase_strength.h.
#include "keys/passphrase_strength.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/utf8.h"

namespace kaappi {
namespace {

// Among the most used passwords in published breach lists, and Finnish
// favourites; the short ones are caught by the length rule anyway.
constexpr const char* k_common[] = {
    "password",     "123456",         "123456789",    "12345678",     "12345",        "qwerty",
    "1234567890",   "111111",         "123123",       "abc123",       "password1",    "qwerty123",
    "1q2w3e4r",     "1q2w3e4r5t6y",   "qwertyuiop",   "qwertyuiop123", "iloveyou",    "letmein",
    "welcome",      "admin",          "monkey",       "dragon",       "sunshine",     "football",
    "trustno1",     "passw0rd",       "123456789012", "passwordpassword", "password123456",
    "salasana",     "salasana1",      "salasana123",  "salasanasalasana", "kissa123",
    "letmein12345", "welcome12345",   "iloveyou1234", "asdfghjkl",    "asdfghjkl123", "000000000000",
};

// The passphrase of the throwaway key in keys.example, printed in the README.
constexpr const char* k_published = "kaappi-example-passphrase";

// Rows of a US and a Finnish keyboard, the alphabet (Finnish order) and the
// digits (0 after 9, as on a keyboard, and before 1): a run along one, either
// way, is a sequence.
constexpr std::u32string_view k_sequences[] = {
    U"qwertyuiopå", U"asdfghjklöä", U"zxcvbnm", U"abcdefghijklmnopqrstuvwxyzåäö", U"01234567890",
};

constexpr std::size_t k_min_distinct = 6;  // different characters
constexpr std::size_t k_min_run = 3;       // characters in each run of a sequence

// The passphrase as case-folded code points, in locked memory (they are the
// secret too). A byte that is not UTF-8 stands for itself, apart from every
// code point.
class CodePoints {
 public:
  explicit CodePoints(const SecretBuffer& pass) : m_buf(pass.size() * sizeof(char32_t)) {
    const std::string_view text(reinterpret_cast<const char*>(pass.data()), pass.size());
    for (size_t at = 0; at < text.size();) {
      const size_t from = at;
      char32_t c = 0;
      if (!decode_utf8(text, at, c)) c = 0x110000 + static_cast<unsigned char>(text[from]);
      set(m_size++, fold(c));
    }
  }
  std::size_t size() const { return m_size; }
  char32_t operator[](std::size_t i) const {
    char32_t c = 0;
    std::memcpy(&c, m_buf.data() + i * sizeof c, sizeof c);
    return c;
  }

 private:
  // ASCII and Latin-1 capitals (Å, Ä, Ö) to small letters.
  static char32_t fold(char32_t c) {
    if ((c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
    return c;
  }
  void set(std::size_t i, char32_t c) { std::memcpy(m_buf.data() + i * sizeof c, &c, sizeof c); }
  SecretBuffer m_buf;
  std::size_t m_size = 0;
};

// A part [from, to) of the passphrase.
struct Span {
  std::size_t from = 0, to = 0;
  std::size_t size() const { return to - from; }
};

bool is_digit_or_symbol(char32_t c) {
  return c < 0x80 && !((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'));  // ASCII digits, punctuation, space
}

// Whether the part holds exactly `word` (ASCII, small letters).
bool holds(const CodePoints& cps, Span span, std::string_view word) {
  if (span.size() != word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (cps[span.from + i] != static_cast<char32_t>(static_cast<unsigned char>(word[i]))) return false;
  return true;
}

// Whether the part is `word` once or more, back to back.
bool holds_repeated(const CodePoints& cps, Span span, std::string_view word) {
  if (word.empty() || span.size() == 0 || span.size() % word.size() != 0) return false;
  for (std::size_t at = span.from; at < span.to; at += word.size())
    if (!holds(cps, {at, at + word.size()}, word)) return false;
  return true;
}

// Without digits, punctuation and spaces at either end.
Span core_of(const CodePoints& cps, Span span) {
  while (span.from < span.to && is_digit_or_symbol(cps[span.from])) ++span.from;
  while (span.to > span.from && is_digit_or_symbol(cps[span.to - 1])) --span.to;
  return span;
}
std::string_view core_of(std::string_view word) {
  while (!word.empty() && is_digit_or_symbol(static_cast<unsigned char>(word.front()))) word.remove_prefix(1);
  while (!word.empty() && is_digit_or_symbol(static_cast<unsigned char>(word.back()))) word.remove_suffix(1);
  return word;
}

bool is_common(const CodePoints& cps, Span all) {
  for (const char* word : k_common)
    if (holds(cps, all, word)) return true;
  return false;
}

// A common password (its letters), maybe repeated, with digits or symbols
// before or after it: "password1234", "!Salasana2024", "qwertyqwerty".
bool is_common_dressed(const CodePoints& cps, Span all) {
  const Span core = core_of(cps, all);
  for (const char* word : k_common)
    if (holds_repeated(cps, all, word) || holds_repeated(cps, core, core_of(word))) return true;
  return false;
}

bool is_published(const CodePoints& cps, Span all) {
  return holds(cps, all, k_published) || holds(cps, core_of(cps, all), k_published);
}

// Fewer than k_min_distinct different characters, or one of them more than
// half of all.
bool has_little_variety(const CodePoints& cps) {
  std::size_t distinct = 0, most = 0;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::size_t before = 0, count = 0;
    for (std::size_t j = 0; j < cps.size(); ++j) {
      if (cps[j] != cps[i]) continue;
      ++count;
      if (j < i) ++before;
    }
    if (before == 0) ++distinct;
    if (count > most) most = count;
  }
  return cps.size() > 0 && (distinct < k_min_distinct || most * 2 > cps.size());
}

bool next_in_a_sequence(char32_t a, char32_t b) {
  for (std::u32string_view seq : k_sequences)
    for (std::size_t i = 0; i + 1 < seq.size(); ++i)
      if ((seq[i] == a && seq[i + 1] == b) || (seq[i] == b && seq[i + 1] == a)) return true;
  return false;
}

// Only runs of k_min_run or more characters along a keyboard row, the
// alphabet or the digits, either way, maybe one symbol or space apart:
// "qwertyuiopasdfgh", "abcdef123456", "asdf-asdf-asdf".
bool is_sequences(const CodePoints& cps) {
  std::size_t run = 0;  // characters in the run so far
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const bool digit = cps[i] >= U'0' && cps[i] <= U'9';
    if (is_digit_or_symbol(cps[i]) && !digit) {  // a symbol or space: only one, between two runs
      if (run < k_min_run || i + 1 == cps.size()) return false;
      run = 0;
      continue;
    }
    if (run > 0 && next_in_a_sequence(cps[i - 1], cps[i])) {
      ++run;
      continue;
    }
    if (run != 0 && run < k_min_run) return false;
    run = 1;
  }
  return run >= k_min_run;
}

}  // namespace

std::vector<std::string> passphrase_weaknesses(const SecretBuffer& passphrase) {
  std::vector<std::string> why;
  size_t chars = 0;
  for (std::uint8_t b : passphrase.bytes()) chars += (b & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  if (chars < k_min_passphrase_chars)
    why.push_back("it is shorter than " + std::to_string(k_min_passphrase_chars) + " characters");
  const CodePoints cps(passphrase);
  const Span all{0, cps.size()};
  const bool common = is_common(cps, all);
  if (common) why.push_back("it is one of the most common passwords");
  if (!common && is_common_dressed(cps, all))
    why.push_back("it is a common password repeated or with digits or symbols added");
  if (has_little_variety(cps)) why.push_back("it has too few different characters");
  if (is_sequences(cps)) why.push_back("it is a keyboard, alphabet or number sequence");
  if (is_published(cps, all)) why.push_back("it is the example passphrase published in keys.example");
  return why;
}

}  // namespace kaappi
