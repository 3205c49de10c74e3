// test_pdf_sandbox.cpp — the PDF helper refuses to read without its seccomp
// filter, and kaappi and kaappi-scan then store and seal nothing. The filter
// is made to fail by fault injection (KAAPPI_FAULT, which the client passes
// to the helper): pdf.seccomp is the helper's own filter, pdf.nofork the
// filter of each document's process. With the filter in place, every
// forbidden call the test-only pdf.escape.NAME fault points make the helper
// try (src/pdf/helper/escape_attempts.h) is killed or refused, on its own
// and under kaappi's fork server, and the PDF it aims at stays as it was.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include "harness.h"

using namespace e2e;

namespace {

const std::string k_refusal = "the PDF helper could not install its sandbox (seccomp filter: ";

// What the filter does to each attempt: opens that could write, create or
// truncate fail with EPERM (the document is then read as usual); every other
// forbidden call kills the process with SIGSYS.
const char* const k_refused_attempts[] = {"open-write", "open-rdwr", "open-truncate", "open-create"};
const char* const k_killed_attempts[] = {"creat",  "mkdir",  "truncate", "chmod",  "unlink", "rename",
                                         "link",   "symlink", "socket",  "execve", "ptrace", "signal",
                                         "fork",   "x32"};
constexpr int k_killed_by_seccomp = 128 + 31;  // SIGSYS

// The target of an attempt: a PDF alone in its own folder.
struct Target {
  std::string folder, pdf, sha, listing;
  mode_t mode = 0;
};

mode_t mode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode : 0;
}

Target make_target(Sandbox& s, const std::string& name, int seed) {
  Target t;
  t.folder = s.path(name);
  REQUIRE(s.run({"/bin/mkdir", t.folder}).exit_code == 0);
  t.pdf = s.make_pdf(name + "/scan.pdf", {"--seed", std::to_string(seed)});
  t.sha = sha_of_file(t.pdf);
  t.mode = mode_of(t.pdf);
  t.listing = s.run({"/bin/ls", "-A", t.folder}).out;
  return t;
}

void check_untouched(Sandbox& s, const Target& t) {
  CHECK(s.run({"/bin/ls", "-A", t.folder}).out == t.listing);
  REQUIRE(file_exists(t.pdf));
  CHECK(sha_of_file(t.pdf) == t.sha);
  CHECK(mode_of(t.pdf) == t.mode);
}

std::string escape_fault(const std::string& attempt) { return "pdf.escape." + attempt + ":error"; }

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
    CHECK_THAT(r.err, Catch::StartsWith("kaappi-scan: " + scan + " was not sealed: " + k_refusal) &&
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

TEST_CASE("kaappi-pdf-probe's sandbox kills or refuses every forbidden call and leaves the PDF as it was",
          "[pdf-sandbox]") {
  Sandbox s;
  int seed = 10;
  for (const char* attempt : k_refused_attempts) {
    Target t = make_target(s, attempt, ++seed);
    Result r = s.run({bin("kaappi-pdf-probe")}, {{"KAAPPI_FAULT", escape_fault(attempt)}}, t.pdf);
    INFO(attempt << ": exit " << r.exit_code << ", " << r.err);
    CHECK(r.err == std::string(attempt) + " refused: Operation not permitted\n");
    CHECK(r.exit_code == 0);  // and the document is read as usual
    if (r.exit_code == 0) CHECK(nlohmann::json::parse(r.out)["pages"] == 1);
    check_untouched(s, t);
  }
  for (const char* attempt : k_killed_attempts) {
    Target t = make_target(s, attempt, ++seed);
    Result r = s.run({bin("kaappi-pdf-probe")}, {{"KAAPPI_FAULT", escape_fault(attempt)}}, t.pdf);
    INFO(attempt << ": exit " << r.exit_code << ", " << r.err);
    CHECK(r.exit_code == k_killed_by_seccomp);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    check_untouched(s, t);
  }
}

TEST_CASE("under kaappi's fork server every forbidden call is killed or refused and the PDF stays as it was",
          "[pdf-sandbox]") {
  Sandbox s;
  s.init_archive_with_customer();
  int seed = 40;
  for (const char* attempt : k_refused_attempts) {
    Target t = make_target(s, attempt, ++seed);
    Result r = s.kaappi({"import", t.pdf, "--customer", "1001", "--kind", "other"},
                        {{"KAAPPI_FAULT", escape_fault(attempt)}});
    INFO(attempt << ": exit " << r.exit_code << ", " << r.err);
    CHECK(r.exit_code == 0);  // refused, then read and stored as usual
    CHECK_THAT(r.out, Catch::StartsWith("stored   " + t.pdf));
    check_untouched(s, t);
  }
  for (const char* attempt : k_killed_attempts) {
    Target t = make_target(s, attempt, ++seed);
    std::string before = s.archive_fingerprint();
    Result r = s.kaappi({"import", t.pdf, "--customer", "1001", "--kind", "other"},
                        {{"KAAPPI_FAULT", escape_fault(attempt)}});
    INFO(attempt << ": exit " << r.exit_code << ", " << r.err);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains(t.pdf + " was rejected: the PDF reader crashed"));
    CHECK(s.archive_fingerprint() == before);
    check_untouched(s, t);
  }
}
