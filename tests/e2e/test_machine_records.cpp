// test_machine_records.cpp — this machine's records of the archives it saw
// (src/store/machine_records.h) fail closed, with the real binaries: a state
// folder or a head record that cannot be used is never a first use (writers
// refuse, exit 4, before the passphrase; reads warn; verify reports it), a
// head that cannot be remembered is never silent; and an archive made with
// the same key swapped into a folder is caught until the key holder accepts
// it (kaappi accept-restore --other-archive), while a moved archive is not.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;
using nlohmann::json;

namespace {

std::string state_folder(const Sandbox& s) { return s.path("home/state/kaappi"); }

Result sh(const Sandbox& s, const std::string& script) {
  Result r = s.run({"/bin/sh", "-c", script});
  INFO(script << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

// The one head record in the state folder.
std::string head_record(const Sandbox& s) {
  std::string out = sh(s, "ls '" + state_folder(s) + "'/*.head").out;
  return out.substr(0, out.find('\n'));
}

bool has_problem(const std::string& out, const std::string& problem) {
  json report = json::parse(out);
  for (const auto& p : report["problems"])
    if (p["problem"] == problem) return true;
  return false;
}

// A folder listing with link targets, types and contents, to show that nothing was changed.
std::string listing(const Sandbox& s, const std::string& folder) {
  return s.run({"/bin/sh", "-c", "ls -la --time-style=+ '" + folder + "'; for f in '" + folder + "'/*; do "
                                  "[ -f \"$f\" ] && cat \"$f\"; done; true"})
      .out;
}

}  // namespace

TEST_CASE("a state folder or head record that cannot be used is never a first use", "[rollback][records]") {
  struct Case {
    const char* name;
    std::string (*spoil)(const Sandbox&);  // returns the path the messages must name
  };
  const Case cases[] = {
      {"the state folder is a link to an empty folder",
       [](const Sandbox& s) {
         sh(s, "mkdir '" + s.path("elsewhere") + "' && mv '" + state_folder(s) + "' '" + s.path("kept") + "' && ln -s '" +
                   s.path("elsewhere") + "' '" + state_folder(s) + "'");
         return state_folder(s);
       }},
      {"a file where the state folder belongs",
       [](const Sandbox& s) {
         sh(s, "mv '" + state_folder(s) + "' '" + s.path("kept") + "' && echo x > '" + state_folder(s) + "'");
         return state_folder(s);
       }},
      {"the head record does not parse",
       [](const Sandbox& s) {
         std::string record = head_record(s);
         sh(s, "echo 'not a head' > '" + record + "'");
         return record;
       }},
      {"the head record is empty",
       [](const Sandbox& s) {
         std::string record = head_record(s);
         sh(s, ": > '" + record + "'");
         return record;
       }},
      {"the head record is a folder",
       [](const Sandbox& s) {
         std::string record = head_record(s);
         sh(s, "rm '" + record + "' && mkdir '" + record + "'");
         return record;
       }},
      {"the head record is a link",
       [](const Sandbox& s) {
         std::string record = head_record(s);
         sh(s, "mv '" + record + "' '" + s.path("kept.head") + "' && ln -s '" + s.path("kept.head") + "' '" + record + "'");
         return record;
       }},
      {"the head record is a FIFO",
       [](const Sandbox& s) {
         std::string record = head_record(s);
         sh(s, "rm '" + record + "' && mkfifo '" + record + "'");
         return record;
       }},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      Sandbox s;
      s.init_archive_with_customer();
      REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path("backup")}).exit_code == 0);
      REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
      sh(s, "rm -rf '" + s.archive() + "' && cp -a '" + s.path("backup") + "' '" + s.archive() + "'");  // rolled back
      std::string named = c.spoil(s);
      std::string archive_before = s.archive_fingerprint();
      std::string state_before = listing(s, state_folder(s));

      // A writer refuses before the passphrase is asked (here none could be: no file, no terminal).
      Result w = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "customer", "add", "--number",
                        "1003", "--name", "Kolmas Oy"});
      INFO(w.err);
      CHECK(w.exit_code == 4);
      CHECK(w.err.find(named) != std::string::npos);
      CHECK(w.err.find("kaappi cannot tell whether an archive was rolled back") != std::string::npos);
      CHECK(w.err.find("nothing was changed") != std::string::npos);
      CHECK(w.err.find("assphrase") == std::string::npos);
      Result w2 = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted"});
      CHECK(w2.exit_code == 4);

      // A read of personal data is logged: refused as a write is.
      CHECK(s.kaappi({"customer", "list"}).exit_code == 4);
      // A read that shows no one works, and warns.
      Result r = s.kaappi({"documents"});
      CHECK(r.exit_code == 0);
      CHECK(r.err.find("WARNING: ") != std::string::npos);
      CHECK(r.err.find(named) != std::string::npos);

      // Verify reports it, in text and JSON, with and without the key.
      Result text = s.kaappi({"verify"});
      CHECK(text.exit_code == 1);
      CHECK(text.out.find("head record unusable") != std::string::npos);
      CHECK(text.out.find("PROBLEMS FOUND") != std::string::npos);
      for (bool full : {false, true}) {
        std::vector<std::string> args = {"verify", "--json"};
        if (full) args.push_back("--full");
        Result v = s.kaappi(args);
        CHECK(v.exit_code == 1);
        CHECK(has_problem(v.out, "head record unusable"));
      }
      CHECK(s.archive_fingerprint() == archive_before);
      CHECK(listing(s, state_folder(s)) == state_before);
    }
  }
}

TEST_CASE("a missing head record is a first use, and the state folder is made 0700", "[records]") {
  Sandbox s;
  s.init_archive_with_customer();
  sh(s, "rm -rf '" + s.path("home/state") + "'");
  Result w = s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  INFO(w.err);
  CHECK(w.exit_code == 0);
  struct stat st {};
  REQUIRE(::stat(state_folder(s).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat(head_record(s).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

namespace {

// The change number a head record names ("t<tx> <digest> ...").
std::string change_in(const std::string& record) {
  REQUIRE(record.rfind("t", 0) == 0);
  return record.substr(1, record.find(' ') - 1);
}

}  // namespace

TEST_CASE("a head record that cannot be written is never silent", "[records]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string record = head_record(s);
  std::string remembered = read_text(record);

  SECTION("before the write: refused, nothing changed") {
    std::string before = s.archive_fingerprint();
    Result w = s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"},
                        {{"KAAPPI_FAULT", "state.write:error"}});
    INFO(w.err);
    CHECK(w.exit_code == 4);
    CHECK(w.err.find("cannot be written") != std::string::npos);
    CHECK(w.err.find("nothing was changed") != std::string::npos);
    CHECK(s.archive_fingerprint() == before);
    CHECK(read_text(record) == remembered);
  }
  SECTION("after the commit: the change is saved, and the output says the head was not remembered") {
    Result w = s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"},
                        {{"KAAPPI_FAULT", "state.write:error@2"}});
    INFO(w.err);
    CHECK(w.exit_code == 6);
    CHECK(w.err.find("the change was saved in archive " + s.archive()) != std::string::npos);
    const std::string still = change_in(remembered);
    CHECK(w.err.find("this machine's record of the archive's head was not updated: it still names change " + still +
                     ". ") != std::string::npos);
    CHECK(w.err.find("a rollback to before change " + still + " is still caught") != std::string::npos);
    CHECK(w.err.find("run kaappi verify: it records the head") != std::string::npos);
    CHECK(s.kaappi({"documents"}).exit_code == 0);  // a read (of no one: not logged) leaves the record
    CHECK(read_text(record) == remembered);
    Result v = s.kaappi({"verify"});
    CHECK(v.exit_code == 0);
    CHECK(read_text(record) != remembered);
  }
}

TEST_CASE("a head record whose write fails after its rename is reported as naming the new head", "[records]") {
  const std::string point = GENERATE("state.rename", "state.dirsync");
  INFO("the fault is at " << point);
  Sandbox s;
  s.init_archive_with_customer();
  std::string record = head_record(s);
  std::string remembered = read_text(record);
  Result w = s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"},
                      {{"KAAPPI_FAULT", point + ":error@2"}});  // @1 is the check when the session opens
  INFO(w.err);
  CHECK(w.exit_code == 6);
  const std::string now = read_text(record);
  REQUIRE(now != remembered);  // the rename was done
  const std::string saved = change_in(now);
  CHECK(w.err.find("the change was saved in archive " + s.archive() + " (its head is now change " + saved + "), but "
                   "writing this machine's record of the archive's head did not finish: it names change " + saved +
                   " now, but may not be safely on disk (") != std::string::npos);
  CHECK(w.err.find("still names") == std::string::npos);
  CHECK(w.err.find("run kaappi verify: it records the head") != std::string::npos);
  CHECK(s.kaappi({"documents"}).exit_code == 0);
  CHECK(s.kaappi({"verify"}).exit_code == 0);
  CHECK(read_text(record) == now);
}

TEST_CASE("another archive with the same key swapped into the folder is caught until accepted", "[records]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string other = s.path("other");
  Result made = s.run({bin("kaappi"), "--archive", other, "--key", s.key(), "--passphrase-file", s.pass(), "init",
                       "--reuse-key"});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  write_text(s.path("original.pub"), s.kaappi({"key", "public"}).out);
  sh(s, "mv '" + s.archive() + "' '" + s.path("original") + "' && mv '" + other + "' '" + s.archive() + "'");

  // A verify-only machine, which knows the archive by its public key alone, is told the same (exit 1, not 3).
  Result keyless = s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--json", "--public-key",
                          s.path("original.pub")},
                         {{"XDG_STATE_HOME", s.path("state-verifier")}});
  INFO(keyless.out << keyless.err);
  CHECK(keyless.exit_code == 1);
  CHECK(has_problem(keyless.out, "archive replaced"));
  CHECK(keyless.out.find("that the public key names; it was made with the same key") != std::string::npos);

  std::string before = s.archive_fingerprint();
  Result w = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "customer", "add", "--number", "1002",
                    "--name", "Toinen Oy"});
  INFO(w.err);
  CHECK(w.exit_code == 1);
  CHECK(w.err.find("archive folder " + s.archive() + " was replaced: it held archive ") != std::string::npos);
  CHECK(w.err.find("and now holds another archive, ") != std::string::npos);
  CHECK(w.err.find("nothing was changed") != std::string::npos);
  CHECK(w.err.find("kaappi accept-restore --other-archive") != std::string::npos);
  CHECK(w.err.find("assphrase") == std::string::npos);
  Result restore = s.kaappi({"accept-restore", "--reason", "not a restore"});
  CHECK(restore.exit_code == 1);
  CHECK(restore.err.find("was replaced") != std::string::npos);
  // A read of personal data is logged: refused as a write is; one of no one warns.
  Result logged = s.kaappi({"customer", "list"});
  CHECK(logged.exit_code == 1);
  CHECK(logged.err.find("was replaced") != std::string::npos);
  Result read = s.kaappi({"documents"});
  CHECK(read.exit_code == 0);
  CHECK(read.err.find("WARNING: archive folder " + s.archive() + " was replaced") != std::string::npos);
  for (bool full : {false, true}) {
    std::vector<std::string> args = {"verify", "--json"};
    if (full) args.push_back("--full");
    Result v = s.kaappi(args);
    CHECK(v.exit_code == 1);
    CHECK(has_problem(v.out, "archive replaced"));
  }
  CHECK(s.archive_fingerprint() == before);

  // The deliberate way: accepted on this machine, nothing written to the archive.
  Result accepted = s.kaappi({"accept-restore", "--other-archive"});
  INFO(accepted.err);
  CHECK(accepted.exit_code == 0);
  CHECK(accepted.out.find("now holds archive ") != std::string::npos);
  CHECK(accepted.out.find("Nothing was written to the archive.") != std::string::npos);
  CHECK(s.archive_fingerprint() == before);
  Result again = s.kaappi({"accept-restore", "--other-archive"});
  CHECK(again.exit_code == 4);
  CHECK(again.err.find("nothing to accept") != std::string::npos);
  Result later = s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  CHECK(later.exit_code == 0);
  CHECK(later.err.find("was replaced") == std::string::npos);
  CHECK(s.kaappi({"verify"}).exit_code == 0);
}

TEST_CASE("a moved archive works in its new folder without complaint", "[records]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string moved = s.path("moved");
  sh(s, "mv '" + s.archive() + "' '" + moved + "'");
  auto at = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {bin("kaappi"), "--archive", moved, "--key", s.key(), "--passphrase-file", s.pass()};
    argv.insert(argv.end(), args.begin(), args.end());
    return s.run(argv);
  };
  Result w = at({"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  INFO(w.err);
  CHECK(w.exit_code == 0);
  CHECK(w.err.find("was replaced") == std::string::npos);
  CHECK(w.err.find("rolled back") == std::string::npos);
  Result v = at({"verify"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("OK: ") == 0);
}
