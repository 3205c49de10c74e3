// test_duration.cpp — lengths of time as a person writes them (kaappi unlock --timeout).
#include <catch2/catch.hpp>

#include "base/duration.h"

using namespace kaappi;

TEST_CASE("lengths of time: seconds, minutes, hours, days and their sums, nothing else", "[duration]") {
  CHECK(parse_duration("90s") == 90);
  CHECK(parse_duration("10m") == 600);
  CHECK(parse_duration("10") == 600);  // a bare number: minutes
  CHECK(parse_duration("2h") == 7200);
  CHECK(parse_duration("1h30m") == 5400);
  CHECK(parse_duration("1d") == 86400);
  CHECK(parse_duration("0s") == 0);
  for (const char* bad : {"", "h", "10x", "1h30", "-5m", "1.5h", " 10m", "10m ", "101d", "99999999999999999999s"})
    CHECK_FALSE(parse_duration(bad));
  CHECK(describe_duration(45) == "45 s");
  CHECK(describe_duration(600) == "10 min");
  CHECK(describe_duration(5400) == "1 h 30 min");
  CHECK(describe_duration(7200) == "2 h");
}
