// test_bad_input.cpp — hostile and broken PDFs, faults while writing.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

void expect_rejected(Sandbox& s, const std::string& file, const std::string& reason,
                     const std::map<std::string, std::string>& env = {}) {
  std::string before = s.archive_fingerprint();
  Result r = s.kaappi({"import", file, "--customer", "1001", "--kind", "consent-form"}, env);
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find(file + " was rejected") != std::string::npos);
  CHECK(r.err.find(reason) != std::string::npos);
  CHECK(s.archive_fingerprint() == before);
}

}  // namespace

TEST_CASE("malformed, truncated, encrypted, empty-tree and bomb PDFs are rejected and change nothing", "[bad-input]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string good = s.make_pdf("good.pdf", {"--pages", "2"});

  SECTION("not a PDF") {
    write_text(s.path("notes.pdf"), "Hello, I am a text file pretending.\n");
    expect_rejected(s, s.path("notes.pdf"), "it is not a PDF");
  }
  SECTION("empty file") {
    write_text(s.path("empty.pdf"), "");
    expect_rejected(s, s.path("empty.pdf"), "the file is empty");
  }
  SECTION("truncated") {
    std::string data = read_text(good);
    write_text(s.path("cut.pdf"), data.substr(0, data.size() / 3));
    expect_rejected(s, s.path("cut.pdf"), "not a readable PDF");
  }
  SECTION("garbage after a PDF header") {
    std::string junk = "%PDF-1.7\n";
    for (int i = 0; i < 5000; ++i) junk += static_cast<char>((i * 7919) % 251);
    write_text(s.path("junk.pdf"), junk);
    expect_rejected(s, s.path("junk.pdf"), "not a readable PDF");
  }
  SECTION("password-protected") {
    Result q = s.run({"/usr/bin/qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", good, s.path("locked.pdf")});
    REQUIRE(q.exit_code == 0);
    expect_rejected(s, s.path("locked.pdf"), "password-protected");
  }
  SECTION("zero pages") {
    expect_rejected(s, s.make_pdf("zero.pdf", {"--zero-pages"}), "has no pages");
  }
  SECTION("decompression bomb") {
    expect_rejected(s, s.make_pdf("bomb.pdf", {"--bomb-mb", "400"}), "decompression bomb");
  }
  SECTION("a parser that runs too long is stopped by the wall-clock limit") {
    // 200 MB of content stream under the bomb threshold keeps Poppler busy;
    // with a 1 s limit the helper is killed and the file rejected.
    expect_rejected(s, s.make_pdf("slow.pdf", {"--bomb-mb", "200"}), "took longer than",
                    {{"KAAPPI_PROBE_WALL_SECONDS", "1"}});
  }
  SECTION("a parser that runs too long is stopped by the CPU limit, and said so") {
    expect_rejected(s, s.make_pdf("slow.pdf", {"--bomb-mb", "200"}), "used more than 1 s of CPU",
                    {{"KAAPPI_PROBE_CPU_SECONDS", "1"}});
  }
  SECTION("a parser that needs too much memory is stopped by the memory limit") {
    expect_rejected(s, good, "memory limit", {{"KAAPPI_PROBE_MEMORY_MB", "8"}});
  }
  SECTION("too large for --max-size") {
    Result r = s.kaappi({"import", good, "--customer", "1001", "--kind", "other", "--max-size", "0"});
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("larger than the limit of 0 MiB (--max-size)") != std::string::npos);  // the flag, as kaappi names it
  }
}

TEST_CASE("several files: each stands alone, the output says which were stored, exit 6 if some were and some rejected",
          "[bad-input]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string a = s.make_pdf("a.pdf", {"--seed", "1"});
  std::string b = s.make_pdf("b.pdf", {"--seed", "2"});
  write_text(s.path("bad.pdf"), "no pdf here");
  Result r = s.kaappi({"import", a, s.path("bad.pdf"), b, "--customer", "1001", "--kind", "other", "--json"});
  CHECK(r.exit_code == 6);  // done in part
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[0]["status"] == "stored");
  CHECK(results[1]["status"] == "rejected");
  CHECK(results[2]["status"] == "stored");
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("a full disk or an I/O error while writing leaves nothing half-written", "[faults]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string a = s.make_pdf("a.pdf", {"--pages", "3"});
  std::string before = s.archive_fingerprint(Sandbox::Contents::files_only);
  for (std::string fault : {"blob.write:enospc@2", "blob.write:error", "blob.fsync:enospc", "index.commit:error"}) {
    Result r = s.kaappi({"import", a, "--customer", "1001", "--kind", "other"}, {{"KAAPPI_FAULT", fault}});
    INFO(fault << ": " << r.err);
    CHECK(r.exit_code == 70);
    CHECK(r.err.find("was not stored") != std::string::npos);
    if (fault.find("enospc") != std::string::npos) CHECK(r.err.find("the disk is full") != std::string::npos);
    CHECK(s.archive_fingerprint(Sandbox::Contents::files_only) == before);
    Result docs = s.kaappi({"documents", "--json"});
    CHECK(nlohmann::json::parse(docs.out)["documents"].empty());
  }
  Result v = s.kaappi({"verify", "--full"});
  CHECK(v.exit_code == 0);
  Result get_fault = s.kaappi({"get", "1", "-o", s.path("x.pdf"), "--reason", "r"}, {{"KAAPPI_FAULT", "get.write:enospc"}});
  CHECK(get_fault.exit_code == 5);  // no document 1 yet: nothing was stored above
}

TEST_CASE("get that fails while writing leaves no output file", "[faults]") {
  Sandbox s;
  s.init_archive_with_customer();
  long id = s.import({s.make_pdf("a.pdf", {"--pages", "2"})}).at(0);
  Result r = s.kaappi({"get", std::to_string(id), "-o", s.path("out.pdf"), "--reason", "r"},
                      {{"KAAPPI_FAULT", "get.write:enospc"}});
  CHECK(r.exit_code == 70);
  CHECK(r.err.find("the disk is full") != std::string::npos);
  CHECK_FALSE(file_exists(s.path("out.pdf")));
  Result ls = s.run({"/bin/sh", "-c", "ls -A " + s.dir() + " | grep -c kaappi-tmp || true"});
  CHECK(ls.out == "0\n");
}

TEST_CASE("an archive folder that cannot be written gives a clear error and stays as it was", "[faults]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string a = s.make_pdf("a.pdf");
  // Root ignores permission bits, so make tmp/ impossible to write into by
  // replacing it with a file; as another user, also take write permission away.
  REQUIRE(s.run({"/bin/sh", "-c", "rmdir '" + s.archive() + "/tmp' && touch '" + s.archive() + "/tmp'"}).exit_code == 0);
  std::string before = s.archive_fingerprint(Sandbox::Contents::files_only);
  Result r = s.kaappi({"import", a, "--customer", "1001", "--kind", "other"});
  INFO(r.err);
  // A writer checks the archive's folders before it starts (no planted link
  // or file where a folder belongs): refused as input, nothing written.
  CHECK(r.exit_code == 4);
  CHECK(r.err.find(s.archive() + "/tmp is a regular file, not a folder (nothing was written)") != std::string::npos);
  CHECK(s.archive_fingerprint(Sandbox::Contents::files_only) == before);
  Result docs = s.kaappi({"documents", "--json"});
  CHECK(nlohmann::json::parse(docs.out)["documents"].empty());
  if (::geteuid() != 0) {
    REQUIRE(s.run({"/bin/sh", "-c", "rm '" + s.archive() + "/tmp' && mkdir '" + s.archive() + "/tmp' && chmod 0500 '" +
                                        s.archive() + "/tmp'"}).exit_code == 0);
    Result denied = s.kaappi({"import", a, "--customer", "1001", "--kind", "other"});
    CHECK(denied.exit_code == 70);
    CHECK(denied.err.find("permissions") != std::string::npos);
  }
}
