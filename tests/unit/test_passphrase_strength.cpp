// test_passphrase_strength.cpp — when a new passphrase is weak, and which
// rule says so.
#include <catch2/catch.hpp>

#include <cstring>

#include "keys/passphrase_strength.h"

using namespace kaappi;

namespace {

std::vector<std::string> weaknesses(const std::string& text) {
  SecretBuffer pass(text.size());
  if (!text.empty()) std::memcpy(pass.data(), text.data(), text.size());
  return passphrase_weaknesses(pass);
}

const std::string k_short = "it is shorter than 12 characters";
const std::string k_common = "it is one of the most common passwords";

}  // namespace

TEST_CASE("a passphrase shorter than 12 characters is weak, 12 or more (counted in characters) is not", "[passphrase]") {
  CHECK(weaknesses("") == std::vector<std::string>{k_short});
  CHECK(weaknesses("kahvi-tee-7") == std::vector<std::string>{k_short});     // 11
  CHECK(weaknesses("kahvi-tee-77").empty());                                 // 12
  CHECK(weaknesses("äöåäöåäöåäö") == std::vector<std::string>{k_short});     // 11 characters, 22 bytes
  CHECK(weaknesses("äöåäöåäöåäöå").empty());
  CHECK(weaknesses("correct horse battery staple").empty());
}

TEST_CASE("a very common password is weak whatever its case or length, and both rules are named", "[passphrase]") {
  CHECK(weaknesses("123456789012") == std::vector<std::string>{k_common});
  CHECK(weaknesses("PasswordPassword") == std::vector<std::string>{k_common});
  CHECK(weaknesses("Salasana123") == std::vector<std::string>{k_short, k_common});
  CHECK(weaknesses("password") == std::vector<std::string>{k_short, k_common});
  CHECK(weaknesses("passwordpassword1").empty());  // not on the list, long enough
}
