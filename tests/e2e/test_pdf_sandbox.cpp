// test_pdf_sandbox.cpp — the PDF helper refuses to read without its seccomp
// filter, and kaappi and kaappi-scan then store and seal nothing. The filter
// is made to fail by fault injection (KAAPPI_FAULT, which the client passes
// to the helper): pdf.seccomp is the helper's own filter, pdf.nofork the
// filter of each document's process.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

const std::string k_refusal = "the PDF helper could not install its sandbox (seccomp filter: ";

}  // namespace

TEST_CASE("without its seccomp filter the helper reads nothing and import stores nothing", "[pdf-sandbox]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string a = s.make_pdf("a.pdf", {"--seed", "1"});
  std::string b = s.make_pdf("b.pdf", {"--seed", "2"});
  std::string before = s.archive_fingerprint();
  for (std::string fault : {"pdf.seccomp:error", "pdf.nofork:error"}) {
    Result r = s.kaappi({"import", a, b, "--customer", "1001", "--kind", "other", "--json"}, {{"KAAPPI_FAULT", fault}});
    INFO(fault << ": " << r.err);
    CHECK(r.exit_code == 70);  // ErrorKind::io: the operating system refused the sandbox
    CHECK_THAT(r.err, Catch::Contains(a + " was not stored: " + k_refusal) &&
                          Catch::Contains(b + " was not stored: " + k_refusal) &&
                          Catch::Contains("refuses to read PDFs without it"));
    auto results = nlohmann::json::parse(r.out)["results"];
    REQUIRE(results.size() == 2);
    CHECK(results[0]["status"] == "failed");
    CHECK(results[1]["status"] == "failed");
    CHECK(s.archive_fingerprint() == before);
    CHECK(nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].empty());
  }
  // The same files import once the filter can be installed.
  CHECK(s.import({a, b}).size() == 2);
}

TEST_CASE("without its seccomp filter kaappi-scan seals nothing and leaves the scan in place", "[pdf-sandbox]") {
  Sandbox s;
  s.init_archive_with_customer();
  write_text(s.path("archive.pub"), s.kaappi({"key", "public"}).out);
  REQUIRE(s.run({bin("kaappi-scan"), "init", "--station", "desk"}).exit_code == 0);
  std::string scan = s.make_pdf("scan.pdf", {"--seed", "3"});
  std::string scan_sha = sha_of_file(scan);
  std::string inbox = s.archive() + "/inbox";
  for (std::string fault : {"pdf.seccomp:error", "pdf.nofork:error"}) {
    Result r = s.run({bin("kaappi-scan"), scan, "--public-key", s.path("archive.pub"), "--inbox", inbox},
                     {{"KAAPPI_FAULT", fault}});
    INFO(fault << ": " << r.err);
    CHECK(r.exit_code == 70);
    CHECK_THAT(r.err, Catch::StartsWith("kaappi-scan: " + k_refusal) &&
                          Catch::Contains("refuses to read PDFs without it"));
    CHECK(s.run({"/bin/ls", "-A", inbox}).out.empty());
    REQUIRE(file_exists(scan));
    CHECK(sha_of_file(scan) == scan_sha);
  }
}

TEST_CASE("kaappi-pdf-probe on its own exits 15 without its seccomp filter", "[pdf-sandbox]") {
  Sandbox s;
  std::string pdf = s.make_pdf("a.pdf");
  Result refused = s.run({bin("kaappi-pdf-probe")}, {{"KAAPPI_FAULT", "pdf.seccomp:error"}}, pdf);
  CHECK(refused.exit_code == 15);
  CHECK(refused.out.empty());
  CHECK_THAT(refused.err, Catch::StartsWith("the PDF helper could not install its seccomp filter: "));
  Result read = s.run({bin("kaappi-pdf-probe")}, {}, pdf);
  CHECK(read.exit_code == 0);
  CHECK(nlohmann::json::parse(read.out)["pages"] == 1);
}
