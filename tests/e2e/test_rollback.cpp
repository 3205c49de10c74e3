// test_rollback.cpp — a rollback stays caught (issue 9), with the real
// binaries: after a rolled-back or forked archive is found, every command that
// writes refuses (exit 1, nothing written) and verify keeps failing, on the
// key holder's machine and on a verify-only one; kaappi accept-restore
// records a signed restore row that verify notes and through which the other
// machines re-anchor. Machines are played with separate XDG_STATE_HOME
// folders, archive copies with cp -a.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;
using nlohmann::json;

namespace {

using Env = std::map<std::string, std::string>;

Env machine(const Sandbox& s, const std::string& name) { return {{"XDG_STATE_HOME", s.path("state-" + name)}}; }

void save(const Sandbox& s, const std::string& name) {
  REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path(name)}).exit_code == 0);
}
void put_back(const Sandbox& s, const std::string& name) {
  REQUIRE(s.run({"/bin/sh", "-c", "rm -rf '" + s.archive() + "' && cp -a '" + s.path(name) + "' '" + s.archive() + "'"})
              .exit_code == 0);
}

// The archive's public key in a file, for the verify-only machines.
std::string public_key_file(const Sandbox& s) {
  Result r = s.kaappi({"key", "public"});
  REQUIRE(r.exit_code == 0);
  write_text(s.path("archive.pub"), r.out);
  return s.path("archive.pub");
}

// `kaappi verify --public-key` on a machine that has no key file.
Result verify_only(const Sandbox& s, const Env& env, bool json_out = false) {
  std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "verify", "--public-key", s.path("archive.pub")};
  if (json_out) argv.push_back("--json");
  return s.run(argv, env);
}

void add_customer(const Sandbox& s, const std::string& number, const Env& env = {}) {
  Result r = s.kaappi({"customer", "add", "--number", number, "--name", "Asiakas " + number}, env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

bool has_problem(const Result& r, const std::string& problem) {
  json report = json::parse(r.out);
  for (const auto& p : report["problems"])
    if (p["problem"] == problem) return true;
  return false;
}

}  // namespace

TEST_CASE("a rolled-back archive used once is still caught: every write refuses, nothing is written",
          "[rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  long doc = s.import({s.make_pdf("one.pdf", {"--seed", "5"})}).at(0);
  save(s, "backup");
  Result read = s.kaappi({"get", std::to_string(doc), "-o", s.path("read.pdf"), "--reason", "inspection"});
  REQUIRE(read.exit_code == 0);
  put_back(s, "backup");

  std::string before = s.archive_fingerprint();
  std::string pdf = s.make_pdf("two.pdf", {"--seed", "6"});
  const std::vector<std::vector<std::string>> writers = {
      {"get", std::to_string(doc), "-o", s.path("again.pdf"), "--reason", "after the rollback"},
      {"customer", "add", "--number", "1002", "--name", "Toinen Oy"},
      {"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted"},
      {"import", pdf, "--customer", "1001", "--kind", "contract"},
  };
  for (int round = 0; round < 2; ++round)
    for (const auto& args : writers) {
      Result r = s.kaappi(args);
      INFO(args[0] << ": " << r.err);
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("was rolled back: this machine last saw change") != std::string::npos);
      CHECK(r.err.find("the archive's head is change") != std::string::npos);
      CHECK(r.err.find("nothing was changed") != std::string::npos);
      CHECK(r.err.find("kaappi accept-restore --reason TEXT") != std::string::npos);
      CHECK(s.archive_fingerprint() == before);
    }
  CHECK_FALSE(file_exists(s.path("again.pdf")));
  for (bool full : {false, true}) {
    std::vector<std::string> args = {"verify", "--json"};
    if (full) args.push_back("--full");
    Result v = s.kaappi(args);
    CHECK(v.exit_code == 1);
    CHECK(has_problem(v, "archive rolled back"));
  }
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("kaappi upgrade refuses a rolled-back archive like every other writer", "[rollback]") {
  Sandbox s;
  // The frozen archive of schema version 3 (made with the sandbox's key), as a backup...
  REQUIRE(s.run({"/bin/tar", "-xzf", std::string(KAAPPI_SOURCE_DIR) + "/tests/data/archive-v3.tar.gz", "-C", s.dir()})
              .exit_code == 0);
  save(s, "backup");
  // ...upgraded and used, then put back.
  REQUIRE(s.kaappi({"upgrade"}).exit_code == 0);
  add_customer(s, "1099");
  put_back(s, "backup");

  std::string before = s.archive_fingerprint();
  // Not "needs kaappi upgrade": every command, verify too, says what happened.
  for (const std::vector<std::string>& args : {std::vector<std::string>{"upgrade"}, {"verify"}, {"customer", "list"}}) {
    Result r = s.kaappi(args);
    INFO(args[0] << ": " << r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("was rolled back: this machine last saw change") != std::string::npos);
    CHECK(r.err.find("of it upgraded to format 2, and it now holds a format-1 index") != std::string::npos);
    CHECK(r.err.find("nothing was changed") != std::string::npos);
  }
  CHECK(s.archive_fingerprint() == before);
}

// pending_writes is not signed: a rolled-back index may name there the uid of
// a document that a lost change stored. Nothing may delete that blob — not a
// read, not verify, not recover, not a refused write — and accept-restore
// keeps it too (verify then lists it).
TEST_CASE("an unfinished import named in a rolled-back index never removes the blob a lost change stored",
          "[rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  public_key_file(s);
  save(s, "backup");
  long doc = s.import({s.make_pdf("later.pdf", {"--seed", "7"})}).at(0);
  std::string uid = sql_value(s, "SELECT lower(hex(uid)) FROM documents WHERE id = " + std::to_string(doc));
  REQUIRE(uid.size() == 32);
  const std::string blob = s.archive() + "/blobs/" + uid.substr(0, 2) + "/" + uid + ".blob";
  const std::string blob_sha = sha_of_file(blob);
  // The index goes back to the backup, which names the new uid as unfinished.
  REQUIRE(s.run({"/bin/sh", "-c", "rm -f '" + s.archive() + "'/index.sqlite* && cp -a '" + s.path("backup") +
                                      "'/index.sqlite* '" + s.archive() + "'/"}).exit_code == 0);
  sql(s, "INSERT INTO pending_writes VALUES (x'" + uid + "', 1)");

  const std::vector<std::vector<std::string>> commands = {
      {"documents"}, {"customer", "list"}, {"verify"}, {"verify", "--full"}, {"recover"},
      {"customer", "add", "--number", "1002", "--name", "Toinen Oy"},
  };
  for (const auto& args : commands) {
    Result r = s.kaappi(args);
    INFO(args[0] << ": " << r.out << r.err);
    CHECK(r.err.find("rolled back 1 interrupted import") == std::string::npos);
    CHECK(r.out.find("Rolled back 1") == std::string::npos);
    CHECK(sha_of_file(blob) == blob_sha);
  }
  Result keyless = verify_only(s, {});
  CHECK(keyless.exit_code == 1);
  CHECK(sha_of_file(blob) == blob_sha);
  CHECK(s.kaappi({"recover"}).exit_code == 1);

  Result accepted = s.kaappi({"accept-restore", "--reason", "restored the index from the backup"});
  INFO(accepted.out << accepted.err);
  REQUIRE(accepted.exit_code == 0);
  CHECK(accepted.err.find("kept 1 blob(s) that unfinished imports in this restored index name") != std::string::npos);
  CHECK(sha_of_file(blob) == blob_sha);
  add_customer(s, "1003");
  CHECK(sha_of_file(blob) == blob_sha);
  Result v = s.kaappi({"verify", "--json"});
  CHECK(v.exit_code == 1);
  CHECK(has_problem(v, "blob with no index row"));
}

TEST_CASE("a consent withdrawal lost to a rollback stays caught after the archive is used", "[rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::vector<std::string> set = {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state"};
  auto with = [](std::vector<std::string> args, const std::string& last) {
    args.push_back(last);
    return args;
  };
  REQUIRE(s.kaappi(with(set, "granted")).exit_code == 0);
  save(s, "backup");
  REQUIRE(s.kaappi(with(set, "withdrawn")).exit_code == 0);
  put_back(s, "backup");

  // Today's use of the archive (a new consent, a read) is refused and leaves it as it was...
  Result r = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "granted"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("was rolled back") != std::string::npos);
  // A read of personal data is logged, so it is refused like any write...
  Result show = s.kaappi({"consent", "show", "1001"});
  CHECK(show.exit_code == 1);
  CHECK(show.err.find("was rolled back") != std::string::npos);
  CHECK(show.out.empty());
  // ...a read that shows no one still works, but says the archive was rolled back.
  Result listing = s.kaappi({"documents"});
  CHECK(listing.exit_code == 0);
  CHECK(listing.err.find("WARNING: archive " + s.archive() + " was rolled back") != std::string::npos);
  // ...so verify keeps saying so, on every run.
  for (int i = 0; i < 2; ++i) {
    Result v = s.kaappi({"verify", "--json"});
    CHECK(v.exit_code == 1);
    CHECK(has_problem(v, "archive rolled back"));
  }
}

TEST_CASE("a copy that branched off and got more writes than the lost branch is caught by both machines",
          "[rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  public_key_file(s);
  const Env verifier = machine(s, "verifier");
  REQUIRE(verify_only(s, verifier).exit_code == 0);
  save(s, "backup");
  add_customer(s, "1002");  // the lost branch: one write
  REQUIRE(verify_only(s, verifier).exit_code == 0);
  put_back(s, "backup");
  const Env office = machine(s, "office");  // never saw the lost branch
  for (const char* number : {"2001", "2002", "2003"}) add_customer(s, number, office);

  std::string before = s.archive_fingerprint();
  Result w = s.kaappi({"customer", "add", "--number", "1003", "--name", "Kolmas Oy"});
  CHECK(w.exit_code == 1);
  CHECK(w.err.find("has been forked or replaced: change") != std::string::npos);
  CHECK(w.err.find("if this copy is the one to keep") != std::string::npos);
  CHECK(w.err.find("backup") == std::string::npos);
  CHECK(s.archive_fingerprint() == before);
  Result full = s.kaappi({"verify", "--full", "--json"});
  CHECK(full.exit_code == 1);
  CHECK(has_problem(full, "archive forked"));
  for (int i = 0; i < 2; ++i) {
    Result v = verify_only(s, verifier, true);
    CHECK(v.exit_code == 1);
    CHECK(has_problem(v, "archive forked"));
  }

  // Keeping this copy is said as what it is, a fork kept, not a restore from a backup.
  Result kept = s.kaappi({"accept-restore", "--reason", "the office copy is the one in use"});
  INFO(kept.err);
  REQUIRE(kept.exit_code == 0);
  CHECK(kept.out.find("the archive was forked") != std::string::npos);
  Result noted = s.kaappi({"verify", "--json"});
  CHECK(noted.exit_code == 0);
  json notes = json::parse(noted.out)["notes"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].get<std::string>().find("a forked copy of the archive was kept; change ") !=
        std::string::npos);
  CHECK(notes[0].get<std::string>().find("only the other copy held were given up") != std::string::npos);
  CHECK(notes[0].get<std::string>().find("backup") == std::string::npos);
  Result v = verify_only(s, verifier);
  INFO(v.out << v.err);
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("was kept as the copy to follow after a fork, on ") != std::string::npos);
  CHECK(v.out.find("backup") == std::string::npos);
}

TEST_CASE("accept-restore: verify notes it, writes work, other machines re-anchor or stay failing", "[rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  public_key_file(s);
  save(s, "backup");
  add_customer(s, "1002");
  const Env earlier = machine(s, "earlier"), lost = machine(s, "lost"), beyond = machine(s, "beyond");
  REQUIRE(verify_only(s, earlier).exit_code == 0);  // a head on the abandoned branch before the lost one
  add_customer(s, "1003");
  REQUIRE(verify_only(s, lost).exit_code == 0);  // the lost head itself
  // A machine that saw the abandoned branch go on past the lost head.
  REQUIRE(verify_only(s, beyond).exit_code == 0);
  add_customer(s, "1099", machine(s, "rogue"));
  REQUIRE(verify_only(s, beyond).exit_code == 0);
  put_back(s, "backup");

  Result refused = s.kaappi({"customer", "add", "--number", "1004", "--name", "Uusi Oy"});
  REQUIRE(refused.exit_code == 1);
  Result accepted = s.kaappi({"accept-restore", "--reason", "disk failed; restored last night's backup"});
  INFO(accepted.err);
  REQUIRE(accepted.exit_code == 0);
  CHECK(accepted.out.find("Recorded restore row 1") != std::string::npos);
  CHECK(accepted.out.find("writes work again") != std::string::npos);
  std::string after_accept = s.archive_fingerprint();
  Result again = s.kaappi({"accept-restore", "--reason", "once more"});
  CHECK(again.exit_code == 4);
  CHECK(again.err.find("nothing to accept") != std::string::npos);
  CHECK(s.archive_fingerprint() == after_accept);

  add_customer(s, "1004");
  Result text = s.kaappi({"verify", "--full"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("note: restore row 1 (change ") != std::string::npos);
  CHECK(text.out.find("accepted by ") != std::string::npos);
  CHECK(text.out.find("disk failed; restored last night's backup") != std::string::npos);
  Result keyless = s.kaappi({"verify", "--json"});
  CHECK(keyless.exit_code == 0);
  json notes = json::parse(keyless.out)["notes"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].get<std::string>().find("the archive was restored from a backup") != std::string::npos);

  for (const Env* m : {&lost, &earlier}) {
    Result v = verify_only(s, *m);
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("was restored from a backup on ") != std::string::npos);
    CHECK(v.out.find("(restore row 1, change ") != std::string::npos);
    CHECK(v.out.find("re-anchored at change") != std::string::npos);
    // Plainly, which of the changes it saw the archive does not hold.
    CHECK(v.out.find(m == &lost ? "This machine saw changes up to change " : "that it saw") != std::string::npos);
    CHECK(v.out.find("not in this archive") != std::string::npos);
    Result next = verify_only(s, *m);
    CHECK(next.exit_code == 0);
    CHECK(next.out.find("re-anchored") == std::string::npos);
  }
  // The lost head's machine, as a key holder, writes again after re-anchoring.
  Result write = s.kaappi({"customer", "add", "--number", "1005", "--name", "Viides Oy"}, lost);
  CHECK(write.exit_code == 0);

  for (int i = 0; i < 2; ++i) {
    Result v = verify_only(s, beyond, true);
    CHECK(v.exit_code == 1);
    CHECK((has_problem(v, "archive rolled back") || has_problem(v, "archive forked")));
    CHECK(v.out.find("re-anchored") == std::string::npos);
  }
  std::string before = s.archive_fingerprint();
  Result w = s.kaappi({"customer", "add", "--number", "1006", "--name", "Kuudes Oy"}, beyond);
  CHECK(w.exit_code == 1);
  CHECK(s.archive_fingerprint() == before);
}
