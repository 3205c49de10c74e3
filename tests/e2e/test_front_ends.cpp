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
  CHECK(k.err == "kaappi: unknown option '--no-such-option' (see kaappi verify --help)\n");
  Result scan = s.run({bin("kaappi-scan"), "--no-such-option"});
  CHECK(scan.exit_code == 2);
  CHECK(scan.err.rfind("kaappi-scan: ", 0) == 0);
  CHECK(scan.err.find("(see kaappi-scan --help)\n") != std::string::npos);
}

TEST_CASE("the library's fields are named as each front end's flags", "[front-end]") {
  Sandbox s;
  s.init_archive_with_customer();
  Result source = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state",
                            "granted", "--source", "fax"});
  CHECK(source.exit_code == 2);
  CHECK(source.err.find("kaappi: --source must be signed-form, email, phone, web-form or other, not 'fax' "
                                "(see kaappi consent set --help)\n") !=
        std::string::npos);
  Result document = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state",
                              "granted", "--source", "signed-form"});
  CHECK(document.exit_code == 2);
  CHECK(document.err.find("kaappi: a signed form is evidence only with its document: add --document ID (see kaappi "
                                  "consent set --help)\n") !=
        std::string::npos);
  Result reason = s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", " "});
  CHECK(reason.exit_code == 2);
  CHECK(reason.err.find("kaappi: say why you read this document: --reason TEXT (it is recorded in the access log) "
                              "(see kaappi get --help)\n") !=
        std::string::npos);
  Result output = s.kaappi({"get", "1", "-o", "", "--reason", "look"});
  CHECK(output.exit_code == 2);
  CHECK(output.err.find("kaappi: name the output: -o FILE, or -o - for standard output (see kaappi get --help)\n") != std::string::npos);
  Result key = s.run({bin("kaappi-scan"), "a.pdf", "--public-key", s.path("missing.pub"), "--inbox", s.dir()});
  CHECK(key.exit_code == 5);  // a file named that is not there
  CHECK(key.err.rfind("kaappi-scan: --public-key is neither the kaappi-pk1:... text nor a file: ", 0) == 0);
}
