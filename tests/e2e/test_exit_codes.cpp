// test_exit_codes.cpp — one rule for both programs: a file or folder the
// user named to read that is not there is 5 (not found); an output path the
// user named that cannot be written (no such folder, a folder in the way, a
// file where a folder should be) is 4 (rejected), never 70. Nothing changes.
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

namespace {

struct Case {
  std::string program;  // "kaappi" (with the sandbox's archive and key) or "kaappi-scan"
  std::vector<std::string> args;
  int exit_code;
  std::string says;
};

}  // namespace

TEST_CASE("a missing input is 5 and a bad output path is 4 in every command of both programs", "[exit-codes]") {
  Sandbox s;
  s.init_archive_with_customer();
  long id = s.import({s.make_pdf("a.pdf")}).at(0);
  std::string doc = std::to_string(id);
  std::string pdf = s.make_pdf("b.pdf", {"--seed", "2"});
  std::string public_key = s.kaappi({"key", "public"}).out;
  public_key = public_key.substr(0, public_key.find('\n'));
  REQUIRE(public_key.rfind("kaappi-pk1:", 0) == 0);
  ::mkdir(s.path("inbox").c_str(), 0700);
  ::mkdir(s.path("folder").c_str(), 0700);
  write_text(s.path("plain-file"), "not a folder");
  REQUIRE(s.run({bin("kaappi-scan"), "init", "--station", "desk", "--station-key", s.path("desk.key")}).exit_code == 0);
  std::string nowhere = s.path("no-such-folder");
  std::string missing = s.path("no-such-file");

  const std::vector<Case> cases = {
      // Inputs the user named.
      {"kaappi", {"import", missing + ".pdf", "--customer", "1001", "--kind", "other"}, 5, "no such file"},
      {"kaappi", {"import", missing + "-a.pdf", missing + ".pdf", "--customer", "1001", "--kind", "other"}, 5, "no such file"},
      {"kaappi", {"customer", "import", missing + ".csv"}, 5, missing + ".csv"},
      {"kaappi", {"station", "add", "office", missing + ".pub"}, 5, missing + ".pub does not exist"},
      {"kaappi", {"verify", "--public-key", missing + ".pub"}, 5, missing + ".pub does not exist"},
      {"kaappi", {"ingest", "--inbox", nowhere}, 5, nowhere},
      {"kaappi", {"access-log", "--document", "99"}, 5, "no document 99"},
      {"kaappi", {"get", "99", "-o", s.path("x.pdf"), "--reason", "r"}, 5, "no document 99"},
      {"kaappi-scan", {missing + ".pdf", "--public-key", public_key, "--inbox", s.path("inbox"), "--station-key",
                       s.path("desk.key")}, 5, "file not found"},
      {"kaappi-scan", {pdf, "--public-key", missing + ".pub", "--inbox", s.path("inbox"), "--station-key",
                       s.path("desk.key")}, 5, missing + ".pub does not exist"},
      {"kaappi-scan", {pdf, "--public-key", public_key, "--inbox", s.path("inbox"), "--station-key", missing + ".key"},
       5, missing + ".key"},
      {"kaappi-scan", {"watch", nowhere, "--public-key", public_key, "--inbox", s.path("inbox"), "--station-key",
                       s.path("desk.key")}, 5, nowhere},
      // Outputs the user named.
      {"kaappi", {"get", doc, "-o", nowhere + "/out.pdf", "--reason", "r"}, 4, nowhere},
      {"kaappi", {"get", doc, "-o", s.path("plain-file") + "/out.pdf", "--reason", "r"}, 4, "plain-file"},
      {"kaappi", {"get", doc, "-o", s.path("folder"), "--reason", "r", "--force"}, 4, "folder"},
      {"kaappi", {"customer", "export", "-o", nowhere + "/list.csv"}, 4, nowhere},
      {"kaappi", {"customer", "export", "-o", s.path("folder"), "--force"}, 4, "folder"},
      {"kaappi", {"consent", "proof", "1001", "--purpose", "research", "-o", nowhere + "/proof"}, 4, nowhere},
      {"kaappi", {"consent", "proof", "1001", "--purpose", "research", "-o", s.path("plain-file")}, 4, "plain-file"},
      {"kaappi-scan", {"init", "--station", "other", "--station-key", s.path("plain-file") + "/other.key"}, 4,
       "plain-file"},
      {"kaappi-scan", {pdf, "--public-key", public_key, "--inbox", nowhere, "--station-key", s.path("desk.key")}, 4,
       "cannot write into the inbox " + nowhere},
      {"kaappi-scan", {pdf, "--public-key", public_key, "--inbox", s.path("plain-file"), "--station-key",
                       s.path("desk.key")}, 4, "cannot write into the inbox " + s.path("plain-file")},
      {"kaappi-scan", {pdf, "--public-key", public_key, "--inbox", s.path("inbox"), "--keep", nowhere,
                       "--station-key", s.path("desk.key")}, 4, "cannot write into the keep folder " + nowhere},
      {"kaappi-scan", {pdf, "--public-key", public_key, "--inbox", s.path("inbox"), "--keep", s.path("plain-file"),
                       "--station-key", s.path("desk.key")}, 4, "cannot write into the keep folder " + s.path("plain-file")},
      {"kaappi-scan", {"watch", s.path("folder"), "--public-key", public_key, "--inbox", nowhere, "--station-key",
                       s.path("desk.key")}, 4, "cannot write into the inbox " + nowhere},
  };
  std::string before = s.archive_fingerprint();
  for (const auto& c : cases) {
    std::vector<std::string> argv = {bin(c.program)};
    if (c.program == "kaappi")
      argv.insert(argv.end(), {"--archive", s.archive(), "--key", s.key(), "--passphrase-file", s.pass()});
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    Result r = s.run(argv);
    INFO(c.program << " " << c.args.at(0) << " " << c.args.at(1) << ": " << r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.err.find(c.says) != std::string::npos);
  }
  // A get whose output fails is refused before its access is recorded: the archive is as it was.
  CHECK(s.archive_fingerprint() == before);
  CHECK(s.run({"/bin/sh", "-c", "ls -A '" + s.path("inbox") + "' | wc -l"}).out == "0\n");
  CHECK(file_exists(pdf));
}

TEST_CASE("a named input of the wrong type (a folder for a file, a file for a folder) is 4, saying what it is",
          "[exit-codes]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string public_key = s.kaappi({"key", "public"}).out;
  public_key = public_key.substr(0, public_key.find('\n'));
  std::string pdf = s.make_pdf("b.pdf", {"--seed", "2"});
  ::mkdir(s.path("inbox").c_str(), 0700);
  ::mkdir(s.path("folder").c_str(), 0700);
  write_text(s.path("plain-file"), "not a folder");
  REQUIRE(s.run({bin("kaappi-scan"), "init", "--station", "desk", "--station-key", s.path("desk.key")}).exit_code == 0);
  const std::string folder = s.path("folder");
  const std::string not_a_file = folder + " is a folder, not a file";
  const std::string not_a_folder = s.path("plain-file") + " is a regular file, not a folder";
  const std::vector<std::string> archive = {bin("kaappi"), "--archive", s.archive(), "--key", s.key(),
                                            "--passphrase-file", s.pass()};
  auto kaappi = [&](std::vector<std::string> args) {
    args.insert(args.begin(), archive.begin(), archive.end());
    return args;
  };
  struct WrongType {
    std::vector<std::string> argv;
    std::string says;
  };
  const std::vector<WrongType> cases = {
      {kaappi({"customer", "import", folder}), not_a_file},
      {kaappi({"customer", "add", "--from-json", folder}), not_a_file},
      {kaappi({"customer", "edit", "1001", "--from-json", folder, "--reason", "r"}), not_a_file},
      {kaappi({"verify", "--public-key", folder}), not_a_file},
      {kaappi({"station", "add", "office", folder}), not_a_file},
      {kaappi({"import", folder, "--customer", "1001", "--kind", "other"}), folder},
      {{bin("kaappi"), "--archive", s.archive(), "--key", folder, "--passphrase-file", s.pass(), "documents"},
       not_a_file},
      {{bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--passphrase-file", folder, "documents"},
       not_a_file},
      {{bin("kaappi-scan"), pdf, "--public-key", folder, "--inbox", s.path("inbox"), "--station-key", s.path("desk.key")},
       not_a_file},
      {{bin("kaappi-scan"), pdf, "--public-key", public_key, "--inbox", s.path("inbox"), "--station-key", folder},
       not_a_file},
      {{bin("kaappi-scan"), "watch", s.path("plain-file"), "--public-key", public_key, "--inbox", s.path("inbox"),
        "--station-key", s.path("desk.key")},
       not_a_folder},
  };
  std::string before = s.archive_fingerprint();
  for (const auto& c : cases) {
    Result r = s.run(c.argv);
    INFO(c.argv.at(std::min<size_t>(c.argv.size() - 1, 7)) << ": " << r.err);
    CHECK(r.exit_code == 4);
    CHECK(r.err.find(c.says) != std::string::npos);
  }
  CHECK(s.archive_fingerprint() == before);
  CHECK(s.run({"/bin/sh", "-c", "ls -A '" + s.path("inbox") + "' | wc -l"}).out == "0\n");
  CHECK(file_exists(pdf));
  // Standard input and a FIFO still read as before.
  write_text(s.path("new.json"), R"({"number": "1002", "name": "From Stdin"})");
  CHECK(s.run(kaappi({"customer", "add", "--from-json", "-"}), {}, s.path("new.json")).exit_code == 0);
  REQUIRE(::mkfifo(s.path("fifo").c_str(), 0600) == 0);
  int writer = s.spawn({"/bin/sh", "-c", "printf '{\"number\": \"1003\", \"name\": \"From Fifo\"}' > '" +
                                             s.path("fifo") + "'"},
                       s.path("writer.log"));
  CHECK(s.run(kaappi({"customer", "add", "--from-json", s.path("fifo")})).exit_code == 0);
  int status = 0;
  ::waitpid(writer, &status, 0);
  CHECK_THAT(s.kaappi({"customer", "list"}).out, Catch::Contains("From Stdin") && Catch::Contains("From Fifo"));
}

TEST_CASE("get and export never replace a FIFO, a device or a link to one with the written file, even with --force", "[exit-codes]") {
  Sandbox s;
  s.init_archive_with_customer();
  const long id = s.import({s.make_pdf("a.pdf")}).at(0);
  REQUIRE(::mkfifo(s.path("fifo").c_str(), 0600) == 0);
  REQUIRE(::symlink("/dev/null", s.path("null-link").c_str()) == 0);
  for (const std::string& out : {s.path("fifo"), s.path("null-link")}) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"get", std::to_string(id), "-o", out, "--force", "--reason", "look"},
             {"get", std::to_string(id), "-o", out, "--reason", "look"},
             {"customer", "export", "-o", out, "--force"}}) {
      Result r = s.kaappi(args);
      INFO(out << ": " << args[0] << ": " << r.err);
      CHECK(r.exit_code == 4);
      CHECK_THAT(r.err, Catch::Contains("not a regular file") && Catch::Contains("-o -"));
      CHECK_THAT(r.err, !Catch::Contains("--force"));
    }
  }
  struct stat st {};
  REQUIRE(::lstat(s.path("fifo").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  REQUIRE(::lstat(s.path("null-link").c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
}
