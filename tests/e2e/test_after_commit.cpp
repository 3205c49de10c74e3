// test_after_commit.cpp — once a document's row is committed, its blob is the
// archive's: a failure after the commit (the envelope cannot be removed, the
// machine's head record cannot be written, any error at the committed fault
// points: ingest.committed is where its envelope is removed) never takes it back. The command says the document was saved and
// what failed (exit 6), verify stays clean, and the same command again finds
// it stored. And a duplicate is decided only against a document whose blob
// is in place: a scan whose stored copy is gone is stored again (import), or
// its blob put back from the very envelope that made it (ingest), never
// thrown away.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;
using nlohmann::json;

namespace {

struct Setup {
  Sandbox& s;
  explicit Setup(Sandbox& sandbox) : s(sandbox) { s.init_archive_with_station(s.path("desk.key")); }
  std::string inbox() const { return s.archive() + "/inbox"; }
  // Seals `file` as desk into the inbox (forge_envelope's extra arguments); the envelope's path.
  std::string seal(const std::string& file, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {bin("forge_envelope"), "--public-key", s.path("archive.pub"), "--station-key",
                                     s.path("desk.key"), "--inbox", inbox(), "--file", file};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = s.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
  }
  json documents() const { return json::parse(s.kaappi({"documents", "--json"}).out)["documents"]; }
  int envelopes() const {
    Result r = s.run({"/usr/bin/find", inbox(), "-maxdepth", "1", "-name", "*.kenv"});
    return static_cast<int>(std::count(r.out.begin(), r.out.end(), '\n'));
  }
  void verify_clean() const {
    Result v = s.kaappi({"verify", "--full"});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
  }
};

std::string only_blob(const Sandbox& s) {
  Result r = s.run({"/usr/bin/find", s.archive() + "/blobs", "-name", "*.blob"});
  REQUIRE(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  return r.out.substr(0, r.out.find('\n'));
}

// The envelope kept as kept.kenv, ingested again, puts document 1's blob
// back: said so, the envelope removed, the archive verified clean, and
// document 1 read back as `pdf`. Returns the ingest's result.
Result expect_put_back(Sandbox& s, Setup& st, const std::string& pdf) {
  REQUIRE(s.run({"/bin/cp", s.path("kept.kenv"), st.inbox() + "/back.kenv"}).exit_code == 0);
  Result back = s.kaappi({"ingest", "--customer", "1001"});
  INFO(back.out << back.err);
  CHECK(back.exit_code == 0);
  CHECK(back.out.find("already in the archive as document 1, whose encrypted file ") != std::string::npos);
  CHECK(back.out.find(": put back from this envelope (the very file its row signed)") != std::string::npos);
  CHECK(st.envelopes() == 0);
  st.verify_clean();
  REQUIRE(s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
  CHECK(sha_of_file(s.path("out.pdf")) == sha_of_file(pdf));
  return back;
}

}  // namespace

TEST_CASE("a failure after ingest's commit keeps the document and its blob, and the envelope left is found taken in",
          "[ingest][commit]") {
  for (const char* fault : {"ingest.committed:error", "index.committed:error", "state.write:enospc@2"}) {
    DYNAMIC_SECTION("fault " << fault) {
      Sandbox s;
      Setup st(s);
      std::string pdf = s.make_pdf("scan.pdf", {"--seed", "81"});
      const std::string sha = sha_of_file(pdf);
      st.seal(pdf);
      Result r = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", fault}});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 6);
      CHECK(r.out.find("stored\tscan.pdf from desk as document 1 for customer 1001") != std::string::npos);
      CHECK(r.err.find("kaappi: scan.pdf: ") != std::string::npos);
      REQUIRE(st.documents().size() == 1);
      st.verify_clean();  // the blob of the saved row is there
      REQUIRE(s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
      CHECK(sha_of_file(s.path("out.pdf")) == sha);

      Result again = s.kaappi({"ingest"});
      INFO(again.out << again.err);
      CHECK(again.exit_code == 0);
      CHECK(st.envelopes() == 0);
      CHECK(st.documents().size() == 1);
      st.verify_clean();
    }
  }
}

TEST_CASE("a failure after import's commit keeps the documents and their blobs, says so, exit 6",
          "[import][commit]") {
  for (const char* fault : {"index.committed:error", "state.write:enospc@2", "state.rename:error@2"}) {
    DYNAMIC_SECTION("fault " << fault) {
      Sandbox s;
      s.init_archive_with_customer();
      std::string pdf = s.make_pdf("scan.pdf", {"--seed", "83"});
      Result r = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "contract"}, {{"KAAPPI_FAULT", fault}});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 6);
      CHECK(r.out.find("stored   " + pdf + " as document 1") != std::string::npos);
      CHECK(r.err.find("the change was saved") != std::string::npos);
      CHECK(r.err.find("was not stored") == std::string::npos);
      Result v = s.kaappi({"verify", "--full"});
      INFO(v.out << v.err);
      CHECK(v.exit_code == 0);
      Result again = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "contract"});
      CHECK(again.exit_code == 0);
      CHECK(again.out.find("skipped  " + pdf + ": already in the archive as document 1") != std::string::npos);
    }
  }
}

TEST_CASE("a document whose blob is gone is no duplicate: import stores the file again, and says why",
          "[import][commit]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "84"});
  REQUIRE(s.kaappi({"import", pdf, "--customer", "1001", "--kind", "contract"}).exit_code == 0);
  REQUIRE(s.run({"/bin/rm", only_blob(s)}).exit_code == 0);
  Result r = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "contract"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("stored   " + pdf + " as document 2") != std::string::npos);
  CHECK(r.err.find("document 1 holds the same content, but its encrypted file is missing") != std::string::npos);
  REQUIRE(s.kaappi({"get", "2", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
  CHECK(sha_of_file(s.path("out.pdf")) == sha_of_file(pdf));
  Result v = s.kaappi({"verify"});
  CHECK(v.exit_code == 1);  // document 1's loss is still reported
  CHECK(v.out.find("document 1") != std::string::npos);
}

TEST_CASE("ingest puts a lost blob back from the very envelope that made it, and another envelope of the scan is stored "
          "as well",
          "[ingest][commit]") {
  Sandbox s;
  Setup st(s);
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "85"});
  const std::string uid = "0123456789abcdef0123456789abcdef";
  std::string envelope = st.seal(pdf, {"--uid", uid});
  REQUIRE(s.run({"/bin/cp", envelope, s.path("kept.kenv")}).exit_code == 0);
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  const std::string blob = only_blob(s);
  REQUIRE(s.run({"/bin/rm", blob}).exit_code == 0);

  // The same scan sealed again under the same uid: other bytes, so it cannot stand in; stored as a new document.
  st.seal(pdf, {"--uid", uid});
  Result other = s.kaappi({"ingest", "--customer", "1001"});
  INFO(other.out << other.err);
  CHECK(other.exit_code == 0);
  CHECK(other.out.find("as document 2 for customer 1001") != std::string::npos);
  CHECK(other.err.find("document 1 holds the same scan, but its encrypted file is missing") != std::string::npos);
  CHECK(st.envelopes() == 0);
  CHECK(s.kaappi({"verify"}).exit_code == 1);

  // The envelope that made it: its blob is put back, byte for byte the signed one.
  const Result back = expect_put_back(s, st, pdf);
  CHECK(back.out.find("whose encrypted file is missing: put back") != std::string::npos);
}

TEST_CASE("ingest stores a scan again when the document holding it has lost its blob", "[ingest][commit]") {
  Sandbox s;
  Setup st(s);
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "86"});
  st.seal(pdf);
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  REQUIRE(s.run({"/bin/rm", only_blob(s)}).exit_code == 0);
  st.seal(pdf);  // another envelope of the same scan (another id)
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("as document 2 for customer 1001") != std::string::npos);
  CHECK(r.err.find("document 1 holds the same scan, but its encrypted file is missing") != std::string::npos);
  CHECK(st.envelopes() == 0);
  REQUIRE(s.kaappi({"get", "2", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
  CHECK(sha_of_file(s.path("out.pdf")) == sha_of_file(pdf));
}

TEST_CASE("an envelope whose signed summary does not match its scan is rejected, also when the scan is already stored",
          "[ingest][commit]") {
  Sandbox s;
  Setup st(s);
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "87"});
  const std::string uid = "00112233445566778899aabbccddeeff";
  st.seal(pdf, {"--uid", uid});
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  const std::string wrong_hash = "content_hash=\"" + std::string(64, '0') + "\"";
  for (const std::vector<std::string>& lie : std::vector<std::vector<std::string>>{
           {"--set", wrong_hash},                // another envelope of the stored scan
           {"--set", "plain_size=7"},
           {"--set", wrong_hash, "--uid", uid},  // under the stored document's own id
       }) {
    st.seal(pdf, lie);
    Result r = s.kaappi({"ingest", "--customer", "1001"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("does not match what its station signed about it (") != std::string::npos);
    CHECK(r.err.find("it was not taken in and nothing was removed; moved to rejected/") != std::string::npos);
    CHECK(st.envelopes() == 0);
    CHECK(st.documents().size() == 1);
  }
}

TEST_CASE("ingest puts back a blob that was truncated, grown or replaced by a link, even beside another copy in place",
          "[ingest][commit]") {
  Sandbox s;
  Setup st(s);
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "87"});
  std::string envelope = st.seal(pdf);
  REQUIRE(s.run({"/bin/cp", envelope, s.path("kept.kenv")}).exit_code == 0);
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  const std::string blob = only_blob(s);
  const std::string damage = GENERATE(as<std::string>{}, "truncated", "grown", "a link");
  INFO("the blob file " << damage);
  const std::string target = s.path("elsewhere");
  if (damage == "truncated") REQUIRE(s.run({"/usr/bin/truncate", "-s", "1000", blob}).exit_code == 0);
  if (damage == "grown") REQUIRE(s.run({"/bin/sh", "-c", "printf extra >> '" + blob + "'"}).exit_code == 0);
  if (damage == "a link") {
    REQUIRE(s.run({"/bin/sh", "-c", "printf mine > '" + target + "'"}).exit_code == 0);
    REQUIRE(s.run({"/bin/ln", "-sf", target, blob}).exit_code == 0);
  }
  // Another envelope of the scan: stored beside it, and in place.
  st.seal(pdf);
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  CHECK(s.kaappi({"verify"}).exit_code == 1);

  // The envelope that made document 1 puts its blob back, though a copy of the scan is in place.
  expect_put_back(s, st, pdf);
  if (damage == "a link") {
    CHECK(s.run({"/bin/cat", target}).out == "mine");  // replaced, not written through
    CHECK(s.run({"/usr/bin/test", "-L", blob}).exit_code == 1);
  }
}
