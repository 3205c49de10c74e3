// test_bytes.cpp — hex, base64, little-endian packing.
#include <catch2/catch.hpp>

#include "base/bytes.h"

using namespace kaappi;

TEST_CASE("hex and base64 round-trip and reject bad text", "[bytes]") {
  Bytes data = {0x00, 0xff, 0x10, 0x7f};
  CHECK(to_hex(data) == "00ff107f");
  Bytes back;
  REQUIRE(from_hex("00ff107f", back));
  CHECK(back == data);
  CHECK_FALSE(from_hex("0g", back));
  CHECK_FALSE(from_hex("abc", back));
  CHECK(to_base64(as_bytes("kaappi")) == "a2FhcHBp");
  REQUIRE(from_base64("a2FhcHBp", back));
  CHECK(std::string(back.begin(), back.end()) == "kaappi");
  CHECK_FALSE(from_base64("a2Fh*HBp", back));
}

// Found by fuzz/fuzz_public_key ("kaappi-pk1:" and nothing after it): the
// empty vector's null data() went to libsodium as its output, undefined
// behaviour that the asan preset's UBSan stops at.
TEST_CASE("empty hex and base64 are empty bytes", "[bytes]") {
  Bytes back = {1, 2, 3};
  REQUIRE(from_base64("", back));
  CHECK(back.empty());
  back = {1, 2, 3};
  REQUIRE(from_hex("", back));
  CHECK(back.empty());
}

TEST_CASE("little-endian packing", "[bytes]") {
  Bytes b;
  put_u32(b, 0x01020304);
  put_u64(b, 0x1122334455667788ULL);
  CHECK(b[0] == 0x04);
  CHECK(get_u32(b.data()) == 0x01020304u);
  CHECK(get_u64(b.data() + 4) == 0x1122334455667788ULL);
}
