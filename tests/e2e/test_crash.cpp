// test_crash.cpp — kill -9 during import, at every write step and at random
// moments: afterwards verify --full is clean and each document is either
// wholly in the archive or absent.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "harness.h"

using namespace e2e;

namespace {

// Every stored document must decrypt to exactly one of the source files.
void check_consistent(const Sandbox& s, const std::vector<std::string>& sources, size_t& stored) {
  Result v = s.kaappi({"verify", "--full", "--json"});
  INFO(v.out << v.err);
  REQUIRE(v.exit_code == 0);
  Result docs = s.kaappi({"documents", "--json"});
  REQUIRE(docs.exit_code == 0);
  auto list = nlohmann::json::parse(docs.out)["documents"];
  stored = list.size();
  for (const auto& d : list) {
    std::string out = s.path("check.pdf");
    Result g = s.kaappi({"get", std::to_string(d["id"].get<long>()), "-o", out, "--reason", "crash test", "--force"});
    REQUIRE(g.exit_code == 0);
    std::string got = read_text(out);
    bool matches = false;
    for (const auto& src : sources) matches = matches || got == read_text(src);
    CHECK(matches);
  }
}

// An archive with customer 1001 and five scans for one import of all of them.
struct FiveScans {
  std::vector<std::string> args = {"import"}, sources;
  explicit FiveScans(Sandbox& s) {
    s.init_archive_with_customer();
    for (int i = 0; i < 5; ++i) {
      sources.push_back(s.make_pdf("scan" + std::to_string(i) + ".pdf", {"--seed", std::to_string(500 + i)}));
      args.push_back(sources.back());
    }
    args.insert(args.end(), {"--customer", "1001", "--kind", "consent-form"});
  }
};

}  // namespace

TEST_CASE("a crash after each write step loses nothing reported and leaves nothing corrupt", "[crash]") {
  const std::vector<std::pair<std::string, bool>> points = {
      // fault point, whether the document is in the archive afterwards
      {"import.intent", false}, {"blob.write@3", false}, {"blob.fsync", false}, {"blob.rename", false},
      {"blob.dirsync", false},  {"index.commit", false}, {"index.committed", true},
  };
  for (const auto& [point, present] : points) {
    DYNAMIC_SECTION("crash at " << point) {
      Sandbox s;
      s.init_archive_with_customer();
      std::string pdf = s.make_pdf("scan.pdf", {"--pages", "4", "--size-mb", "1"});
      Result r = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "consent-form"}, {{"KAAPPI_FAULT", point}});
      CHECK(r.exit_code == 128 + SIGKILL);
      CHECK(r.out.find("stored") == std::string::npos);  // nothing was reported as stored
      size_t stored = 0;
      check_consistent(s, {pdf}, stored);
      CHECK(stored == (present ? 1u : 0u));
      // The archive takes the same file normally afterwards.
      Result again = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "consent-form"});
      CHECK(again.exit_code == 0);
      CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
    }
  }
}

TEST_CASE("kaappi recover rolls back an interrupted import without a key", "[crash]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string pdf = s.make_pdf("scan.pdf");
  Result r = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "other"}, {{"KAAPPI_FAULT", "blob.rename"}});
  REQUIRE(r.exit_code == 128 + SIGKILL);
  Result rec = s.run({bin("kaappi"), "--archive", s.archive(), "recover"});
  INFO(rec.err);
  CHECK(rec.exit_code == 0);
  CHECK(rec.out.find("Rolled back 1 interrupted import") != std::string::npos);
  Result again = s.run({bin("kaappi"), "--archive", s.archive(), "recover"});
  CHECK(again.out.find("Nothing to recover") != std::string::npos);
  CHECK(s.kaappi({"verify"}).exit_code == 0);
}

TEST_CASE("a crash between a batch's durable blobs and its commit stores none of the batch, and recover removes "
          "every blob of it", "[crash]") {
  // One call of five files is one batch: its blobs are written one after
  // another, their fsyncs run on the sync queue's threads meanwhile, and they
  // are named in blobs/ only once every fsync returned, then committed.
  const std::vector<std::string> points = {"blob.fsync@3",  "blob.rename@1", "blob.rename@5",
                                           "blob.dirsync", "index.commit"};
  for (const auto& point : points) {
    DYNAMIC_SECTION("crash at " << point) {
      Sandbox s;
      const FiveScans five(s);
      const std::vector<std::string>& args = five.args;
      const std::vector<std::string>& sources = five.sources;
      Result r = s.kaappi(args, {{"KAAPPI_FAULT", point}});
      CHECK(r.exit_code == 128 + SIGKILL);
      CHECK(r.out.find("stored") == std::string::npos);  // nothing was reported as stored
      // Without a key: every blob of the batch goes, whether named yet or not.
      Result rec = s.run({bin("kaappi"), "--archive", s.archive(), "recover"});
      INFO(rec.out << rec.err);
      CHECK(rec.exit_code == 0);
      CHECK(rec.out.find("Rolled back 5 interrupted import") != std::string::npos);
      Result left = s.run({"/bin/sh", "-c", "find '" + s.archive() + "/blobs' '" + s.archive() + "/tmp' -type f | wc -l"});
      CHECK(left.out == "0\n");
      size_t stored = 0;
      check_consistent(s, sources, stored);
      CHECK(stored == 0u);
      // The same call stores all five afterwards.
      Result again = s.kaappi(args);
      CHECK(again.exit_code == 0);
      check_consistent(s, sources, stored);
      CHECK(stored == 5u);
    }
  }
  SECTION("crash just after the batch's commit: all five are stored") {
    Sandbox s;
    const FiveScans five(s);
    const std::vector<std::string>& args = five.args;
    const std::vector<std::string>& sources = five.sources;
    Result r = s.kaappi(args, {{"KAAPPI_FAULT", "index.committed"}});
    CHECK(r.exit_code == 128 + SIGKILL);
    size_t stored = 0;
    check_consistent(s, sources, stored);
    CHECK(stored == 5u);
  }
}

TEST_CASE("kill -9 of imports at random moments, many times over", "[crash]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::vector<std::string> sources;
  for (int i = 0; i < 3; ++i)
    sources.push_back(s.make_pdf("scan" + std::to_string(i) + ".pdf",
                                 {"--pages", "3", "--seed", std::to_string(100 + i), "--size-mb", "6"}));
  std::mt19937 rng(20261125);
  // Unlocking takes ~0.15 s, so delays up to 0.6 s cover unlock, probe, write and commit.
  std::uniform_int_distribution<int> delay_ms(50, 600);
  int killed = 0;
  for (int round = 0; round < 12; ++round) {
    std::vector<std::string> args = {"import"};
    args.insert(args.end(), sources.begin(), sources.end());
    args.insert(args.end(), {"--customer", "1001", "--kind", "contract"});
    int pid = s.spawn_kaappi(args);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    if (::kill(pid, SIGKILL) == 0) ++killed;
    int status = 0;
    ::waitpid(pid, &status, 0);
    size_t stored = 0;
    check_consistent(s, sources, stored);
    CHECK(stored <= sources.size());
  }
  CHECK(killed > 0);
  Result tmp = s.run({"/bin/sh", "-c", "ls -A '" + s.archive() + "/tmp' | wc -l"});
  CHECK(tmp.out == "0\n");
}

TEST_CASE("get killed half-way leaves no plaintext behind, named or not", "[crash]") {
  Sandbox s;
  s.init_archive_with_customer();
  long id = s.import({s.make_pdf("big.pdf", {"--pages", "2", "--size-mb", "3"})}).at(0);
  REQUIRE(s.run({"/bin/mkdir", s.path("out")}).exit_code == 0);
  Result r = s.kaappi({"get", std::to_string(id), "-o", s.path("out/doc.pdf"), "--reason", "r"},
                      {{"KAAPPI_FAULT", "get.write@2"}});
  CHECK(r.exit_code == 128 + SIGKILL);
  Result ls = s.run({"/bin/sh", "-c", "ls -A '" + s.path("out") + "' | wc -l"});
  CHECK(ls.out == "0\n");
  // The read was recorded before any plaintext left the archive.
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("two imports and a verify at the same time take turns and lose nothing", "[concurrency]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::vector<std::string> a, b;
  for (int i = 0; i < 6; ++i) {
    a.push_back(s.make_pdf("a" + std::to_string(i) + ".pdf", {"--seed", std::to_string(300 + i), "--size-mb", "1"}));
    b.push_back(s.make_pdf("b" + std::to_string(i) + ".pdf", {"--seed", std::to_string(400 + i), "--size-mb", "1"}));
  }
  auto args = [](std::vector<std::string> files) {
    files.insert(files.begin(), "import");
    files.insert(files.end(), {"--customer", "1001", "--kind", "other"});
    return files;
  };
  int p1 = s.spawn_kaappi(args(a));
  int p2 = s.spawn_kaappi(args(b));
  Result v = s.kaappi({"verify"});
  CHECK(v.exit_code == 0);  // never sees an import half-done
  int st1 = 0, st2 = 0;
  ::waitpid(p1, &st1, 0);
  ::waitpid(p2, &st2, 0);
  CHECK(WIFEXITED(st1));
  CHECK(WEXITSTATUS(st1) == 0);
  CHECK(WIFEXITED(st2));
  CHECK(WEXITSTATUS(st2) == 0);
  std::vector<std::string> all = a;
  all.insert(all.end(), b.begin(), b.end());
  size_t stored = 0;
  check_consistent(s, all, stored);
  CHECK(stored == 12);
}
