// test_scan_watch.cpp — kaappi-scan watch with scanners that pause mid-file:
// a scan still being written is waited for and taken once, whole; one that
// never completes is rejected only after the grace time; one watcher per folder.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// An archive with customer 1001, a registered station "desk" and a scan
// folder share/.
struct WatchSetup {
  Sandbox& s;
  explicit WatchSetup(Sandbox& sandbox) : s(sandbox) {
    s.init_archive_with_customer();
    write_text(s.path("archive.pub"), s.kaappi({"key", "public"}).out);
    Result init = s.run({bin("kaappi-scan"), "init", "--station", "desk", "--json"});
    REQUIRE(init.exit_code == 0);
    REQUIRE(s.kaappi({"station", "add", "desk", nlohmann::json::parse(init.out)["public_key"]}).exit_code == 0);
    s.run({"/bin/mkdir", share()});
  }
  std::string inbox() const { return s.archive() + "/inbox"; }
  std::string share() const { return s.path("share"); }
  std::vector<std::string> watch_args(const std::string& settle, const std::string& grace) const {
    return {bin("kaappi-scan"), "watch", share(), "--public-key", s.path("archive.pub"), "--inbox", inbox(),
            "--settle", settle, "--grace", grace};
  }
  int start(const std::string& log, const std::string& settle = "1", const std::string& grace = "30") const {
    int pid = s.spawn(watch_args(settle, grace), s.path(log));
    REQUIRE(eventually([&] { return read_text(s.path(log)).find("watching") != std::string::npos; }, 20));
    return pid;
  }
  int count(const std::string& dir) const {
    Result r = s.run({"/bin/ls", "-A", dir});
    return static_cast<int>(std::count(r.out.begin(), r.out.end(), '\n'));
  }
  int envelopes() const { return count(inbox()); }
  // Stops a watch and returns its exit code.
  int stop(int pid) const {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Ingests everything and returns the sha of each stored document's bytes.
  std::multiset<std::string> ingested() const {
    Result r = s.kaappi({"ingest", "--customer", "1001", "--json"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    std::multiset<std::string> out;
    auto docs = nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"];
    for (const auto& d : docs) {
      std::string id = std::to_string(d["id"].get<long>());
      REQUIRE(s.kaappi({"get", id, "-o", s.path("got-" + id), "--reason", "t"}).exit_code == 0);
      out.insert(sha_of_file(s.path("got-" + id)));
    }
    return out;
  }

  template <typename F>
  static bool eventually(F done, int seconds) {
    for (int i = 0; i < seconds * 10; ++i) {
      if (done()) return true;
      ::usleep(100000);
    }
    return done();
  }
};

void append(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "ab");
  REQUIRE(f != nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

}  // namespace

TEST_CASE("kaappi-scan watch: a writer pausing longer than --settle mid-file gets one whole envelope", "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  std::string source = s.make_pdf("source.pdf", {"--seed", "71", "--pages", "3"});
  std::string data = read_text(source);
  std::string target = w.share() + "/scan.pdf";
  FILE* f = std::fopen(target.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::fwrite(data.data(), 1, data.size() / 2, f);
  std::fflush(f);
  ::sleep(3);  // three times --settle, the file still open
  CHECK(w.envelopes() == 0);
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  CHECK(file_exists(target));
  std::fwrite(data.data() + data.size() / 2, 1, data.size() - data.size() / 2, f);
  std::fclose(f);
  CHECK(WatchSetup::eventually([&] { return w.envelopes() == 1 && !file_exists(target); }, 20));
  ::sleep(2);
  CHECK(w.envelopes() == 1);
  CHECK(w.stop(pid) == 0);
  std::string log = read_text(s.path("watch.log"));
  CHECK_THAT(log, Catch::Contains("waiting for scan.pdf: it looks unfinished") &&
                      Catch::Contains("sealed scan.pdf (3 pages)"));
  CHECK(log.find("rejected scan.pdf") == std::string::npos);
  CHECK(w.ingested() == std::multiset<std::string>{sha_of_file(source)});
}

TEST_CASE("kaappi-scan watch: a closed truncated-looking file that grows again is taken once, whole", "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  std::string source = s.make_pdf("source.pdf", {"--seed", "72", "--pages", "2"});
  std::string data = read_text(source);
  std::string target = w.share() + "/copied.pdf";
  // An SMB copy: written in pieces, the file closed and opened again between.
  size_t cut = data.size() - 40;  // everything but the end: no %%EOF yet
  append(target, data.substr(0, cut / 3));
  ::sleep(2);
  append(target, data.substr(cut / 3, cut - cut / 3));
  ::sleep(3);
  CHECK(w.envelopes() == 0);
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  append(target, data.substr(cut));
  CHECK(WatchSetup::eventually([&] { return w.envelopes() == 1 && !file_exists(target); }, 20));
  ::sleep(2);
  CHECK(w.envelopes() == 1);
  CHECK(w.stop(pid) == 0);
  CHECK(w.ingested() == std::multiset<std::string>{sha_of_file(source)});
}

TEST_CASE("kaappi-scan watch: a scan that never completes is rejected only after --grace, with a reason", "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log", "1", "4");
  std::string source = s.make_pdf("source.pdf", {"--seed", "73", "--pages", "2"});
  std::string data = read_text(source);
  std::string target = w.share() + "/stuck.pdf";
  write_text(target, data.substr(0, data.size() / 2));
  write_text(w.share() + "/tiny.pdf", "%PD");  // too short to tell: waited for too
  ::sleep(2);  // past --settle, before --grace
  CHECK(file_exists(target));
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  CHECK(WatchSetup::eventually([&] { return file_exists(w.share() + "/rejected/stuck.pdf"); }, 15));
  CHECK(WatchSetup::eventually([&] { return file_exists(w.share() + "/rejected/tiny.pdf"); }, 5));
  CHECK(w.stop(pid) == 0);
  CHECK(read_text(w.share() + "/rejected/stuck.pdf") == data.substr(0, data.size() / 2));
  CHECK_THAT(read_text(w.share() + "/rejected/stuck.pdf.reason"),
             Catch::Contains("unfinished PDF") && Catch::Contains("for 4 seconds"));
  CHECK_THAT(read_text(s.path("watch.log")), Catch::Contains("rejected stuck.pdf: an unfinished PDF"));
  CHECK(w.envelopes() == 0);
}

TEST_CASE("kaappi-scan watch: a second watcher of the same folder exits 4; each scan is taken once", "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch1.log");
  Result second = s.run(w.watch_args("1", "30"));
  CHECK(second.exit_code == 4);
  CHECK_THAT(second.err, Catch::Contains("another kaappi-scan watch is already watching " + w.share()));
  // The same folder by another path (a link to it) is the same folder.
  s.run({"/bin/ln", "-s", w.share(), s.path("share-link")});
  std::vector<std::string> other = w.watch_args("1", "30");
  other[2] = s.path("share-link");
  CHECK(s.run(other).exit_code == 4);
  std::multiset<std::string> expected;
  for (int i = 0; i < 3; ++i) {
    std::string pdf = s.make_pdf("share/scan" + std::to_string(i) + ".pdf", {"--seed", std::to_string(80 + i)});
    expected.insert(sha_of_file(pdf));
  }
  CHECK(WatchSetup::eventually([&] { return w.envelopes() == 3 && w.count(w.share()) == 0; }, 30));
  CHECK(w.stop(pid) == 0);
  CHECK(w.ingested() == expected);
  // Once the first watch is gone, another may start.
  int again = w.start("watch2.log");
  CHECK(w.stop(again) == 0);
}
