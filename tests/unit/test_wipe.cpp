// test_wipe.cpp — decrypted text that passes through ordinary strings and
// vectors is zeroed in its whole buffer when wiped (base/wipe.h).
#include <catch2/catch.hpp>

#include <string>

#include "base/wipe.h"

using namespace kaappi;

namespace {

bool all_zero(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i)
    if (p[i] != 0) return false;
  return true;
}

}  // namespace

TEST_CASE("wipe zeroes a string's whole buffer, past its size, and keeps the buffer", "[wipe]") {
  for (std::string text : {std::string("Anna"), std::string(300, 'x')}) {
    text.resize(text.size() / 2);  // the old tail stays in the buffer, past the size
    const char* buffer = text.data();
    size_t capacity = text.capacity();
    wipe(text);
    CHECK(text.empty());
    REQUIRE(text.data() == buffer);
    REQUIRE(text.capacity() == capacity);
    CHECK(all_zero(buffer, capacity));
  }
}

TEST_CASE("wipe zeroes a byte vector's whole buffer and keeps the buffer", "[wipe]") {
  std::vector<std::uint8_t> bytes(64, 0xAB);
  bytes.resize(10);
  const std::uint8_t* buffer = bytes.data();
  size_t capacity = bytes.capacity();
  wipe(bytes);
  CHECK(bytes.empty());
  REQUIRE(bytes.data() == buffer);
  REQUIRE(bytes.capacity() == capacity);
  CHECK(all_zero(buffer, capacity));
}
