// test_partial_exit_codes.cpp — import, ingest and kaappi-scan take many
// items, each standing alone, and exit by one rule: 0 when all were done, 6
// when some were done and some not (never 4, "nothing was changed"), and when
// none was done the code of why (4 refused, 5 not there; the worst of them).
#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

std::size_t documents(const Sandbox& s) {
  return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].size();
}

std::size_t lines_in(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("import, ingest and kaappi-scan exit 6 when some items were done and some not, else by why none was",
          "[exit-codes]") {
  Sandbox s;
  s.init_archive_with_station(s.path("desk.key"));
  const std::string inbox = s.archive() + "/inbox";
  write_text(s.path("junk.pdf"), "Dear customer, this is plain text.\n");
  const std::string missing = s.path("no-such-file.pdf");
  auto import = [&](const std::vector<std::string>& files) {
    std::vector<std::string> args = {"import"};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"--customer", "1001", "--kind", "other"});
    return s.kaappi(args);
  };
  auto seal = [&](const std::vector<std::string>& files) {
    std::vector<std::string> argv = {bin("kaappi-scan")};
    argv.insert(argv.end(), files.begin(), files.end());
    argv.insert(argv.end(), {"--public-key", s.path("archive.pub"), "--inbox", inbox, "--station-key", s.path("desk.key")});
    return s.run(argv);
  };

  SECTION("import") {
    Result junk = import({s.make_pdf("a.pdf", {"--seed", "1"}), s.path("junk.pdf")});
    INFO(junk.out << junk.err);
    CHECK(junk.exit_code == 6);
    CHECK_THAT(junk.out, Catch::Contains("stored   " + s.path("a.pdf") + " as document 1"));
    CHECK_THAT(junk.err, Catch::Contains(s.path("junk.pdf") + " was rejected"));
    Result gone = import({missing, s.make_pdf("b.pdf", {"--seed", "2"})});
    INFO(gone.out << gone.err);
    CHECK(gone.exit_code == 6);
    CHECK_THAT(gone.err, Catch::Contains(missing + " was not stored: no such file"));
    CHECK(documents(s) == 2);
    // None done: why, the worst reason first; nothing changed.
    std::string before = s.archive_fingerprint();
    CHECK(import({s.path("junk.pdf")}).exit_code == 4);
    CHECK(import({s.path("junk.pdf"), missing}).exit_code == 5);
    CHECK(s.archive_fingerprint() == before);
    // A duplicate counts as done: the file is in the archive.
    Result dup = import({s.path("a.pdf"), s.path("junk.pdf")});
    INFO(dup.out << dup.err);
    CHECK(dup.exit_code == 6);
    CHECK_THAT(dup.out, Catch::Contains("skipped  " + s.path("a.pdf") + ": already in the archive as document 1"));
    CHECK(documents(s) == 2);
  }
  SECTION("kaappi-scan") {
    std::string a = s.make_pdf("a.pdf", {"--seed", "1"});
    Result junk = seal({a, s.path("junk.pdf")});
    INFO(junk.out << junk.err);
    CHECK(junk.exit_code == 6);
    CHECK_THAT(junk.out, Catch::Contains("sealed   " + a));
    CHECK_THAT(junk.err, Catch::Contains("refused " + s.path("junk.pdf")));
    std::string b = s.make_pdf("b.pdf", {"--seed", "2"});
    Result gone = seal({b, missing});
    INFO(gone.out << gone.err);
    CHECK(gone.exit_code == 6);
    CHECK_THAT(gone.err, Catch::Contains("refused " + missing + ": file not found"));
    CHECK(lines_in(s.run({"/bin/ls", "-A", inbox}).out) == 2);
    // None sealed: why, the worst reason first; nothing written.
    CHECK(seal({s.path("junk.pdf")}).exit_code == 4);
    CHECK(seal({s.path("junk.pdf"), missing}).exit_code == 5);
    CHECK(lines_in(s.run({"/bin/ls", "-A", inbox}).out) == 2);
    CHECK(file_exists(s.path("junk.pdf")));
  }
  SECTION("ingest: a duplicate taken off the inbox is done too") {
    std::string a = s.make_pdf("a.pdf", {"--seed", "1"});
    s.run({"/bin/cp", a, s.path("a-again.pdf")});
    REQUIRE(seal({a}).exit_code == 0);
    REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
    REQUIRE(seal({s.path("a-again.pdf")}).exit_code == 0);  // the same scan sent again
    write_text(inbox + "/0123456789abcdef0123456789abcdef.kenv", "%PDF-1.4 not an envelope");
    Result r = s.kaappi({"ingest", "--customer", "1001"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.out, Catch::Contains("duplicate\t"));
    CHECK_THAT(r.err, Catch::Contains("kaappi: rejected 0123456789abcdef0123456789abcdef.kenv"));
    CHECK(documents(s) == 1);
    CHECK(s.run({"/bin/ls", "-A", inbox}).out == "rejected\n");
  }
}
