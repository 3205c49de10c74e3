// test_scan_watch.cpp — kaappi-scan watch with scanners that pause mid-file:
// a scan still being written is waited for and taken once, whole; one that
// never completes is rejected only after the grace time; one still open for
// writing (also by a writer that opened it before the watch) is not taken;
// one watcher per folder;
// what is not a regular file is set aside unopened; names are logged escaped.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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
    s.init_archive_with_station();
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
  // The watch seals `target` into one envelope and removes it within 20 s,
  // and 2 s later has sealed nothing more.
  void check_taken_once(const std::string& target) const {
    INFO(target);
    CHECK(eventually([&] { return envelopes() == 1 && !file_exists(target); }, 20));
    ::sleep(2);
    CHECK(envelopes() == 1);
  }
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
};

void append(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "ab");
  REQUIRE(f != nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

// A valid PDF incremental update for `pdf` (as make_scan_pdf writes it: a
// classic xref table, /Root 1 0 R): a new Info object, its xref section and
// a trailer pointing back at the previous one, ending in %%EOF.
std::string incremental_update(const std::string& pdf) {
  auto number_after = [&](const std::string& key) {
    size_t at = pdf.rfind(key);
    REQUIRE(at != std::string::npos);
    return std::stol(pdf.substr(at + key.size()));
  };
  const long size = number_after("/Size "), prev = number_after("startxref\n");
  const std::string object = "\n" + std::to_string(size) + " 0 obj\n<< /Title (updated after a pause) >>\nendobj\n";
  char offset[11];
  std::snprintf(offset, sizeof offset, "%010zu", pdf.size() + 1);
  return object + "xref\n0 1\n0000000000 65535 f \n" + std::to_string(size) + " 1\n" + offset + " 00000 n \ntrailer\n<< /Size " +
         std::to_string(size + 1) + " /Root 1 0 R /Info " + std::to_string(size) + " 0 R /Prev " + std::to_string(prev) +
         " >>\nstartxref\n" + std::to_string(pdf.size() + object.size()) + "\n%%EOF\n";
}

// A linearized copy of a scan-like PDF (qpdf): a %%EOF about 500 bytes in,
// after the first-page section.
std::string linearized_pdf(Sandbox& s, const std::string& name, const std::string& seed) {
  std::string plain = s.make_pdf(name + ".plain", {"--seed", seed, "--pages", "3"});
  REQUIRE(s.run({"/usr/bin/qpdf", "--linearize", plain, s.path(name)}).exit_code == 0);
  std::string data = read_text(s.path(name));
  REQUIRE(data.find("%%EOF") < 1000);
  return data;
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
  w.check_taken_once(target);
  CHECK(w.stop(pid) == 0);
  std::string log = read_text(s.path("watch.log"));
  CHECK_THAT(log, Catch::Contains("waiting for scan.pdf: it is still open for writing") &&
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
  w.check_taken_once(target);
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
  CHECK(eventually([&] { return file_exists(w.share() + "/rejected/stuck.pdf"); }, 15));
  CHECK(eventually([&] { return file_exists(w.share() + "/rejected/tiny.pdf"); }, 5));
  CHECK(w.stop(pid) == 0);
  CHECK(read_text(w.share() + "/rejected/stuck.pdf") == data.substr(0, data.size() / 2));
  CHECK_THAT(read_text(w.share() + "/rejected/stuck.pdf.reason"),
             Catch::Contains("unfinished PDF") && Catch::Contains("for 4 seconds"));
  CHECK_THAT(read_text(s.path("watch.log")), Catch::Contains("rejected stuck.pdf: an unfinished PDF"));
  CHECK(w.envelopes() == 0);
}

TEST_CASE("kaappi-scan watch: a second watcher of the same folder exits 4, and each scan is taken once", "[watch]") {
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
  CHECK(eventually([&] { return w.envelopes() == 3 && w.count(w.share()) == 0; }, 30));
  CHECK(w.stop(pid) == 0);
  CHECK(w.ingested() == expected);
  // Once the first watch is gone, another may start.
  int again = w.start("watch2.log");
  CHECK(w.stop(again) == 0);
}

TEST_CASE("kaappi-scan watch: a whole PDF still held open is not taken, and an incremental update after a pause is kept",
          "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  std::string first = read_text(s.make_pdf("first.pdf", {"--seed", "74", "--pages", "2"}));
  std::string whole = first + incremental_update(first);
  write_text(s.path("whole.pdf"), whole);
  REQUIRE(s.run({"/usr/bin/qpdf", "--check", s.path("whole.pdf")}).exit_code == 0);
  std::string target = w.share() + "/scan-inc.pdf";
  FILE* f = std::fopen(target.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::fwrite(first.data(), 1, first.size(), f);  // a complete PDF, ending in %%EOF
  std::fflush(f);
  ::sleep(4);  // four times --settle, the writer still holding it open
  CHECK(w.envelopes() == 0);
  CHECK(file_exists(target));
  std::string update = whole.substr(first.size());
  std::fwrite(update.data(), 1, update.size(), f);
  std::fclose(f);
  w.check_taken_once(target);
  CHECK(w.stop(pid) == 0);
  CHECK_THAT(read_text(s.path("watch.log")), Catch::Contains("waiting for scan-inc.pdf: it is still open for writing"));
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  CHECK(w.ingested() == std::multiset<std::string>{sha_of_file(s.path("whole.pdf"))});
}

TEST_CASE("kaappi-scan watch: a whole PDF a writer opened before the watch started is not taken while it is open",
          "[watch]") {
  // The writer (this test) opened and wrote the file before the watch began: no event tells the watch
  // that it is being written, only the kernel (a read lease is refused while it is open for writing).
  Sandbox s;
  WatchSetup w(s);
  std::string first = read_text(s.make_pdf("first.pdf", {"--seed", "76", "--pages", "2"}));
  std::string whole = first + incremental_update(first);
  write_text(s.path("whole.pdf"), whole);
  REQUIRE(s.run({"/usr/bin/qpdf", "--check", s.path("whole.pdf")}).exit_code == 0);
  std::string target = w.share() + "/heldopen.pdf";
  FILE* f = std::fopen(target.c_str(), "wbe");  // close-on-exec: the watch started below must not inherit it
  REQUIRE(f != nullptr);
  std::fwrite(first.data(), 1, first.size(), f);  // a complete PDF, ending in %%EOF
  std::fflush(f);
  int pid = w.start("watch.log", "1", "30");
  ::sleep(5);  // five times --settle, the writer still holding it open
  CHECK(w.envelopes() == 0);
  CHECK(file_exists(target));
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  std::string update = whole.substr(first.size());
  std::fwrite(update.data(), 1, update.size(), f);
  std::fclose(f);
  w.check_taken_once(target);
  CHECK(w.stop(pid) == 0);
  std::string log = read_text(s.path("watch.log"));
  CHECK_THAT(log, Catch::Contains("waiting for heldopen.pdf: a program still has it open for writing") &&
                      Catch::Contains("sealed heldopen.pdf (2 pages)"));
  CHECK(w.ingested() == std::multiset<std::string>{sha_of_file(s.path("whole.pdf"))});
}

TEST_CASE("kaappi-scan watch: a file held open without a close is taken after --grace without change", "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log", "1", "4");
  std::string source = s.make_pdf("source.pdf", {"--seed", "75", "--pages", "1"});
  std::string data = read_text(source);
  std::string target = w.share() + "/held.pdf";
  FILE* f = std::fopen(target.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::fwrite(data.data(), 1, data.size(), f);
  std::fflush(f);
  ::sleep(2);  // past --settle, before --grace: still waited for
  CHECK(w.envelopes() == 0);
  CHECK(eventually([&] { return w.envelopes() == 1 && !file_exists(target); }, 15));
  std::fclose(f);
  CHECK(w.stop(pid) == 0);
  CHECK(w.ingested() == std::multiset<std::string>{sha_of_file(source)});
}

TEST_CASE("kaappi-scan watch: a preallocated zero-filled file written over later is waited for and taken whole",
          "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  std::string source = s.make_pdf("source.pdf", {"--seed", "76", "--pages", "2"});
  std::string data = read_text(source);
  std::string target = w.share() + "/prealloc.pdf";
  // truncate -s FINALSIZE first (closed), then the content over it in two
  // writes, each by its own open and close, with pauses longer than --settle.
  REQUIRE(s.run({"/usr/bin/truncate", "-s", std::to_string(data.size()), target}).exit_code == 0);
  ::sleep(3);
  CHECK(w.envelopes() == 0);
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  auto write_at = [&](size_t from, size_t to) {
    FILE* f = std::fopen(target.c_str(), "r+b");
    REQUIRE(f != nullptr);
    std::fseek(f, static_cast<long>(from), SEEK_SET);
    std::fwrite(data.data() + from, 1, to - from, f);
    std::fclose(f);
  };
  write_at(0, data.size() / 2);
  ::sleep(3);
  CHECK(w.envelopes() == 0);
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  write_at(data.size() / 2, data.size());
  CHECK(eventually([&] { return w.envelopes() == 1 && !file_exists(target); }, 20));
  CHECK(w.stop(pid) == 0);
  CHECK_THAT(read_text(s.path("watch.log")),
             Catch::Contains("waiting for prealloc.pdf: it looks unfinished (its start is still zeros, not written)"));
  CHECK(w.ingested() == std::multiset<std::string>{sha_of_file(source)});
}

TEST_CASE("kaappi-scan watch: a linearized PDF cut after its early %%EOF is waited for and taken whole", "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  std::string data = linearized_pdf(s, "lin.pdf", "77");
  std::string target = w.share() + "/lin.pdf";
  write_text(target, data.substr(0, 1000));  // closed, with a %%EOF in its last 1024 bytes
  ::sleep(3);
  CHECK(w.envelopes() == 0);
  CHECK_FALSE(file_exists(w.share() + "/rejected"));
  append(target, data.substr(1000));
  CHECK(eventually([&] { return w.envelopes() == 1 && !file_exists(target); }, 20));
  CHECK(w.stop(pid) == 0);
  CHECK_THAT(read_text(s.path("watch.log")), Catch::Contains("waiting for lin.pdf: it looks unfinished ("));
  CHECK(w.ingested() == std::multiset<std::string>{sha_of_file(s.path("lin.pdf"))});
}

TEST_CASE("kaappi-scan watch: zeros and a cut linearized PDF are rejected only after --grace, a JPEG or text at once",
          "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log", "1", "6");
  std::string lin = linearized_pdf(s, "lin.pdf", "78");
  write_text(w.share() + "/cut.pdf", lin.substr(0, 1000));
  REQUIRE(s.run({"/usr/bin/truncate", "-s", "40000", w.share() + "/zeros.pdf"}).exit_code == 0);
  write_text(w.share() + "/photo.pdf", std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01", 16) +
                                           std::string(3000, 'x'));
  write_text(w.share() + "/notes.pdf", "meeting notes, not a scan\n");
  CHECK(eventually([&] {
    return file_exists(w.share() + "/rejected/photo.pdf") && file_exists(w.share() + "/rejected/notes.pdf");
  }, 4));
  CHECK(file_exists(w.share() + "/cut.pdf"));
  CHECK(file_exists(w.share() + "/zeros.pdf"));
  CHECK_THAT(read_text(w.share() + "/rejected/photo.pdf.reason"), Catch::Contains("it is not a PDF"));
  CHECK(eventually([&] {
    return file_exists(w.share() + "/rejected/cut.pdf") && file_exists(w.share() + "/rejected/zeros.pdf");
  }, 15));
  CHECK(w.stop(pid) == 0);
  CHECK(read_text(w.share() + "/rejected/cut.pdf") == lin.substr(0, 1000));
  CHECK_THAT(read_text(w.share() + "/rejected/cut.pdf.reason"),
             Catch::StartsWith("an unfinished PDF (") && Catch::Contains("), and nothing more was written to it for 6 seconds"));
  CHECK_THAT(read_text(w.share() + "/rejected/zeros.pdf.reason"),
             Catch::Contains("an unfinished PDF (its start is still zeros, not written), and nothing more was written "
                             "to it for 6 seconds"));
  CHECK(w.envelopes() == 0);
}

TEST_CASE("kaappi-scan watch: a FIFO, a link or a socket is named once and moved to rejected/, never opened nor followed",
          "[watch][names]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  std::string outside = s.make_pdf("outside.pdf", {"--seed", "90"});
  const std::string outside_sha = sha_of_file(outside);
  REQUIRE(::mkfifo((w.share() + "/pipe.pdf").c_str(), 0600) == 0);
  REQUIRE(::symlink(outside.c_str(), (w.share() + "/link.pdf").c_str()) == 0);  // to a good PDF: still not taken
  REQUIRE(::symlink("/nonexistent/x.pdf", (w.share() + "/dangling.pdf").c_str()) == 0);
  int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string socket_path = w.share() + "/socket.pdf";
  REQUIRE(socket_path.size() < sizeof address.sun_path);
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"pipe.pdf", "it is a FIFO, not a regular file"},
      {"link.pdf", "it is a symbolic link, not a regular file (the link was not followed)"},
      {"dangling.pdf", "it is a symbolic link, not a regular file (the link was not followed)"},
      {"socket.pdf", "it is a socket, not a regular file"}};
  CHECK(eventually([&] { return w.count(w.share() + "/rejected") == 8; }, 15));
  ::sleep(3);  // more rounds of the watch: nothing more is said of them
  CHECK(w.stop(pid) == 0);
  ::close(sock);
  const std::string log = read_text(s.path("watch.log"));
  INFO(log);
  for (const auto& [name, why] : kinds) {
    INFO(name);
    struct stat st {};
    CHECK(::lstat((w.share() + "/rejected/" + name).c_str(), &st) == 0);  // moved as it is
    CHECK_FALSE(::lstat((w.share() + "/" + name).c_str(), &st) == 0);
    CHECK(read_text(w.share() + "/rejected/" + name + ".reason") == why + "\n");
    const std::string line = "rejected " + name + ": " + why + " (moved to rejected/" + name + ")";
    CHECK_THAT(log, Catch::Contains(line));
    size_t first = log.find(line);
    CHECK(log.find(name, first + line.size()) == std::string::npos);  // named in that one line only
    CHECK(log.rfind(name, first) == std::string::npos);
  }
  CHECK(read_text(w.share() + "/rejected/link.pdf") == read_text(outside));  // still a link to it
  CHECK(sha_of_file(outside) == outside_sha);
  CHECK(w.envelopes() == 0);
}

TEST_CASE("kaappi-scan watch: a name with a newline or a bidi override is sealed under one ingest takes in, logged escaped",
          "[watch][names]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  std::string a = s.make_pdf("share/new\nline.pdf", {"--seed", "91"});
  std::string b = s.make_pdf("share/invoice \xe2\x80\xae" "fdp.exe", {"--seed", "92"});
  std::multiset<std::string> expected = {sha_of_file(a), sha_of_file(b)};
  CHECK(eventually([&] { return w.envelopes() == 2 && w.count(w.share()) == 0; }, 20));
  CHECK(w.stop(pid) == 0);
  const std::string log = read_text(s.path("watch.log"));
  INFO(log);
  CHECK_THAT(log, Catch::Contains("sealed new\\x0aline.pdf (1 page) -> ") &&
                      Catch::Contains(".kenv, named new_line.pdf in the archive\n") &&
                      Catch::Contains("sealed invoice \\u202efdp.exe (1 page) -> "));
  CHECK(log.find("\xe2\x80\xae") == std::string::npos);
  CHECK(std::count(log.begin(), log.end(), '\n') == 4);  // watching, two sealed, stopped
  CHECK(w.ingested() == expected);
  const auto documents = nlohmann::json::parse(s.kaappi({"documents", "--json"}).out);
  std::set<std::string> names;
  for (const auto& d : documents["documents"]) names.insert(d["file_name"].get<std::string>());
  CHECK(names == std::set<std::string>{"new_line.pdf", "invoice \xe2\x80\xae" "fdp.exe"});
}

TEST_CASE("kaappi-scan watch: when a file cannot be moved to rejected/, it stays and the log says the move failed",
          "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  write_text(w.share() + "/rejected", "a file where the watch's rejected/ folder belongs\n");
  write_text(w.share() + "/notes.pdf", "meeting notes, not a scan\n");
  CHECK(eventually([&] { return read_text(s.path("watch.log")).find("notes.pdf") != std::string::npos; }, 10));
  CHECK(w.stop(pid) == 0);
  const std::string log = read_text(s.path("watch.log"));
  INFO(log);
  CHECK_THAT(log, Catch::Contains("could not move notes.pdf to rejected/ (") &&
                      Catch::Contains(w.share() + "/rejected is a regular file, not a folder (nothing was written); will retry"));
  CHECK(log.find("could not seal") == std::string::npos);
  CHECK(log.find("could not move rejected") == std::string::npos);  // rejected/'s own name is never a scan
  CHECK(read_text(w.share() + "/notes.pdf") == "meeting notes, not a scan\n");
  CHECK(read_text(w.share() + "/rejected") == "a file where the watch's rejected/ folder belongs\n");
  CHECK(w.envelopes() == 0);
}

TEST_CASE("kaappi-scan watch: partial-upload and editor temp names are never sealed, the renamed scan is",
          "[watch][names]") {
  Sandbox s;
  WatchSetup w(s);
  int pid = w.start("watch.log");
  const std::vector<std::string> temp_names = {
      "scan.pdf.filepart", "scan.pdf.FILEPART", "scan.pdf.part",  "scan.pdf.partial", "scan.pdf.crdownload",
      "scan.pdf.download", "scan.pdf.tmp",      "scan.pdf.temp",  ".scan.pdf.swp",    "scan.pdf.swp",
      "scan.pdf.swx",      "scan.pdf~",         "~$scan.pdf",     ".~lock.scan.pdf#", ".hidden.pdf"};
  int seed = 300;
  for (const auto& name : temp_names) s.make_pdf("share/" + name, {"--seed", std::to_string(++seed)});
  std::string real = s.make_pdf("share/real.pdf", {"--seed", "299"});
  w.check_taken_once(real);
  CHECK(w.stop(pid) == 0);
  const std::string log = read_text(s.path("watch.log"));
  INFO(log);
  for (const auto& name : temp_names) {
    CHECK(file_exists(w.share() + "/" + name));
    CHECK(log.find(name) == std::string::npos);
  }
  // The upload's own rename makes it a scan.
  pid = w.start("watch2.log");
  REQUIRE(::rename((w.share() + "/scan.pdf.filepart").c_str(), (w.share() + "/scan.pdf").c_str()) == 0);
  CHECK(eventually([&] { return w.envelopes() == 2 && !file_exists(w.share() + "/scan.pdf"); }, 20));
  CHECK(w.stop(pid) == 0);
}

TEST_CASE("kaappi-scan watch: once its folder is removed, moved away or replaced, the watch stops with exit 5 saying so",
          "[watch]") {
  Sandbox s;
  WatchSetup w(s);
  auto exits_with = [&](int pid) {
    int status = 0;
    bool ended = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 10);
    if (!ended) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  };
  auto scan_in_new_folder_waits = [&]() {
    std::string pdf = s.make_pdf("share/after.pdf", {"--seed", "401"});
    ::sleep(2);
    CHECK(file_exists(pdf));
    CHECK(w.envelopes() == 0);
  };
  const std::string gone = "kaappi-scan: the watched folder " + w.share();
  SECTION("removed, and another made at its path") {
    int pid = w.start("watch.log");
    REQUIRE(s.run({"/bin/rm", "-rf", w.share()}).exit_code == 0);
    REQUIRE(s.run({"/bin/mkdir", w.share()}).exit_code == 0);
    CHECK(exits_with(pid) == 5);
    const std::string err = read_text(s.path("watch.log.err"));
    INFO(err);
    CHECK_THAT(err, Catch::Contains(gone + " was removed; the watch stops (start it again once the folder is back)") ||
                        Catch::Contains(gone + " was moved away or replaced"));
    scan_in_new_folder_waits();
  }
  SECTION("removed") {
    int pid = w.start("watch.log");
    REQUIRE(s.run({"/bin/rmdir", w.share()}).exit_code == 0);
    CHECK(exits_with(pid) == 5);
    CHECK_THAT(read_text(s.path("watch.log.err")),
               Catch::Contains(gone + " was removed; the watch stops (start it again once the folder is back)"));
  }
  SECTION("moved away, and another made at its path") {
    int pid = w.start("watch.log");
    REQUIRE(::rename(w.share().c_str(), s.path("share.old").c_str()) == 0);
    REQUIRE(s.run({"/bin/mkdir", w.share()}).exit_code == 0);
    CHECK(exits_with(pid) == 5);
    CHECK_THAT(read_text(s.path("watch.log.err")),
               Catch::Contains(gone + " was moved away or replaced (" + w.share() +
                               " no longer names it); the watch stops (start it again to watch what is there)"));
    scan_in_new_folder_waits();
    CHECK(w.count(s.path("share.old")) == 0);
  }
}
