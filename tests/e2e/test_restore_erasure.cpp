// test_restore_erasure.cpp — erasure reaches backups and the inbox (issue
// 12, "Backups and other places") with the real binaries: restoring a
// generation older than an erasure erases it again in the restored copy
// (text and --json say so, verify stays clean, nothing of the person is
// left in the folder), and restricting again what a hold or a retention
// rule kept (the customer on no list, no consent to contact them); the
// refusals (no key, a copy this machine may not write, a newer generation
// that does not check out, a destination rolled back against this machine's
// record) with their exit codes, messages and nothing created; erase customer removes their envelopes from
// the inbox's rejected/ and leaves the others (one it cannot open named).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Env = std::map<std::string, std::string>;

std::vector<std::string> generations(const std::string& dest) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dest + "/generations")) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

// kaappi on the archive folder `root`, as machine `env` (XDG_STATE_HOME).
Result on(const Sandbox& s, const std::string& root, const std::vector<std::string>& args, const Env& env = {}) {
  std::vector<std::string> argv = {bin("kaappi"), "--archive", root, "--key", s.key(), "--passphrase-file", s.pass()};
  argv.insert(argv.end(), args.begin(), args.end());
  return s.run(argv, env);
}

// verify and verify --full of the archive at `root` find it sound.
void verifies_clean_in(const Sandbox& s, const std::string& root, const Env& env) {
  for (const char* full : {"", "--full"}) {
    std::vector<std::string> args = {"verify"};
    if (*full) args.push_back(full);
    Result v = on(s, root, args, env);
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
  }
}

// An archive with customers 1001 (one document) and 1002 (one document),
// backed up to dest as generation `first`; then 1001 erased and backed up
// again as the newest generation.
struct ErasedSince {
  Sandbox& s;
  std::string dest, first, newest;
  long doc1 = 0, doc2 = 0;
  std::string blob1;                 // document 1's blob file, relative to the archive folder
  std::vector<std::string> sealed;   // sealed values of 1001, as stored before the erasure
  explicit ErasedSince(Sandbox& sandbox) : s(sandbox), dest(sandbox.path("dest")) {
    s.init_archive_with_customer();
    kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
    doc1 = s.import({s.make_pdf("form.pdf", {"--seed", "31"})}, "other", "1001").at(0);
    doc2 = s.import({s.make_pdf("other.pdf", {"--seed", "32"})}, "other", "1002").at(0);
    blob1 = blob_of(s, doc1).substr(s.archive().size());
    for (const std::string& q : {std::string("SELECT hex(name) FROM customer_versions WHERE customer_id = 1"),
                                 std::string("SELECT hex(wrapped) FROM customer_keys WHERE customer_id = 1"),
                                 "SELECT hex(meta) FROM documents WHERE id = " + std::to_string(doc1),
                                 "SELECT hex(sealed_key) FROM documents WHERE id = " + std::to_string(doc1)})
      sealed.push_back(bytes_from_hex(sql_value(s, q)));
    REQUIRE(s.kaappi({"backup", dest}).exit_code == 0);
    first = generations(dest).back();
    kaappi_ok(s, {"erase", "customer", "1001", "--reason", "the customer asked, request 1"});
    REQUIRE(s.kaappi({"backup", dest}).exit_code == 0);
    newest = generations(dest).back();
    REQUIRE(newest != first);
  }
};

void check_erased_in(const Sandbox& s, const ErasedSince& e, const std::string& root, const Env& env) {
  Result show = on(s, root, {"customer", "show", "1001"}, env);
  CHECK(show.exit_code == 5);
  CHECK(show.err.find("the customer with that number was erased on " + kaappi::today()) != std::string::npos);
  CHECK(on(s, root, {"customer", "show", "1002"}, env).exit_code == 0);
  CHECK_FALSE(fs::exists(root + e.blob1));
  for (const std::string& value : e.sealed) CHECK_FALSE(left_in_folder(root, value));
  Result get = on(s, root, {"get", std::to_string(e.doc1), "-o", root + "-gone.pdf", "--reason", "x"}, env);
  CHECK(get.exit_code == 5);
  CHECK(on(s, root, {"get", std::to_string(e.doc2), "-o", root + "-kept.pdf", "--reason", "x"}, env).exit_code == 0);
  verifies_clean_in(s, root, env);
}

}  // namespace

TEST_CASE("restoring a generation older than an erasure erases it again in the restored copy", "[backup][erase]") {
  Sandbox s;
  ErasedSince e(s);
  // A new machine (the old one lost): it knows nothing of the archive.
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-new-pc")}};
  const std::string to = s.path("restored");
  Result r = s.kaappi({"restore", e.dest, "--to", to, "--generation", e.first, "--json"}, fresh);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["generation"] == e.first);
  CHECK(j["erasure_log"] == e.newest);
  REQUIRE(j["reapplied_erasures"].size() == 1);
  const json& re = j["reapplied_erasures"][0];
  CHECK(re["erasure_of"] == kaappi::today());
  CHECK(re["generation"] == e.newest);
  CHECK(re["erasure_row"].is_number());
  CHECK(re["values_erased"].get<int>() >= 4);
  CHECK(re["documents_removed"] == json::array({e.doc1}));
  CHECK(re["differing"].empty());
  CHECK(re["not_in_copy"] == 0);
  CHECK(j["restore_row"].is_null());
  check_erased_in(s, e, to, fresh);

  // Text: the same said in words.
  const std::string to2 = s.path("restored-text");
  Result t = s.kaappi({"restore", e.dest, "--to", to2, "--generation", e.first}, {{"XDG_STATE_HOME", s.path("state-2")}});
  INFO(t.out << t.err);
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("Re-applied the erasure of " + kaappi::today() + " (kept in generation " + e.newest + "): ") !=
        std::string::npos);
  CHECK(t.out.find("document file(s) removed") != std::string::npos);
  check_erased_in(s, e, to2, {{"XDG_STATE_HOME", s.path("state-2")}});
}

TEST_CASE("on the machine that saw the erasure, an older generation is restored only with a reason, and then "
          "erased again after the restore row",
          "[backup][erase]") {
  Sandbox s;
  ErasedSince e(s);
  const std::string to = s.path("restored");
  const std::string before = s.archive_fingerprint();
  Result refused = s.kaappi({"restore", e.dest, "--to", to, "--generation", e.first});
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 4);
  CHECK(refused.out.empty());
  CHECK(refused.err.find("generation " + e.first + " holds values that 1 erasure(s) in generation " + e.newest +
                         " erased since") != std::string::npos);
  CHECK(refused.err.find("this machine saw later changes of the archive") != std::string::npos);
  CHECK(refused.err.find("--reason TEXT") != std::string::npos);
  CHECK(refused.err.find("Nothing was restored") != std::string::npos);
  CHECK_FALSE(fs::exists(to));
  CHECK_FALSE(fs::exists(s.path(".restored.restoring")));
  CHECK(s.archive_fingerprint() == before);

  Result r = s.kaappi({"restore", e.dest, "--to", to, "--generation", e.first, "--reason", "disk failed", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["restore_row"].is_object());
  CHECK_FALSE(j["needs_accept_restore"].get<bool>());
  REQUIRE(j["reapplied_erasures"].size() == 1);
  CHECK(j["reapplied_erasures"][0]["documents_removed"] == json::array({e.doc1}));
  check_erased_in(s, e, to, {});
}

TEST_CASE("a restore that would have to erase again is refused without the key, and when the newest generation does "
          "not check out, and nothing is created",
          "[backup][erase]") {
  Sandbox s;
  ErasedSince e(s);
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-new-pc")}, {"KAAPPI_NO_AGENT", "1"}};
  const std::string to = s.path("restored");
  write_text(s.path("wrong-pass"), "not the passphrase\n");
  for (const std::string& pass : {std::string(), s.path("wrong-pass")}) {
    std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "--key", s.key()};
    if (!pass.empty()) argv.insert(argv.end(), {"--passphrase-file", pass});
    argv.insert(argv.end(), {"restore", e.dest, "--to", to, "--generation", e.first});
    Result r = s.run(argv, fresh);
    INFO(pass << ": " << r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK(r.err.find("erased since, and they must be erased again in the restored copy; the archive's secret key "
                     "could not be unlocked") != std::string::npos);
    CHECK(r.err.find("Nothing was restored") != std::string::npos);
    CHECK_FALSE(fs::exists(to));
    CHECK_FALSE(fs::exists(s.path(".restored.restoring")));
  }
  // The newest generation's index damaged: what it erased cannot be known.
  const std::string index = e.dest + "/generations/" + e.newest + "/index.sqlite";
  fs::permissions(index, fs::perms::owner_read | fs::perms::owner_write);
  std::string text = read_text(index);
  text[text.size() - 100] ^= 1;
  write_text(index, text);
  Result damaged = s.kaappi({"restore", e.dest, "--to", to, "--generation", e.first}, fresh);
  INFO(damaged.out << damaged.err);
  CHECK(damaged.exit_code == 1);
  CHECK(damaged.err.find("generation " + e.newest + " of " + e.dest + ", newer than " + e.first +
                         ", does not check out") != std::string::npos);
  CHECK(damaged.err.find("Nothing was restored") != std::string::npos);
  CHECK_FALSE(fs::exists(to));
  CHECK_FALSE(fs::exists(s.path(".restored.restoring")));
}

TEST_CASE("erase customer removes their envelopes from the inbox's rejected/, keeps the others and names one it "
          "cannot open",
          "[erase][ingest]") {
  Sandbox s;
  s.init_archive_with_station(s.path("desk.key"));
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  const std::string rejected = s.archive() + "/inbox/rejected";
  fs::create_directories(rejected);
  fs::permissions(rejected, fs::perms::owner_all);
  fs::create_directories(s.path("forged"));
  auto forge = [&](const std::string& file_name, const std::string& as) {
    Result r = s.run({bin("forge_envelope"), "--public-key", s.path("archive.pub"), "--station-key", s.path("desk.key"),
                      "--inbox", s.path("forged"), "--file", s.make_pdf(as + ".pdf", {"--seed", as}), "--set",
                      "file_name=\"" + file_name + "\""});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string path = r.out.substr(0, r.out.find('\n'));
    const std::string name = as + ".kenv";
    fs::rename(path, rejected + "/" + name);
    write_text(rejected + "/" + name + ".reason", "refused for the test\n");
    return name;
  };
  const std::string theirs = forge("1001-contract.pdf", "11");
  const std::string theirs2 = forge("scan 1001.pdf", "12");
  const std::string other = forge("1002-contract.pdf", "13");
  const std::string longer = forge("10012.pdf", "14");
  write_text(rejected + "/junk.kenv", "not an envelope");

  Result dry = s.kaappi({"erase", "customer", "1001", "--dry-run"});
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  CHECK(dry.out.find("Would remove 2 envelopes of customer 1001 from " + s.archive() + "/inbox/rejected/") !=
        std::string::npos);
  CHECK(fs::exists(rejected + "/" + theirs));

  Result r = s.kaappi({"erase", "customer", "1001", "--reason", "asked", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["rejected_envelopes"]["removed"] == json::array({theirs, theirs2}));
  REQUIRE(j["rejected_envelopes"]["left"].size() == 1);
  CHECK(j["rejected_envelopes"]["left"][0].get<std::string>().rfind("junk.kenv: ", 0) == 0);
  for (const std::string& gone : {theirs, theirs2}) {
    CHECK_FALSE(fs::exists(rejected + "/" + gone));
    CHECK_FALSE(fs::exists(rejected + "/" + gone + ".reason"));
  }
  for (const std::string& kept : {other, longer}) {
    CHECK(fs::exists(rejected + "/" + kept));
    CHECK(fs::exists(rejected + "/" + kept + ".reason"));
  }
  CHECK(fs::exists(rejected + "/junk.kenv"));
  check_verifies_clean(s);

  // In words.
  Result t = s.kaappi({"erase", "customer", "1002", "--reason", "asked"});
  INFO(t.out << t.err);
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("Removed 1 envelope of customer 1002 from " + s.archive() + "/inbox/rejected/, with their "
                   "reasons.\n") != std::string::npos);
  CHECK(t.out.find("Left in " + s.archive() + "/inbox/rejected/ (could not be opened to tell whose it is): "
                   "junk.kenv: ") != std::string::npos);
  CHECK(fs::exists(rejected + "/" + longer));
}

namespace {

// Customer 3001 under a customer hold and 3002 with a contract (kept by the
// retention rule), both on the e-mail marketing list, backed up as `first`;
// then both erased (exit 6: 3001 wholly restricted, 3002's contract
// restricted, the rest of 3002 erased) and backed up again as `newest`.
struct RestrictedSince {
  Sandbox& s;
  std::string dest, first, newest;
  long contract = 0;
  explicit RestrictedSince(Sandbox& sandbox) : s(sandbox), dest(sandbox.path("dest")) {
    s.init_archive_with_customer();
    kaappi_ok(s, {"customer", "add", "--number", "3001", "--name", "Held Hannu", "--email", "hannu@example.org"});
    kaappi_ok(s, {"customer", "add", "--number", "3002", "--name", "Contract Kaisa", "--email", "kaisa@example.org"});
    const long form1 = s.import({s.make_pdf("h1.pdf", {"--form", "consent", "--seed", "31"})}, "consent-form", "3001").at(0);
    contract = s.import({s.make_pdf("h2.pdf", {"--form", "contract", "--seed", "32"})}, "contract", "3002").at(0);
    const long form2 = s.import({s.make_pdf("h3.pdf", {"--form", "consent", "--seed", "33"})}, "consent-form", "3002").at(0);
    kaappi_ok(s, {"consent", "set", "--customer", "3001", "--purpose", "email-marketing", "--state", "granted",
                  "--document", std::to_string(form1)});
    kaappi_ok(s, {"consent", "set", "--customer", "3002", "--purpose", "email-marketing", "--state", "granted",
                  "--document", std::to_string(form2)});
    kaappi_ok(s, {"hold", "add", "--customer", "3001", "--until", "2027-06-30", "--reason", "dispute"});
    REQUIRE(s.kaappi({"backup", dest}).exit_code == 0);
    first = generations(dest).back();
    REQUIRE(s.kaappi({"erase", "customer", "3001", "--reason", "asked"}).exit_code == 6);
    REQUIRE(s.kaappi({"erase", "customer", "3002", "--reason", "asked"}).exit_code == 6);
    REQUIRE(s.kaappi({"backup", dest}).exit_code == 0);
    newest = generations(dest).back();
    REQUIRE(newest != first);
  }
};

// In `root`: 3001 restricted (shown so, on no list, no consent to contact
// them), 3002 erased with their contract restricted, verify clean.
void check_restricted_in(const Sandbox& s, const RestrictedSince& e, const std::string& root, const Env& env) {
  const std::string today = kaappi::today();
  Result list = on(s, root, {"consent", "list", "--purpose", "email-marketing", "--state", "granted"}, env);
  INFO(list.out << list.err);
  CHECK(list.out.find("3001") == std::string::npos);
  CHECK(list.out.find("3002") == std::string::npos);
  CHECK(list.out.find("hannu@") == std::string::npos);
  Result show = on(s, root, {"customer", "show", "3001"}, env);
  INFO(show.out << show.err);
  CHECK(show.out.find("Restricted:         since " + today + ": their erasure was asked") != std::string::npos);
  CHECK(on(s, root, {"customer", "show", "3002"}, env).exit_code == 5);
  Result due = on(s, root, {"retention", "due", "--all", "--json"}, env);
  INFO(due.out << due.err);
  REQUIRE(due.exit_code == 0);
  const json restricted = json::parse(due.out)["restricted"];
  CHECK(restricted.size() == 2);
  CHECK(restricted.dump().find("\"document\":" + std::to_string(e.contract)) != std::string::npos);
  Result consent = on(s, root, {"consent", "set", "--customer", "3001", "--purpose", "sms-marketing", "--state",
                                "granted"}, env);
  CHECK(consent.exit_code == 4);
  CHECK(consent.err.find("the customer is restricted since " + today) != std::string::npos);
  verifies_clean_in(s, root, env);
}

}  // namespace

TEST_CASE("restoring a generation older than an erasure that a hold or a retention rule kept restricts again what "
          "the newest generation restricted",
          "[backup][erase]") {
  Sandbox s;
  RestrictedSince e(s);
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-new-pc")}};
  const std::string to = s.path("restored");
  Result r = s.kaappi({"restore", e.dest, "--to", to, "--generation", e.first, "--json"}, fresh);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["erasure_log"] == e.newest);
  CHECK(j["reapplied_erasures"].size() == 1);  // 3002's; 3001's erasure erased nothing
  const json& rs = j["reapplied_restrictions"];
  REQUIRE(rs.size() == 2);
  CHECK(rs[0]["customer"] == "3001");
  CHECK(rs[0]["document"].is_null());
  CHECK(rs[0]["until"] == "2027-06-30");
  CHECK(rs[0]["restricted_on"] == kaappi::today());
  CHECK(rs[0]["generation"] == e.newest);
  CHECK(rs[0]["restriction_row"].is_number());
  CHECK(rs[0]["skipped"].is_null());
  CHECK(rs[1]["document"] == e.contract);
  CHECK(rs[1]["customer"].is_null());  // 3002, erased again by the same restore
  CHECK(rs[1]["restriction_row"].is_number());
  check_restricted_in(s, e, to, fresh);

  // On the machine that saw it, with the reason that gives its later changes up; said in words.
  const std::string to2 = s.path("restored-text");
  Result t = s.kaappi({"restore", e.dest, "--to", to2, "--generation", e.first, "--reason", "x"});
  INFO(t.out << t.err);
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("Re-applied the restriction of " + kaappi::today() + " (kept in generation " + e.newest +
                   "): customer 3001 restricted again until 2027-06-30 under restriction row ") != std::string::npos);
  CHECK(t.out.find("): document " + std::to_string(e.contract) + " restricted again until ") != std::string::npos);
  check_restricted_in(s, e, to2, {});

  // The newest generation itself restores as it is.
  const std::string to3 = s.path("restored-newest");
  Result n = s.kaappi({"restore", e.dest, "--to", to3, "--json"}, {{"XDG_STATE_HOME", s.path("state-3")}});
  INFO(n.out << n.err);
  REQUIRE(n.exit_code == 0);
  CHECK(json::parse(n.out)["reapplied_restrictions"].empty());
  check_restricted_in(s, e, to3, {{"XDG_STATE_HOME", s.path("state-3")}});
}

TEST_CASE("a restore from a backup rolled back against this machine's record is refused, and nothing is written",
          "[backup][erase]") {
  Sandbox s;
  RestrictedSince e(s);
  kaappi_ok(s, {"customer", "add", "--number", "3003", "--name", "Later Lauri"});
  REQUIRE(s.kaappi({"backup", e.dest}).exit_code == 0);
  const std::string third = generations(e.dest).back();
  REQUIRE(third != e.newest);
  // The newest generations removed at the destination, one by one.
  const std::string before = s.archive_fingerprint();
  const std::string to = s.path("restored");
  for (const std::string& gone : {third, e.newest}) {
    fs::remove_all(e.dest + "/generations/" + gone);
    const std::string left = generations(e.dest).back();
    Result v = s.kaappi({"verify-backup", e.dest});
    CHECK(v.exit_code == 1);
    CHECK(v.out.find("backup rolled back") != std::string::npos);
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{}, {"--generation", e.first}, {"--reason", "x"},
          {"--generation", e.first, "--reason", "x", "--json"}}) {
      std::vector<std::string> args = {"restore", e.dest, "--to", to};
      args.insert(args.end(), extra.begin(), extra.end());
      Result r = s.kaappi(args);
      INFO(gone << " removed, " << left << " left: " << r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK(r.out.empty());
      CHECK(r.err.find("backup " + e.dest + " was rolled back: this machine recorded generation " + third) !=
            std::string::npos);
      CHECK(r.err.find("What was erased in generation " + third + " (or before it, in generations no longer "
                       "there) could not be erased again in the restored copy, so restoring would bring erased "
                       "data back. Restore from where generation " + third + " is (another copy of this backup)") !=
            std::string::npos);
      CHECK(r.err.find("Nothing was restored") != std::string::npos);
      CHECK_FALSE(fs::exists(to));
      CHECK_FALSE(fs::exists(s.path(".restored.restoring")));
      CHECK(s.archive_fingerprint() == before);
    }
  }
  // A machine with no record of the destination restores it as before.
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-new-pc")}};
  Result other = s.kaappi({"restore", e.dest, "--to", to, "--json"}, fresh);
  INFO(other.out << other.err);
  REQUIRE(other.exit_code == 0);
  CHECK(json::parse(other.out)["generation"] == e.first);
  // Here: backed up again, the destination has a generation with all of it, and restores.
  REQUIRE(s.kaappi({"backup", e.dest}).exit_code == 0);
  CHECK(s.kaappi({"verify-backup", e.dest}).exit_code == 0);
  const std::string to2 = s.path("restored-again");
  Result again = s.kaappi({"restore", e.dest, "--to", to2, "--generation", e.first, "--reason", "x"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  check_restricted_in(s, e, to2, {});
}

TEST_CASE("a copy of a backup whose newer generations were removed, restored from another path, erases again what "
          "this machine's archive erased",
          "[backup][erase]") {
  Sandbox s;
  ErasedSince e(s);
  // The backup disk copied elsewhere, its newest generation (the one with the erasure) removed.
  const std::string copy = s.path("copy");
  fs::copy(e.dest, copy, fs::copy_options::recursive);
  fs::remove_all(copy + "/generations/" + e.newest);
  const std::string to = s.path("restored");
  const std::string before = s.archive_fingerprint();
  Result refused = s.kaappi({"restore", copy, "--to", to});
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 4);
  CHECK(refused.err.find("generation " + e.first + " holds values that 1 erasure(s) in this machine's archive " +
                         s.archive() + " erased since") != std::string::npos);
  CHECK(refused.err.find("Nothing was restored") != std::string::npos);
  CHECK_FALSE(fs::exists(to));
  CHECK(s.archive_fingerprint() == before);

  Result r = s.kaappi({"restore", copy, "--to", to, "--reason", "the backup disk's copy", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  REQUIRE(j["reapplied_erasures"].size() == 1);
  CHECK(j["reapplied_erasures"][0]["archive"] == s.archive());
  CHECK(j["reapplied_erasures"][0]["generation"].is_null());
  check_erased_in(s, e, to, {});
}
