// test_business_id.cpp — Y-tunnus validation.
#include <catch2/catch.hpp>

#include "register/business_id.h"

using namespace kaappi;

TEST_CASE("valid business IDs pass and are normalized", "[business-id]") {
  CHECK(normalize_business_id("2468114-6") == std::optional<std::string>("2468114-6"));
  CHECK(normalize_business_id(" 0112038-9 ") == std::optional<std::string>("0112038-9"));
  CHECK(normalize_business_id("112038-9") == std::optional<std::string>("0112038-9"));  // old six-digit form
  CHECK(normalize_business_id("1572860-0") == std::optional<std::string>("1572860-0"));  // remainder 0
}

TEST_CASE("invalid business IDs are refused", "[business-id]") {
  for (const char* bad : {"2468114-5", "2468114", "24681146", "2468114-", "246811a-6", "12345678-9", "", "-", "2468114-66"}) {
    INFO(bad);
    CHECK_FALSE(normalize_business_id(bad).has_value());
  }
  // Remainder 1 is never issued: 0000010 has sum 4*... find one with remainder 1.
  CHECK_FALSE(normalize_business_id("0000001-0").has_value());  // sum 2, check 9 expected
}
