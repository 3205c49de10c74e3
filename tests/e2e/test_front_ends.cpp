// test_front_ends.cpp — what kaappi and kaappi-scan share through
// frontend/run_main: --version, and errors as one line plus an exit code.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

TEST_CASE("kaappi --version prints the project's version", "[front-end]") {
  Sandbox s;
  Result r = s.run({bin("kaappi"), "--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "kaappi " KAAPPI_VERSION "\n");
  CHECK(r.err.empty());
}

TEST_CASE("kaappi-scan --version prints the project's version", "[front-end]") {
  Sandbox s;
  Result r = s.run({bin("kaappi-scan"), "--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "kaappi-scan " KAAPPI_VERSION "\n");
  CHECK(r.err.empty());
}

TEST_CASE("a parse error is one line on stderr and exit code 2 in both front ends", "[front-end]") {
  Sandbox s;
  Result k = s.run({bin("kaappi"), "--no-such-option", "verify"});
  CHECK(k.exit_code == 2);
  CHECK(k.err.rfind("kaappi: ", 0) == 0);
  CHECK(k.err.find("(see kaappi --help)\n") != std::string::npos);
  Result scan = s.run({bin("kaappi-scan"), "--no-such-option"});
  CHECK(scan.exit_code == 2);
  CHECK(scan.err.rfind("kaappi-scan: ", 0) == 0);
  CHECK(scan.err.find("(see kaappi-scan --help)\n") != std::string::npos);
}
