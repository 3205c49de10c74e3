// test_privacy.cpp — a copy of the archive folder without the key shows no
// personal data, file names or PDF text; a running kaappi cannot dump core.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

TEST_CASE("the archive folder holds no personal data, file names or document text in plaintext", "[privacy]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string pdf = s.make_pdf("Anna-Asiakas-suostumus.pdf", {"--text", "Salainen sopimusteksti 4711"});
  long id = s.import({pdf}).at(0);
  REQUIRE(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted",
                    "--document", std::to_string(id), "--note", "Soitettu Annalle"}).exit_code == 0);
  REQUIRE(s.kaappi({"get", std::to_string(id), "-o", s.path("o.pdf"), "--reason", "Tarkastuspyyntö Annalta"}).exit_code == 0);
  // Keep a WAL around: copy the folder while it is fresh.
  std::string everything;
  Result files = s.run({"/bin/sh", "-c", "find '" + s.archive() + "' -type f"});
  std::string list = files.out;
  size_t start = 0;
  int count = 0;
  while (start < list.size()) {
    size_t end = list.find('\n', start);
    std::string f = list.substr(start, end - start);
    everything += read_text(f);
    ++count;
    start = end + 1;
  }
  CHECK(count >= 3);
  for (const std::string secret : {"Testiasiakas", "2468114-6", "anna.asiakas", "123 4567", "Ebban tie", "1001",
                                   "Anna-Asiakas", "suostumus.pdf", "Salainen", "4711", "Soitettu", "Tarkastuspyynt",
                                   "research", "kaappi test scanner", "make_scan_pdf"}) {
    INFO(secret);
    CHECK(everything.find(secret) == std::string::npos);
  }
  // The PDF really has that text layer, and it is what kaappi extracts and
  // keeps (encrypted), so the check above could fail.
  Result probe = s.run({bin("kaappi-pdf-probe")}, {}, pdf);
  CHECK(probe.out.find("Salainen sopimusteksti 4711") != std::string::npos);
}

namespace {

std::string proc_line(int pid, const std::string& file, const std::string& start) {
  std::string text = read_text("/proc/" + std::to_string(pid) + "/" + file);
  size_t at = text.find("\n" + start);
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

}  // namespace

TEST_CASE("a running kaappi cannot dump core and its own user cannot read its memory or environment", "[privacy]") {
  Sandbox s;
  s.init_archive_with_customer();
  // A process that is not dumpable cannot be read by another process of its
  // own user (/proc/PID/environ, /proc/PID/mem, ptrace). kaappi must not run
  // as root for that: as root, the test runs it (and the reader) as nobody.
  std::vector<std::string> as_user;
  if (::getuid() == 0) {
    REQUIRE(s.run({"/bin/chown", "-R", "65534:65534", s.dir()}).exit_code == 0);
    as_user = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  // kaappi waits for its passphrase command: it is running, past its start.
  std::vector<std::string> argv = as_user;
  argv.insert(argv.end(), {bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "customer", "list"});
  std::string started = s.path("started");
  int pid = s.spawn(argv, s.path("list.out"),
                    {{"KAAPPI_PASSPHRASE_COMMAND", "touch '" + started + "'; sleep 60; cat '" + s.pass() + "'"}});
  std::string proc = "/proc/" + std::to_string(pid);
  for (int i = 0; i < 200 && !file_exists(started); ++i) ::usleep(50 * 1000);
  std::string uid_line = proc_line(pid, "status", "Uid:");
  std::string core_line = proc_line(pid, "limits", "Max core file size");
  std::vector<std::string> read_environ = as_user;
  read_environ.insert(read_environ.end(), {"/bin/cat", proc + "/environ"});
  Result peek = s.run(read_environ);
  ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(uid_line << "\n" << core_line << "\n" << peek.err);
  REQUIRE(file_exists(started));
  REQUIRE_THAT(uid_line, Catch::StartsWith("Uid:\t") && !Catch::StartsWith("Uid:\t0\t"));
  CHECK(peek.exit_code != 0);  // not dumpable
  CHECK_THAT(peek.err, Catch::Contains("Permission denied"));
  CHECK(peek.out.find("KAAPPI_PASSPHRASE_COMMAND") == std::string::npos);
  CHECK_THAT(core_line, Catch::Matches("Max core file size +0 +0 +bytes *"));
}
