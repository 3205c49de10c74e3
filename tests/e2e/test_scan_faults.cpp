// test_scan_faults.cpp — kaappi-scan when something goes wrong around a
// scan: an I/O error while sealing one file (the others are still sealed,
// each said, exit 6 or 70, --json complete); a file swapped in under a
// scan's name between sealing and removing it (never removed nor kept);
// a watch whose rejected/ cannot be used (refused at the start by the one
// rule; later, only the move is retried, never the checks).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// An archive with customer 1001, a registered station "desk", its public key
// in archive.pub and the folders scans/ and keep/.
struct Station {
  Sandbox& s;
  explicit Station(Sandbox& sandbox) : s(sandbox) {
    s.init_archive_with_station();
    s.run({"/bin/mkdir", s.path("scans"), s.path("keep")});
  }
  std::string inbox() const { return s.archive() + "/inbox"; }
  std::vector<std::string> seal(const std::vector<std::string>& files, const std::vector<std::string>& more = {}) const {
    std::vector<std::string> argv = {bin("kaappi-scan")};
    argv.insert(argv.end(), files.begin(), files.end());
    argv.insert(argv.end(), {"--public-key", s.path("archive.pub"), "--inbox", inbox()});
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
  }
  std::vector<std::string> watch(const std::string& seconds) const {
    return {"/usr/bin/timeout", seconds, bin("kaappi-scan"), "watch", s.path("scans"), "--public-key",
            s.path("archive.pub"), "--inbox", inbox(), "--settle", "1", "--grace", "30"};
  }
  std::vector<std::string> list(const std::string& dir) const { return folder_entries(dir); }
};

template <typename F>
bool eventually(F done, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (done()) return true;
    ::usleep(100000);
  }
  return done();
}


template <typename F>
Result stopped_at_put_away(const Sandbox& s, const std::vector<std::string>& argv, F meanwhile) {
  return stopped_at(s, argv, "scan.put_away", meanwhile);
}

std::vector<std::string> envelopes_in(const std::string& inbox) {
  std::vector<std::string> names;
  for (const auto& name : folder_entries(inbox))
    if (name.size() > 5 && name.substr(name.size() - 5) == ".kenv") names.push_back(name);
  return names;
}

}  // namespace

TEST_CASE("kaappi-scan: an I/O error sealing one file leaves it in place, said, the others are sealed, exit 6",
          "[scanner][faults]") {
  Sandbox s;
  Station st(s);
  const std::string a = s.make_pdf("scans/a.pdf", {"--seed", "1"});
  const std::string b = s.make_pdf("scans/b.pdf", {"--seed", "2"});
  const std::string c = s.make_pdf("scans/c.pdf", {"--seed", "3"});
  const std::string b_sha = sha_of_file(b);

  SECTION("text") {
    Result r = s.run(st.seal({a, b, c}), {{"KAAPPI_FAULT", "envelope.rename:enospc@2"}});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.out, Catch::Contains("sealed   " + a + " (1 page) -> ") && Catch::Contains("sealed   " + c + " (1 page) -> "));
    CHECK(r.out.find(b) == std::string::npos);
    CHECK(r.err == "kaappi-scan: " + b + " was not sealed: could not write to the archive: the disk is full "
                   "(the file was left where it is)\n");
    CHECK(st.list(s.path("scans")) == std::vector<std::string>{"b.pdf"});
    CHECK(sha_of_file(b) == b_sha);
    CHECK(st.list(st.inbox()).size() == 2);  // a's and c's, nothing of b's
  }
  SECTION("--json, and none sealed is 70") {
    Result r = s.run(st.seal({a, b, c}, {"--json"}), {{"KAAPPI_FAULT", "envelope.rename:enospc@2"}});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 6);
    const auto results = nlohmann::json::parse(r.out)["results"];
    REQUIRE(results.size() == 3);
    CHECK(results[0]["sealed"] == true);
    CHECK(results[1] == nlohmann::json{{"file", b}, {"sealed", false}, {"failed", true},
                                       {"message", "could not write to the archive: the disk is full"}});
    CHECK(results[2]["sealed"] == true);
    CHECK(st.list(st.inbox()).size() == 2);

    Result none = s.run(st.seal({b}, {"--json"}), {{"KAAPPI_FAULT", "envelope.rename:error"}});
    INFO(none.out << none.err);
    CHECK(none.exit_code == 70);
    CHECK(nlohmann::json::parse(none.out)["results"][0]["failed"] == true);
    CHECK(sha_of_file(b) == b_sha);
    CHECK(st.list(st.inbox()).size() == 2);
  }
}

TEST_CASE("kaappi-scan never removes nor keeps a file put under a scan's name after it was sealed", "[scanner][faults]") {
  Sandbox s;
  Station st(s);
  const std::string a = s.make_pdf("scans/a.pdf", {"--seed", "4"});
  write_text(s.path("other.pdf"), "another file, renamed into a.pdf's name after a.pdf was sealed\n");
  const std::string other_sha = sha_of_file(s.path("other.pdf"));
  const std::string keep = GENERATE(std::string(), std::string("keep"));
  INFO("--keep " << keep);
  std::vector<std::string> more = {"--json"};
  if (!keep.empty()) more.insert(more.end(), {"--keep", s.path(keep)});

  Result r = stopped_at_put_away(s, st.seal({a}, more), [&] {
    REQUIRE(::rename(s.path("other.pdf").c_str(), a.c_str()) == 0);  // as an SMB rename-into-place would
  });
  INFO(r.out << r.err);
  CHECK(r.exit_code == 6);
  auto result = nlohmann::json::parse(r.out)["results"][0];
  CHECK(result["sealed"] == true);
  CHECK(result["left_in_place"] == true);
  CHECK(result["message"] == a + " was replaced or changed after it was sealed: the file now there is not the one "
                                 "sealed, and was left as it is");
  CHECK(sha_of_file(a) == other_sha);
  CHECK(st.list(s.path("scans")) == std::vector<std::string>{"a.pdf"});  // nothing left under a hidden name
  CHECK(st.list(s.path("keep")).empty());
  CHECK(st.list(st.inbox()).size() == 1);  // the scan sealed, once

  // In text, said as any other sealed scan that is still there.
  const std::string b = s.make_pdf("scans/b.pdf", {"--seed", "5"});
  write_text(s.path("other.pdf"), "another file again\n");
  Result text = stopped_at_put_away(s, st.seal({b}), [&] {
    REQUIRE(::rename(s.path("other.pdf").c_str(), b.c_str()) == 0);
  });
  CHECK(text.exit_code == 6);
  CHECK_THAT(text.err, Catch::Contains("kaappi-scan: sealed " + b + ", but it is still there: " + b +
                                       " was replaced or changed after it was sealed") &&
                           Catch::Contains("(remove or move it yourself; sealing it again would send it twice)"));
  CHECK(read_text(b) == "another file again\n");

  // A scan put away as usual says so in --json too.
  Result plain = s.run(st.seal({s.make_pdf("scans/c.pdf", {"--seed", "6"})}, {"--json"}));
  CHECK(plain.exit_code == 0);
  CHECK(nlohmann::json::parse(plain.out)["results"][0]["left_in_place"] == false);
}

TEST_CASE("kaappi-scan watch: a rejected/ it cannot use at the start is refused as later, by one rule, exit 4",
          "[watch][faults]") {
  Sandbox s;
  Station st(s);
  write_text(s.path("scans/notes.pdf"), "meeting notes, not a scan\n");
  write_text(s.path("scans/rejected"), "a file where the watch's rejected/ folder belongs\n");
  Result r = s.run(st.watch("10"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains(s.path("scans/rejected") + " is a regular file, not a folder"));
  CHECK(read_text(s.path("scans/notes.pdf")) == "meeting notes, not a scan\n");
  CHECK(read_text(s.path("scans/rejected")) == "a file where the watch's rejected/ folder belongs\n");
  CHECK(st.list(st.inbox()).empty());
}

TEST_CASE("kaappi-scan watch: a refused file rejected/ could not take is not checked again, only moved, as it is",
          "[watch][faults]") {
  Sandbox s;
  Station st(s);
  const std::string log = s.path("watch.log");
  std::vector<std::string> argv = st.watch("60");
  argv.erase(argv.begin(), argv.begin() + 2);  // no timeout: stopped below
  int pid = s.spawn(argv, log);
  REQUIRE(eventually([&] { return read_text(log).find("watching") != std::string::npos; }, 20));
  write_text(s.path("scans/rejected"), "a file where the watch's rejected/ folder belongs\n");
  const std::string notes = s.path("scans/notes.pdf");
  const std::string text = "meeting notes, not a scan\n";
  write_text(notes, text);
  REQUIRE(eventually([&] { return read_text(log).find("could not move notes.pdf to rejected/") != std::string::npos; }, 20));
  const std::string first = read_text(log);
  const size_t from = first.find("could not move notes.pdf to rejected/ (") + 39;
  const std::string reason = first.substr(from, first.find("): ", from) - from);

  // The same file, as it was (size and time), but with other bytes: a file
  // checked again would now be waited for (it starts as a PDF does).
  struct stat before {};
  REQUIRE(::stat(notes.c_str(), &before) == 0);
  REQUIRE(s.run({"/bin/rm", s.path("scans/rejected")}).exit_code == 0);
  int fd = ::open(notes.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  const std::string looks_like_pdf = "%PDF-" + text.substr(5);
  REQUIRE(::pwrite(fd, looks_like_pdf.data(), looks_like_pdf.size(), 0) == static_cast<ssize_t>(looks_like_pdf.size()));
  ::close(fd);
  const timespec times[2] = {before.st_atim, before.st_mtim};
  REQUIRE(::utimensat(AT_FDCWD, notes.c_str(), times, 0) == 0);

  CHECK(eventually([&] { return file_exists(s.path("scans/rejected/notes.pdf")); }, 20));
  CHECK(eventually([&] { return read_text(log).find("rejected notes.pdf: ") != std::string::npos; }, 20));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::string all = read_text(log);
  INFO(all);
  INFO("stderr: " << read_text(log + ".err"));
  CHECK(WIFEXITED(status));
  CHECK(read_text(s.path("scans/rejected/notes.pdf.reason")) == reason + "\n");
  CHECK_THAT(all, Catch::Contains("rejected notes.pdf: " + reason + " (moved to rejected/notes.pdf)"));
  CHECK(all.find("waiting for notes.pdf") == std::string::npos);
  CHECK(st.list(st.inbox()).empty());
}

TEST_CASE("kaappi-scan FILE...: one call seals the good files, refuses a bad PDF and one changed while sealed",
          "[scanner][faults][batch]") {
  Sandbox s;
  Station st(s);
  const std::string a = s.make_pdf("scans/a.pdf", {"--seed", "11"});
  const std::string bad = s.path("scans/bad.pdf");
  write_text(bad, "%PDF-1.7\nnot really a PDF at all\n%%EOF\n");
  const std::string c = s.make_pdf("scans/c.pdf", {"--seed", "12"});
  const std::string d = s.make_pdf("scans/d.pdf", {"--seed", "13"});
  // Stopped once the batch's envelopes are durable (the inbox fsynced), before
  // any file is checked or put away: every plaintext is still there; c grows.
  Result r = stopped_at(s, st.seal({a, bad, c, d}), "envelope.dirsync", [&] {
    CHECK(st.list(s.path("scans")) == std::vector<std::string>{"a.pdf", "bad.pdf", "c.pdf", "d.pdf"});
    CHECK(envelopes_in(st.inbox()).size() == 3);
    int fd = ::open(c.c_str(), O_WRONLY | O_APPEND);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, "more\n", 5) == 5);
    ::close(fd);
  });
  INFO(r.out << r.err);
  CHECK(r.exit_code == 6);
  CHECK_THAT(r.out, Catch::Contains("sealed   " + a + " (1 page) -> ") && Catch::Contains("sealed   " + d + " (1 page) -> "));
  CHECK(r.out.find(c) == std::string::npos);
  CHECK_THAT(r.err, Catch::Contains("kaappi-scan: refused " + bad + ": "));
  CHECK_THAT(r.err, Catch::Contains("kaappi-scan: refused " + c + ": it changed while it was being sealed "
                                    "(the file was left where it is)"));
  CHECK(st.list(s.path("scans")) == std::vector<std::string>{"bad.pdf", "c.pdf"});
  CHECK(st.list(st.inbox()).size() == 2);  // a's and d's: c's envelope removed, nothing left of bad's
  // What was sealed is whole: ingest takes both in.
  Result in = s.kaappi({"ingest", "--customer", "1001"});
  INFO(in.out << in.err);
  CHECK(in.exit_code == 0);
  CHECK(envelopes_in(st.inbox()).empty());

  // A file named twice in one call is sealed once, then not found, as one by one.
  const std::string e = s.make_pdf("scans/e.pdf", {"--seed", "14"});
  Result twice = s.run(st.seal({e, e}));
  INFO(twice.out << twice.err);
  CHECK_THAT(twice.out, Catch::Contains("sealed   " + e + " (1 page) -> "));
  CHECK(twice.err == "kaappi-scan: refused " + e + ": file not found (the file was left where it is)\n");
  CHECK(envelopes_in(st.inbox()).size() == 1);
}

TEST_CASE("kaappi-scan FILE... killed at any step of a batch removes no scan before its envelope is durable",
          "[scanner][faults][batch]") {
  for (const char* point : {"envelope.write@4", "envelope.fsync@2", "envelope.rename@2", "envelope.dirsync",
                            "scan.put_away@2"}) {
    DYNAMIC_SECTION("crash at " << point) {
      Sandbox s;
      Station st(s);
      std::vector<std::string> files;
      for (int i = 1; i <= 3; ++i) files.push_back(s.make_pdf("scans/s" + std::to_string(i) + ".pdf", {"--seed", std::to_string(20 + i)}));
      Result r = s.run(st.seal(files), {{"KAAPPI_FAULT", point}});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 128 + SIGKILL);
      CHECK(r.out.empty());  // none was reported sealed: the batch had not ended
      const auto left = st.list(s.path("scans"));
      const auto envelopes = envelopes_in(st.inbox());
      CHECK(st.list(st.inbox()).size() == envelopes.size());  // no half-written temp file
      const bool put_away_started = std::string(point) == "scan.put_away@2";
      // Before the batch's put-away, every plaintext is still there; once it
      // started, every envelope is durable, and only the first scan is gone.
      CHECK(left.size() == (put_away_started ? 2u : 3u));
      if (put_away_started || std::string(point) == "envelope.dirsync") CHECK(envelopes.size() == 3);
      // Every envelope there is whole, and the files left seal again.
      Result in = s.kaappi({"ingest", "--customer", "1001"});
      INFO(in.out << in.err);
      CHECK(in.exit_code == 0);
      std::vector<std::string> again;
      for (const auto& name : left) again.push_back(s.path("scans/" + name));
      CHECK(s.run(st.seal(again)).exit_code == 0);
      CHECK(st.list(s.path("scans")).empty());
    }
  }
}
