// test_usage_errors.cpp — command-line mistakes: an unknown command or option
// is named with the closest valid name, every usage error points to the
// failing command's help, and no usage error asks for the passphrase first.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

namespace {

struct Mistake {
  std::vector<std::string> args;
  std::string message;  // the whole line on stderr
};

// Each mistake given to `program`: exit 2, its message the whole of stderr, nothing on stdout.
void check_mistakes(const Sandbox& s, const std::string& program, const std::vector<Mistake>& mistakes) {
  for (const auto& m : mistakes) {
    std::vector<std::string> argv = {bin(program)};
    argv.insert(argv.end(), m.args.begin(), m.args.end());
    Result r = s.run(argv);
    INFO(m.message);
    CHECK(r.exit_code == 2);
    CHECK(r.err == m.message);
    CHECK(r.out.empty());
  }
}

}  // namespace

TEST_CASE("unknown commands and options are named with the closest valid name and the command's help", "[usage]") {
  Sandbox s;
  const std::vector<Mistake> kaappi_mistakes = {
      {{"documnets"}, "kaappi: unknown command 'documnets'; did you mean 'documents'? (see kaappi --help)\n"},
      {{"custmer", "list"}, "kaappi: unknown command 'custmer'; did you mean 'customer'? (see kaappi --help)\n"},
      {{"consent", "sett"}, "kaappi: unknown command 'sett'; did you mean 'set'? (see kaappi consent --help)\n"},
      {{"consent", "list", "--purpse", "email-marketing"},
       "kaappi: unknown option '--purpse'; did you mean '--purpose'? (see kaappi consent list --help)\n"},
      {{"get", "1", "--reasn", "x", "-o", "out.pdf"},
       "kaappi: unknown option '--reasn'; did you mean '--reason'? (see kaappi get --help)\n"},
      {{"--archve", "x", "verify"}, "kaappi: unknown option '--archve'; did you mean '--archive'? (see kaappi verify --help)\n"},
      {{"consent", "set", "--frobnicate"}, "kaappi: unknown option '--frobnicate' (see kaappi consent set --help)\n"},
      {{"zzzzzz"}, "kaappi: unknown command 'zzzzzz' (see kaappi --help)\n"},
      {{"get", "1", "2", "--reason", "x", "-o", "out.pdf"}, "kaappi: unexpected argument '2' (see kaappi get --help)\n"},
      {{"consent", "set", "--customer", "1001"}, "kaappi: --purpose is required (see kaappi consent set --help)\n"},
  };
  check_mistakes(s, "kaappi", kaappi_mistakes);
  const std::vector<Mistake> scan_mistakes = {
      {{"initt", "--station", "x"}, "kaappi-scan: unknown command 'initt'; did you mean 'init'? (see kaappi-scan --help)\n"},
      {{"wacth", "dir"}, "kaappi-scan: unknown command 'wacth'; did you mean 'watch'? (see kaappi-scan --help)\n"},
      {{"watch", "dir", "--settel", "3"},
       "kaappi-scan: unknown option '--settel'; did you mean '--settle'? (see kaappi-scan watch --help)\n"},
      {{"a.pdf", "--inbx", "x"}, "kaappi-scan: unknown option '--inbx'; did you mean '--inbox'? (see kaappi-scan --help)\n"},
      {{"init"}, "kaappi-scan: --station is required (see kaappi-scan init --help)\n"},
  };
  check_mistakes(s, "kaappi-scan", scan_mistakes);
  CHECK_FALSE(file_exists(s.dir() + "/home/config/kaappi-scan"));  // no station key was made
}

TEST_CASE("no usage error asks for the passphrase first", "[usage]") {
  Sandbox s;
  s.init_archive_with_customer();
  s.import({s.make_pdf("a.pdf")});
  write_text(s.path("taken.pdf"), "already here");
  ::mkdir(s.path("full-folder").c_str(), 0700);
  write_text(s.path("full-folder/x"), "x");
  // The passphrase comes only from a command that leaves a mark when it runs.
  std::string marker = s.path("passphrase-was-asked");
  std::map<std::string, std::string> env = {
      {"KAAPPI_PASSPHRASE_COMMAND", "touch '" + marker + "'; echo kaappi-example-passphrase"}};
  auto kaappi = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "--key", s.key()};
    argv.insert(argv.end(), args.begin(), args.end());
    return s.run(argv, env);
  };
  REQUIRE(kaappi({"customer", "show", "1001"}).exit_code == 0);  // the command does give the passphrase
  REQUIRE(file_exists(marker));
  REQUIRE(::unlink(marker.c_str()) == 0);
  std::string before = s.archive_fingerprint();

  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted", "--source", "fax"},
       2, "--source must be"},
      {{"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted", "--source",
        "signed-form"}, 2, "add --document ID"},
      {{"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted", "--note",
        std::string("bell\x07")}, 2, "--note must be printable"},
      {{"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted", "--effective",
        "2026-02-30"}, 2, "--effective must be a date"},
      {{"consent", "proof", "1001", "--purpose", "email-marketing", "-o", s.path("p"), "--reason", " "}, 2,
       "say why you produce this proof"},
      {{"consent", "proof", "1001", "--purpose", "email-marketing", "-o", s.path("full-folder")}, 4,
       "is not an empty folder"},
      {{"customer", "edit", "1001", "--reason", "moved"}, 2, "give at least one field to change"},
      {{"customer", "edit", "1001", "--email", "a@b.fi", "--reason", " "}, 2, "a rectification needs --reason"},
      {{"customer", "list", "--search", "  "}, 2, "--search needs some text"},
      {{"get", "1", "-o", s.path("out.pdf"), "--reason", " "}, 2, "say why you read this document"},
      {{"get", "1", "-o", s.path("taken.pdf"), "--reason", "look"}, 4, "already exists"},
      {{"station", "add", "bad name!", "kaappi-spk1:x"}, 2, "a station name is"},
      {{"station", "add", "office", s.path("taken.pdf")}, 4, "that is not a station public key"},
      {{"station", "add", "office", "not-a-key"}, 5, "KEY is neither the kaappi-spk1:... text nor a file"},
      // A value the register refuses is said before the passphrase too (exit 4: the input is refused).
      {{"customer", "add", "--number", "5", "--name", "X", "--email", "bad"}, 4, "field 'email'"},
      {{"customer", "add", "--number", "5", "--name", "X", "--business-id", "123"}, 4, "field 'business-id'"},
      {{"customer", "edit", "1001", "--email", "still bad", "--reason", "moved"}, 4, "field 'email'"},
  };
  for (const auto& c : cases) {
    Result r = kaappi(c.args);
    INFO(c.args.at(0) << " " << c.args.at(1) << ": " << r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.err.find(c.says) != std::string::npos);
    if (c.exit_code == 2) CHECK(r.err.find(" --help)\n") != std::string::npos);
    CHECK_FALSE(file_exists(marker));
    ::unlink(marker.c_str());
  }
  CHECK(s.archive_fingerprint() == before);
}
