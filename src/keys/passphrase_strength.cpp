// passphrase_strength.cpp — see passphrase_strength.h.
#include "keys/passphrase_strength.h"

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

bool same_ignoring_ascii_case(const SecretBuffer& pass, const char* word) {
  size_t i = 0;
  unsigned char diff = 0;
  for (; word[i] != '\0'; ++i) {
    if (i >= pass.size()) return false;
    unsigned char c = pass.data()[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    diff |= static_cast<unsigned char>(c ^ static_cast<unsigned char>(word[i]));
  }
  return i == pass.size() && diff == 0;
}

}  // namespace

std::vector<std::string> passphrase_weaknesses(const SecretBuffer& passphrase) {
  std::vector<std::string> why;
  size_t chars = 0;
  for (std::uint8_t b : passphrase.bytes()) chars += (b & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  if (chars < k_min_passphrase_chars)
    why.push_back("it is shorter than " + std::to_string(k_min_passphrase_chars) + " characters");
  for (const char* word : k_common)
    if (same_ignoring_ascii_case(passphrase, word)) {
      why.push_back("it is one of the most common passwords");
      break;
    }
  return why;
}

}  // namespace kaappi
