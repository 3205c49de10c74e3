// test_ingest_batch.cpp — kaappi ingest takes envelopes in batches, as import
// stores files: several envelopes in one signed commit, a rejected one set
// aside and a duplicate within the batch decided as against the archive, and
// a crash at any step of a batch loses no envelope and stores nothing twice.
#include <signal.h>

#include <map>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

struct Inbox {
  Sandbox& s;
  explicit Inbox(Sandbox& sandbox) : s(sandbox) { s.init_archive_with_station(); }
  std::string path() const { return s.archive() + "/inbox"; }
  // Seals the files into the inbox (kaappi-scan removes them); returns the envelopes.
  std::vector<std::string> seal(const std::vector<std::string>& files) const {
    std::vector<std::string> args = {bin("kaappi-scan")};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"--public-key", s.path("archive.pub"), "--inbox", path(), "--station", "desk", "--json"});
    Result r = s.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> out;
    auto j = nlohmann::json::parse(r.out);
    for (const auto& x : j["results"]) out.push_back(x["envelope"]);
    return out;
  }
  size_t envelopes() const {
    size_t n = 0;
    for (const std::string& name : folder_entries(path())) n += name.size() > 5 && name.substr(name.size() - 5) == ".kenv";
    return n;
  }
  size_t documents() const {
    return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].size();
  }
  long transactions() const { return std::stol(sql_value(s, "SELECT COUNT(*) FROM transactions")); }
};

}  // namespace

TEST_CASE("one ingest of several envelopes commits them together, a rejected one is set aside, and a duplicate "
          "within the batch is one document and one duplicate", "[ingest][batch]") {
  Sandbox s;
  Inbox in(s);
  // Two scans of the same content (kaappi-scan takes its files away: two files made alike).
  const std::string a = s.make_pdf("a.pdf", {"--seed", "61"});
  const std::string a_again = s.make_pdf("a-again.pdf", {"--seed", "61"});
  const std::string sha_a = sha_of_file(a);
  REQUIRE(sha_of_file(a_again) == sha_a);
  const std::string sha_b = sha_of_file(s.make_pdf("b.pdf", {"--seed", "62"}));
  std::vector<std::string> sealed = in.seal({a, s.path("b.pdf"), s.make_pdf("c.pdf", {"--seed", "63"}),
                                             s.make_pdf("x-bad.pdf", {"--seed", "64"}), a_again});
  REQUIRE(sealed.size() == 5);
  std::string bad = read_text(sealed[3]);
  bad[bad.size() / 2] ^= 1;  // inside the blob
  write_text(sealed[3], bad);
  // The very envelope of b twice (a copy under another name): one document.
  const std::string b_copy = in.path() + "/ffffffffffffffffffffffffffffffff.kenv";
  write_text(b_copy, read_text(sealed[1]));

  const long before = in.transactions();
  Result r = s.kaappi({"ingest", "--customer", "1001", "--json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 6);  // one rejected
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 6);
  // Whichever of a pair comes first (inbox order) is stored; the other is its duplicate.
  size_t stored = 0, duplicates = 0, rejected = 0;
  std::map<std::string, long> document_of;  // the content ("a", "b", "c") of a stored one -> its document
  auto content = [](const nlohmann::json& x) { return x["original_name"].get<std::string>().substr(0, 1); };
  for (const auto& x : results) {
    const std::string status = x["status"];
    stored += status == "stored";
    duplicates += status == "duplicate";
    rejected += status == "rejected";
    if (status == "stored") document_of[content(x)] = x["document"].get<long>();
    if (status == "rejected") CHECK_THAT(x["message"].get<std::string>(), Catch::Contains("moved to rejected/"));
  }
  CHECK(stored == 3);
  CHECK(duplicates == 2);
  CHECK(rejected == 1);
  REQUIRE(document_of.size() == 3);
  for (const auto& x : results) {
    if (x["status"] != "duplicate") continue;
    const std::string message = x["message"];
    const long of = document_of[content(x)];
    CHECK(x["document"].get<long>() == of);
    if (content(x) == "a")  // another envelope of the same content
      CHECK(message == "the customer already has this document (document " + std::to_string(of) + "); envelope removed");
    else  // the very envelope of b again
      CHECK(message == "already in the archive as document " + std::to_string(of) + "; envelope removed");
  }
  CHECK(in.transactions() == before + 1);  // the batch's documents in one signed commit
  CHECK(in.documents() == 3);
  CHECK(folder_entries(in.path()) == std::vector<std::string>{"rejected"});
  CHECK(folder_entries(in.path() + "/rejected").size() == 2);  // the envelope and its reason
  CHECK(folder_entries(s.archive() + "/tmp").empty());
  REQUIRE(s.kaappi({"get", std::to_string(document_of["a"]), "-o", s.path("a.out"), "--reason", "test"}).exit_code == 0);
  CHECK(sha_of_file(s.path("a.out")) == sha_a);
  REQUIRE(s.kaappi({"get", std::to_string(document_of["b"]), "-o", s.path("b.out"), "--reason", "test"}).exit_code == 0);
  CHECK(sha_of_file(s.path("b.out")) == sha_b);
  Result v = s.kaappi({"verify", "--full"});
  INFO(v.out << v.err);
  CHECK(v.exit_code == 0);
}

TEST_CASE("ingest killed within a batch, before its commit, stores nothing and leaves every envelope in the inbox, and "
          "the next ingest takes them all in once", "[ingest][batch][crash]") {
  // After the 2nd blob's fsync (the 1st synced too, the 3rd maybe), at the
  // batch's intents, after the 2nd blob was named, after the folders' sync,
  // just before the COMMIT.
  for (const char* point : {"blob.fsync@2", "ingest.intent", "blob.rename@2", "blob.dirsync", "index.commit"}) {
    DYNAMIC_SECTION("crash at " << point) {
      Sandbox s;
      Inbox in(s);
      std::vector<std::string> shas;
      std::vector<std::string> scans;
      for (int i = 0; i < 3; ++i) {
        scans.push_back(s.make_pdf("scan-" + std::to_string(i) + ".pdf", {"--seed", std::to_string(70 + i)}));
        shas.push_back(sha_of_file(scans.back()));
      }
      in.seal(scans);
      Result r = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", point}});
      INFO(r.out << r.err);
      REQUIRE(r.exit_code == 128 + SIGKILL);
      CHECK(in.documents() == 0);
      CHECK(in.envelopes() == 3);

      Result again = s.kaappi({"ingest", "--customer", "1001", "--json"});
      INFO(again.out << again.err);
      CHECK(again.exit_code == 0);
      auto results = nlohmann::json::parse(again.out)["results"];
      REQUIRE(results.size() == 3);
      for (const auto& x : results) CHECK(x["status"] == "stored");
      CHECK(in.documents() == 3);
      CHECK(in.envelopes() == 0);
      for (const auto& x : results) {  // in inbox order
        const std::string name = x["original_name"];
        const std::string id = std::to_string(x["document"].get<long>());
        REQUIRE(s.kaappi({"get", id, "-o", s.path("out" + id), "--reason", "test"}).exit_code == 0);
        CHECK(sha_of_file(s.path("out" + id)) == shas.at(std::stoul(name.substr(5, 1))));  // scan-N.pdf
      }
      Result v = s.kaappi({"verify", "--full"});
      INFO(v.out << v.err);
      CHECK(v.exit_code == 0);
    }
  }
}

TEST_CASE("ingest killed after a batch's commit, before its envelopes are removed: the next ingest finds them taken "
          "in and removes them", "[ingest][batch][crash]") {
  for (const char* point : {"index.committed", "ingest.committed"}) {
    DYNAMIC_SECTION("crash at " << point) {
      Sandbox s;
      Inbox in(s);
      std::vector<std::string> scans;
      for (int i = 0; i < 3; ++i)
        scans.push_back(s.make_pdf("scan-" + std::to_string(i) + ".pdf", {"--seed", std::to_string(80 + i)}));
      in.seal(scans);
      Result r = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", point}});
      INFO(r.out << r.err);
      REQUIRE(r.exit_code == 128 + SIGKILL);
      CHECK(in.documents() == 3);
      CHECK(in.envelopes() == 3);

      const long before = in.transactions();
      Result again = s.kaappi({"ingest", "--json"});  // whichever customer: the very envelopes taken in
      INFO(again.out << again.err);
      CHECK(again.exit_code == 0);
      auto results = nlohmann::json::parse(again.out)["results"];
      REQUIRE(results.size() == 3);
      std::set<long> ids;
      for (const auto& x : results) {
        CHECK(x["status"] == "duplicate");
        CHECK_THAT(x["message"].get<std::string>(), Catch::StartsWith("already in the archive as document") &&
                                                        Catch::EndsWith("; envelope removed"));
        ids.insert(x["document"].get<long>());
      }
      CHECK(ids.size() == 3);
      CHECK(in.transactions() == before);  // nothing committed
      CHECK(in.documents() == 3);
      CHECK(in.envelopes() == 0);
      Result v = s.kaappi({"verify", "--full"});
      INFO(v.out << v.err);
      CHECK(v.exit_code == 0);
    }
  }
}
