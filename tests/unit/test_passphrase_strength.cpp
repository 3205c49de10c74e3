// test_passphrase_strength.cpp — when a new passphrase is weak, and which
// rule says so.
#include <catch2/catch.hpp>

#include <algorithm>
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
const std::string k_dressed = "it is a common password repeated or with digits or symbols added";
const std::string k_few = "it has too few different characters";
const std::string k_sequence = "it is a keyboard, alphabet or number sequence";
const std::string k_published = "it is the example passphrase published in keys.example";
using Why = std::vector<std::string>;

}  // namespace

TEST_CASE("a passphrase shorter than 12 characters is weak, 12 or more (counted in characters) is not", "[passphrase]") {
  CHECK(weaknesses("") == std::vector<std::string>{k_short});
  CHECK(weaknesses("kahvi-tee-7") == std::vector<std::string>{k_short});     // 11
  CHECK(weaknesses("kahvi-tee-77").empty());                                 // 12
  CHECK(weaknesses("äöåäöåäöåäö") == std::vector<std::string>{k_short, k_few});  // 11 characters, 22 bytes
  CHECK(weaknesses("äöåäöåäöåäöå") == std::vector<std::string>{k_few});  // long enough, but three characters
  CHECK(weaknesses("Sää on hyvä tänään").empty());
  CHECK(weaknesses("correct horse battery staple").empty());
}

TEST_CASE("a very common password is weak whatever its case or length, and both rules are named", "[passphrase]") {
  CHECK(weaknesses("123456789012") == std::vector<std::string>{k_common, k_sequence});
  CHECK(weaknesses("PasswordPassword") == std::vector<std::string>{k_common});
  CHECK(weaknesses("Salasana123") == std::vector<std::string>{k_short, k_common});
  CHECK(weaknesses("password") == std::vector<std::string>{k_short, k_common});
  CHECK(weaknesses("passwordpassword1") == std::vector<std::string>{k_dressed});  // not on the list: the list repeated
}

TEST_CASE("a common password with digits or symbols before or after it, or repeated, is weak", "[passphrase]") {
  for (const char* pass : {"password1234", "Password!2024", "2024password", "!!salasana!!", "Salasana-1234",
                           "qwerty123456", "monkeymonkey.1", "dragondragon", "SunshineSunshine", "welcome 2026!",
                           "passwordpasswordpassword", "abc123abc123"}) {
    INFO(pass);
    auto why = weaknesses(pass);
    CHECK(std::count(why.begin(), why.end(), k_dressed) == 1);
    CHECK(std::count(why.begin(), why.end(), k_common) == 0);
  }
  CHECK(weaknesses("password1234") == Why{k_dressed});
  CHECK(weaknesses("123456789012") == Why{k_common, k_sequence});  // the list itself is named once
  for (const char* pass : {"password manager is handy", "the dragon sleeps at noon", "mypassword is long"}) {
    INFO(pass);
    auto why = weaknesses(pass);
    CHECK(std::count(why.begin(), why.end(), k_dressed) == 0);
  }
}

TEST_CASE("a passphrase of too few different characters, or one character over half of it, is weak", "[passphrase]") {
  CHECK(weaknesses("aaaaaaaaaaaaaaaa") == Why{k_few});
  CHECK(weaknesses("AaAaAaAaAaAaAaAa") == Why{k_few});  // case is not a different character
  CHECK(weaknesses("acacacacegegegeg") == Why{k_few});  // four different ones
  CHECK(weaknesses("xxxxxxxxxxxyz1234") == Why{k_few});  // x is 11 of 17
  CHECK(weaknesses("ääääääääääääää") == Why{k_few});  // counted in characters, not bytes
  CHECK(weaknesses("!!!!!!!!!!!!!!") == Why{k_few});
  CHECK(weaknesses("aaaa") == Why{k_short, k_few});
  CHECK(weaknesses("abcxyzabcxyzabcxyz").size() == 1);  // six different ones, but a sequence
  CHECK(weaknesses("kuusi kukkaa").empty());  // six different, k is 4 of 12
}

TEST_CASE("a keyboard row, alphabet or number sequence, either way, is weak", "[passphrase]") {
  for (const char* pass : {"qwertyuiopasdfgh", "QWERTYUIOPÅ-ASDFGHJKLÖÄ", "asdfghjklöä", "zxcvbnmasdfgh",
                           "poiuytrewqlkjhgfdsa", "abcdefghijklmnop", "zyxwvutsrqponmlk", "123456789012345",
                           "98765432109876", "abcdef-123456", "asdf asdf asdf asdf", "qwertyqwertyqwerty",
                           "xyzåäöabcdef"}) {
    INFO(pass);
    auto why = weaknesses(pass);
    CHECK(std::count(why.begin(), why.end(), k_sequence) == 1);
  }
  CHECK(weaknesses("qwertyuiopasdfgh") == Why{k_sequence});
  for (const char* pass : {"qwerty is a keyboard", "abc-de-fghijk", "abcdefghijk!!", "rtyuiop and more words",
                           "asdfghjkl is a row"}) {
    INFO(pass);
    auto why = weaknesses(pass);
    CHECK(std::count(why.begin(), why.end(), k_sequence) == 0);
  }
}

TEST_CASE("the example passphrase published in keys.example is weak, whatever its case or digits added", "[passphrase]") {
  CHECK(weaknesses("kaappi-example-passphrase") == Why{k_published});
  CHECK(weaknesses("Kaappi-Example-Passphrase") == Why{k_published});
  CHECK(weaknesses("kaappi-example-passphrase1!") == Why{k_published});
  CHECK(weaknesses("kaappi-example-passphrase-2") == Why{k_published});
  CHECK(weaknesses("kaappi example passphrase").empty());  // not the published one
}

TEST_CASE("strong passphrases break no rule", "[passphrase]") {
  for (const char* pass : {"correct horse battery staple", "Kaksi kirahvia ja 3 pöllöä",
                           "seven unrelated words make a passphrase", "kahvi-tee-77", "Tr0ub4dor&3-lamppu",
                           "sininen polkupyörä ui järvessä", "vqz8-Lm2p-Rt7w"}) {
    INFO(pass);
    CHECK(weaknesses(pass).empty());
  }
}
