// test_scan_keep.cpp — kaappi-scan's --keep folder: one that is the scan's
// own folder (or the watched folder), by any path, or on another file system
// is refused before anything is sealed (exit 4, naming both); a scan sealed
// but then not removed or kept is never sealed a second time.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// An archive with a registered station "desk", its public key in archive.pub,
// an inbox and a scan folder scans/ holding a.pdf.
struct KeepSetup {
  Sandbox& s;
  explicit KeepSetup(Sandbox& sandbox) : s(sandbox) {
    s.init_archive_with_station();
    s.run({"/bin/mkdir", s.path("scans"), s.path("keep")});
    s.make_pdf("scans/a.pdf");
  }
  std::string inbox() const { return s.archive() + "/inbox"; }
  int count(const std::string& dir) const {
    Result r = s.run({"/bin/ls", "-A", dir});
    return static_cast<int>(std::count(r.out.begin(), r.out.end(), '\n'));
  }
  std::vector<std::string> seal(const std::vector<std::string>& files, const std::string& keep) const {
    std::vector<std::string> argv = {bin("kaappi-scan")};
    argv.insert(argv.end(), files.begin(), files.end());
    argv.insert(argv.end(), {"--public-key", s.path("archive.pub"), "--inbox", inbox(), "--keep", keep});
    return argv;
  }
  // A watch that would run for ever is stopped after 20 s (exit 124).
  std::vector<std::string> watch(const std::string& folder, const std::string& keep) const {
    return {"/usr/bin/timeout", "20", bin("kaappi-scan"), "watch", folder, "--public-key", s.path("archive.pub"),
            "--inbox", inbox(), "--keep", keep, "--settle", "1"};
  }
};

// A folder on another file system than the sandbox (/dev/shm), or "" when
// there is none.
struct OtherFileSystem {
  std::string path;
  explicit OtherFileSystem(const Sandbox& s) {
    char tmpl[] = "/dev/shm/kaappi-keep-XXXXXX";
    struct stat here {}, there {};
    if (::mkdtemp(tmpl) == nullptr) return;
    if (::stat(tmpl, &there) == 0 && ::stat(s.dir().c_str(), &here) == 0 && here.st_dev != there.st_dev)
      path = tmpl;
    else
      ::rmdir(tmpl);
  }
  ~OtherFileSystem() {
    if (!path.empty()) ::rmdir(path.c_str());
  }
};

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a keep folder that is the scan's own folder, by any path, is refused before anything is sealed",
          "[scanner][keep]") {
  Sandbox s;
  KeepSetup k(s);
  REQUIRE(::symlink(s.dir().c_str(), s.path("via").c_str()) == 0);
  std::string other = s.make_pdf("b.pdf", {"--seed", "2"});  // in another folder: would be sealed first
  const std::string a_sha = sha_of_file(s.path("scans/a.pdf"));
  for (const std::string& keep : {s.path("scans"), s.path("via/scans"), s.dir() + "/./scans/"}) {
    INFO("--keep " << keep);
    Result sealed = s.run(k.seal({other, s.path("scans/a.pdf")}, keep));
    CHECK(sealed.exit_code == 4);
    CHECK_THAT(sealed.err, Catch::Contains("the keep folder " + keep + " is the folder of a.pdf") &&
                               Catch::Contains("itself") && Catch::Contains("--keep"));
    Result watched = s.run(k.watch(s.path("scans"), keep));
    CHECK(watched.exit_code == 4);
    CHECK_THAT(watched.err, Catch::Contains("the keep folder " + keep + " is the watched folder " + s.path("scans")) &&
                                Catch::Contains("itself"));
    CHECK(k.count(k.inbox()) == 0);  // nothing sealed, neither file
    CHECK(sha_of_file(s.path("scans/a.pdf")) == a_sha);
    CHECK(file_exists(other));
    CHECK(k.count(s.path("scans")) == 1);
  }
}

TEST_CASE("a keep folder on another file system is refused before anything is sealed", "[scanner][keep]") {
  Sandbox s;
  KeepSetup k(s);
  OtherFileSystem elsewhere(s);
  if (elsewhere.path.empty()) {
    WARN("no other file system to keep scans on (/dev/shm); skipped");
    return;
  }
  std::string b = s.make_pdf("b.pdf", {"--seed", "2"});
  Result sealed = s.run(k.seal({b, s.path("scans/a.pdf")}, elsewhere.path));
  CHECK(sealed.exit_code == 4);
  CHECK_THAT(sealed.err, Catch::Contains("the keep folder " + elsewhere.path + " is on another file system than the "
                                         "folder of b.pdf " + s.dir()) &&
                             Catch::Contains("--keep"));
  Result watched = s.run(k.watch(s.path("scans"), elsewhere.path));
  CHECK(watched.exit_code == 4);
  CHECK_THAT(watched.err, Catch::Contains("the keep folder " + elsewhere.path +
                                          " is on another file system than the watched folder " + s.path("scans")));
  CHECK(k.count(k.inbox()) == 0);
  CHECK(file_exists(b));
  CHECK(file_exists(s.path("scans/a.pdf")));
  CHECK(k.count(elsewhere.path) == 0);
}

TEST_CASE("a scan sealed but then not removed or kept is left in place, said, exit 6, never sealed twice",
          "[scanner][keep]") {
  Sandbox s;
  KeepSetup k(s);
  const std::string a_sha = sha_of_file(s.path("scans/a.pdf"));
  Result sealed = s.run(k.seal({s.path("scans/a.pdf")}, s.path("keep")), {{"KAAPPI_FAULT", "scan.put_away:error"}});
  CHECK(sealed.exit_code == 6);
  CHECK_THAT(sealed.out, Catch::Contains("sealed   " + s.path("scans/a.pdf")));
  CHECK_THAT(sealed.err, Catch::Contains("sealed " + s.path("scans/a.pdf") + ", but it is still there") &&
                             Catch::Contains("sealing it again would send it twice"));
  CHECK(k.count(k.inbox()) == 1);
  CHECK(sha_of_file(s.path("scans/a.pdf")) == a_sha);
  CHECK(k.count(s.path("keep")) == 0);
  REQUIRE(s.run({"/bin/rm", s.path("scans/a.pdf")}).exit_code == 0);

  // The watch: the keep folder goes away after the start, so the move fails
  // after sealing; the scan is sealed once, and moved once the folder is back.
  const std::string w_sha = sha_of_file(s.make_pdf("w.pdf", {"--seed", "3"}));
  std::vector<std::string> argv = k.watch(s.path("scans"), s.path("keep"));
  argv.erase(argv.begin(), argv.begin() + 2);  // no timeout: stopped below
  const std::string log = s.path("watch.log");
  int pid = s.spawn(argv, log);
  REQUIRE(eventually([&] { return read_text(log).find("watching") != std::string::npos; }, 20));
  REQUIRE(s.run({"/bin/rmdir", s.path("keep")}).exit_code == 0);
  REQUIRE(s.run({"/bin/mv", s.path("w.pdf"), s.path("scans/w.pdf")}).exit_code == 0);
  REQUIRE(eventually([&] { return read_text(log).find("but it is still here") != std::string::npos; }, 20));
  REQUIRE(s.run({"/bin/mkdir", s.path("keep")}).exit_code == 0);
  CHECK(eventually([&] { return read_text(log).find("moved to the keep folder: w.pdf") != std::string::npos; }, 45));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::string text = read_text(log);
  INFO(text);
  CHECK(occurrences(text, "sealed w.pdf (") == 1);
  CHECK(k.count(k.inbox()) == 2);  // a.pdf's and w.pdf's, one each
  CHECK(sha_of_file(s.path("keep/w.pdf")) == w_sha);
  CHECK(k.count(s.path("scans")) == 0);
  Result ingest = s.kaappi({"ingest", "--customer", "1001"});
  INFO(ingest.err);
  CHECK(ingest.exit_code == 0);
}
