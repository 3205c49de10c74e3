// test_key_file.cpp — key file generation, parsing, unlocking.
#include <catch2/catch.hpp>

#include "base/bytes.h"
#include "base/error.h"
#include "base/file_io.h"
#include "format/public_key.h"
#include "format/station_key.h"
#include "keys/key_file.h"

using namespace kaappi;

namespace {
SecretBuffer pass(const std::string& s) {
  SecretBuffer b(s.size());
  std::copy(s.begin(), s.end(), b.data());
  return b;
}
}  // namespace

TEST_CASE("a generated key file unlocks with its passphrase and only with it", "[key-file]") {
  UnlockedKey key;
  KeyFile file = KeyFile::generate(pass("correct horse"), KdfCost::named("interactive"), key);
  std::string text = file.serialize();
  KeyFile parsed = KeyFile::parse(text, "test.key");
  CHECK(parsed.box_pk() == key.box_pk);
  CHECK(parsed.sign_pk() == key.sign_pk);
  UnlockedKey again = parsed.unlock(pass("correct horse"));
  CHECK(secret_equal(again.master, key.master));
  CHECK(secret_equal(again.sign_sk, key.sign_sk));
  try {
    parsed.unlock(pass("wrong horse"));
    FAIL("unlocked with a wrong passphrase");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()) == "wrong passphrase for key file test.key");
  }
  CHECK_FALSE(parsed.is_example_key());
}

TEST_CASE("a damaged key file is reported as damaged, and edited public fields fail to unlock", "[key-file]") {
  UnlockedKey key;
  KeyFile file = KeyFile::generate(pass("pw"), KdfCost::named("interactive"), key);
  std::string text = file.serialize();
  CHECK_THROWS_WITH(KeyFile::parse("garbage", "k"), Catch::Contains("damaged or not a kaappi key file"));
  // Change one public-key byte inside the base64 record: the AEAD binds it.
  auto nl = text.find('\n');
  std::string body = text.substr(nl + 1);
  body.pop_back();
  Bytes rec;
  REQUIRE(from_base64(body, rec));
  rec[60] ^= 1;
  std::string edited = text.substr(0, nl + 1) + to_base64(rec) + "\n";
  KeyFile bad = KeyFile::parse(edited, "k");
  CHECK_THROWS_AS(bad.unlock(pass("pw")), Error);
}

TEST_CASE("keys.example is the published example key with the documented passphrase", "[key-file]") {
  KeyFile example = KeyFile::load(std::string(KAAPPI_SOURCE_DIR) + "/keys.example");
  CHECK(example.is_example_key());
  UnlockedKey k = example.unlock(pass("kaappi-example-passphrase"));
  CHECK(k.box_pk == example.box_pk());
}

TEST_CASE("KDF cost names", "[key-file]") {
  CHECK(KdfCost::named("interactive").memlimit < KdfCost::named("moderate").memlimit);
  CHECK_THROWS_AS(KdfCost::named("cheap"), Error);
}

// Found by the fuzz targets key_file, public_key and station_key: a key
// text with nothing after its prefix decoded empty base64 with a null
// output pointer (undefined behaviour, stopped by the asan preset's UBSan).
TEST_CASE("key texts with nothing after their prefix are refused as damaged", "[key-file]") {
  CHECK_THROWS_WITH(ArchivePublicKey::from_text("    kaappi-pk1:    "), Catch::StartsWith("not a kaappi public key"));
  CHECK_THROWS_WITH(parse_station_public("kaappi-spk1:"), Catch::StartsWith("that is not a station public key"));
  CHECK_THROWS_WITH(KeyFile::parse("untrusted comment: kaappi secret key\n\n", "empty.key"),
                    "key file empty.key is damaged or not a kaappi key file");
  try {
    KeyFile::parse("untrusted comment: kaappi secret key\n \n", "empty.key");
    FAIL("an empty key record was taken");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::auth);
  }
}
