// test_error.cpp — messages name the caller's inputs by field; each front
// end shows its own name for them, and what() the library's.
#include <catch2/catch.hpp>

#include "base/dates.h"
#include "base/error.h"

using namespace kaappi;

TEST_CASE("a message shows each field as the front end names it", "[error]") {
  Message m = "name the output: " + Field{"output"} + " FILE, or " + Field{"output"} + " - for standard output";
  CHECK(m.text({{"output", "-o"}}) == "name the output: -o FILE, or -o - for standard output");
  CHECK(m.text() == "name the output: output FILE, or output - for standard output");
}

TEST_CASE("a field a front end does not name shows by its own name", "[error]") {
  Message m = Field{"state"} + " must be granted, not '" + std::string("x") + "'";
  CHECK(m.text({{"reason", "--reason"}}) == "state must be granted, not 'x'");
}

TEST_CASE("text that looks like a field is only text", "[error]") {
  Message m = Field{"state"} + " is not 'state'";
  CHECK(m.text({{"state", "--state"}}) == "--state is not 'state'");
}

TEST_CASE("an Error keeps its fields, what() names them the library's way", "[error]") {
  try {
    parse_date("2026-02-30", Field{"effective"});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "effective must be a date like 2026-01-31, not '2026-02-30'");
    CHECK(e.message().text({{"effective", "--effective"}}) ==
          "--effective must be a date like 2026-01-31, not '2026-02-30'");
  }
}
