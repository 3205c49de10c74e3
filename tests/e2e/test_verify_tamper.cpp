// test_verify_tamper.cpp — every tampering the issue names is caught by both
// keyless and full verification, naming the document where there is one.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

struct Found {
  nlohmann::json report;
  bool has(std::optional<long> doc, const std::string& problem_part) const {
    for (const auto& p : report["problems"]) {
      bool doc_ok = doc ? (!p["document"].is_null() && p["document"] == *doc) : p["document"].is_null();
      if (doc_ok && p["problem"].get<std::string>().find(problem_part) != std::string::npos) return true;
    }
    return false;
  }
};

// Runs verify (keyless, then full) and checks both found the problem.
void expect_both(const Sandbox& s, std::optional<long> doc, const std::string& keyless_problem,
                 const std::string& full_problem) {
  for (bool full : {false, true}) {
    std::vector<std::string> args = {"verify", "--json"};
    if (full) args.push_back("--full");
    Result r = s.kaappi(args);
    INFO((full ? "full: " : "keyless: ") << r.out << r.err);
    CHECK(r.exit_code == 1);
    Found f{nlohmann::json::parse(r.out)};
    CHECK(f.report["ok"] == false);
    CHECK(f.has(doc, full ? full_problem : keyless_problem));
  }
}

// Two documents, two customers, a consent and a read, verified clean: built
// once per test process, copied for each section.
struct TamperedTemplate {
  Sandbox s;
  long a = 0, b = 0;
  TamperedTemplate() {
    s.init_archive_with_customer();
    Result c = s.kaappi({"customer", "add", "--number", "2002", "--name", "Toinen Asiakas Oy"});
    REQUIRE(c.exit_code == 0);
    auto ids = s.import({s.make_pdf("one.pdf", {"--pages", "3", "--seed", "21", "--size-mb", "1"}),
                         s.make_pdf("two.pdf", {"--pages", "2", "--seed", "22"})});
    a = ids[0];
    b = ids[1];
    REQUIRE(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted",
                      "--document", std::to_string(a)}).exit_code == 0);
    REQUIRE(s.kaappi({"get", std::to_string(a), "-o", s.path("read.pdf"), "--reason", "check"}).exit_code == 0);
  }
};

struct Tampered {
  Sandbox s;
  long a = 0, b = 0;
  Tampered() {
    static TamperedTemplate once;
    s.copy_from(once.s);
    a = once.a;
    b = once.b;
    Result clean = s.kaappi({"verify", "--full", "--json"});
    INFO(clean.out);
    REQUIRE(clean.exit_code == 0);
  }
};

}  // namespace

TEST_CASE("verify --json reports a clean archive in the documented shape", "[verify]") {
  Tampered t;
  Result r = t.s.kaappi({"verify", "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["ok"] == true);
  CHECK(j["documents_checked"] == 2);
  CHECK(j["bytes_checked"].get<long>() > 20000);
  CHECK(j["problems"].empty());
  // A public key given on the command line works without the key file.
  Result pub = t.s.kaappi({"key", "public"});
  Result v = t.s.run({bin("kaappi"), "--archive", t.s.archive(), "verify", "--public-key", pub.out.substr(0, pub.out.size() - 1)});
  CHECK(v.exit_code == 0);
}

TEST_CASE("tampered blobs are caught, naming the document", "[verify][tamper]") {
  Tampered t;
  std::string blob = blob_of(t.s, t.a);
  std::string data = read_text(blob);
  SECTION("a flipped byte") {
    data[data.size() / 2] ^= 0x01;
    write_text(blob, data);
    expect_both(t.s, t.a, "blob altered", "blob altered");
  }
  SECTION("a flipped byte in the header") {
    data[30] ^= 0x40;
    write_text(blob, data);
    expect_both(t.s, t.a, "blob swapped", "blob swapped");
  }
  SECTION("truncated") {
    write_text(blob, data.substr(0, data.size() - 100));
    expect_both(t.s, t.a, "blob truncated", "blob truncated");
  }
  SECTION("truncated exactly at a chunk boundary") {
    write_text(blob, data.substr(0, 68 + (65536 + 17)));
    expect_both(t.s, t.a, "blob truncated", "blob truncated");
  }
  SECTION("bytes appended") {
    write_text(blob, data + "extra");
    expect_both(t.s, t.a, "bytes appended", "bytes appended");
  }
  SECTION("deleted") {
    REQUIRE(::unlink(blob.c_str()) == 0);
    expect_both(t.s, t.a, "blob missing", "blob missing");
  }
  SECTION("two blobs swapped") {
    std::string other = blob_of(t.s, t.b);
    std::string other_data = read_text(other);
    write_text(blob, other_data);
    write_text(other, data);
    expect_both(t.s, t.a, "blob swapped", "blob swapped");
    expect_both(t.s, t.b, "blob swapped", "blob swapped");
  }
  SECTION("replaced by a blob from another archive") {
    Sandbox other;
    other.init_archive_with_customer();
    long id = other.import({other.make_pdf("x.pdf", {"--seed", "21", "--pages", "3"})}).at(0);
    write_text(blob, read_text(blob_of(other, id)));
    expect_both(t.s, t.a, "blob from another archive", "blob from another archive");
  }
  SECTION("a blob with no row") {
    std::string planted = t.s.archive() + "/blobs/ab/abababababababababababababababab.blob";
    write_text(planted, data);
    expect_both(t.s, std::nullopt, "blob with no index row", "blob with no index row");
  }
}

TEST_CASE("edited, deleted and planted index rows are caught", "[verify][tamper]") {
  Tampered t;
  std::string a = std::to_string(t.a), b = std::to_string(t.b);
  SECTION("a document row deleted") {
    sql(t.s, "DELETE FROM documents WHERE id = " + b);
    expect_both(t.s, std::nullopt, "index row deleted", "index row deleted");
    expect_both(t.s, std::nullopt, "blob with no index row", "blob with no index row");
  }
  SECTION("customer link edited") {
    sql(t.s, "UPDATE documents SET customer_id = 2 WHERE id = " + a);
    expect_both(t.s, t.a, "index entry altered", "index entry altered");
  }
  SECTION("kind edited") {
    sql(t.s, "UPDATE documents SET kind = 'other' WHERE id = " + a);
    expect_both(t.s, t.a, "index entry altered", "index entry altered");
  }
  SECTION("size edited") {
    sql(t.s, "UPDATE documents SET plain_size = plain_size + 1 WHERE id = " + a);
    expect_both(t.s, t.a, "index entry altered", "index entry altered");
  }
  SECTION("document key swapped with another document's") {
    sql(t.s, "UPDATE documents SET sealed_key = (SELECT sealed_key FROM documents WHERE id = " + b + ") WHERE id = " + a);
    expect_both(t.s, t.a, "index entry altered", "blob fails authentication");
  }
  SECTION("a customer's encrypted name copied onto another customer") {
    sql(t.s, "UPDATE customer_versions SET name = (SELECT name FROM customer_versions WHERE customer_id = 1) "
             "WHERE customer_id = 2");
    expect_both(t.s, std::nullopt, "customer record altered", "customer record altered");
  }
  SECTION("a consent event deleted") {
    sql(t.s, "DELETE FROM consent_events");
    expect_both(t.s, std::nullopt, "index row deleted", "index row deleted");
  }
  SECTION("an access log entry deleted") {
    sql(t.s, "DELETE FROM access_log");
    expect_both(t.s, std::nullopt, "index row deleted", "index row deleted");
  }
  SECTION("the head's signature replaced by another change's") {
    sql(t.s, "UPDATE transactions SET sig = (SELECT sig FROM transactions WHERE tx = 1) WHERE tx = "
             "(SELECT max(tx) FROM transactions)");
    expect_both(t.s, std::nullopt, "signed head altered", "signed head altered");
  }
  SECTION("the newest change deleted whole, its rows and its transaction") {
    sql(t.s, "DELETE FROM access_log; DELETE FROM transactions WHERE tx = (SELECT max(tx) FROM transactions)");
    expect_both(t.s, std::nullopt, "archive rolled back", "archive rolled back");
  }
  SECTION("a change's time edited") {
    sql(t.s, "UPDATE transactions SET at = at - 86400 WHERE tx = 2");
    expect_both(t.s, std::nullopt, "signed head", "signed head");
  }
  SECTION("a trigger planted in the schema; writes are refused") {
    sql(t.s, "CREATE TRIGGER spy AFTER INSERT ON access_log BEGIN DELETE FROM consent_events; END");
    expect_both(t.s, std::nullopt, "index schema altered", "index schema altered");
    Result r = t.s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "withdrawn"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("altered outside kaappi") != std::string::npos);
  }
}

TEST_CASE("an SQLite index made to disagree with its table is caught, and no lookup follows it",
          "[verify][tamper]") {
  Tampered t;
  REQUIRE(t.s.kaappi({"consent", "set", "--customer", "2002", "--purpose", "email-marketing", "--state",
                      "withdrawn"}).exit_code == 0);
  REQUIRE(t.s.kaappi({"verify"}).exit_code == 0);
  const std::string a = sql_value(t.s, "SELECT min(id) FROM consent_events WHERE customer_id = 1");
  const std::string b = sql_value(t.s, "SELECT max(id) FROM consent_events WHERE customer_id = 2");
  const std::string root = sql_value(t.s, "SELECT rootpage FROM sqlite_schema WHERE name = 'consent_events_by_customer'");
  const std::string swap = "UPDATE consent_events SET customer_id = CASE id WHEN " + a + " THEN 2 ELSE 1 END WHERE id IN (" +
                           a + ", " + b + ")";
  // The index follows the swap; then, with the index hidden from SQLite, the
  // table gets its signed values back; then the index is shown again.
  sql(t.s, swap);
  sql(t.s, "PRAGMA writable_schema=ON; DELETE FROM sqlite_schema WHERE name = 'consent_events_by_customer'");
  sql(t.s, "UPDATE consent_events SET customer_id = CASE id WHEN " + a + " THEN 1 ELSE 2 END WHERE id IN (" + a + ", " +
               b + ")");
  sql(t.s, "PRAGMA writable_schema=ON; INSERT INTO sqlite_schema(type, name, tbl_name, rootpage, sql) VALUES ('index', "
           "'consent_events_by_customer', 'consent_events', " + root +
           ", 'CREATE INDEX consent_events_by_customer ON consent_events(customer_id)')");
  expect_both(t.s, std::nullopt, "index structure damaged", "index structure damaged");
  std::string before = t.s.archive_fingerprint();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"consent", "show", "2002"}, {"consent", "history", "1001"},
        {"consent", "set", "--customer", "2002", "--purpose", "research", "--state", "granted"}}) {
    Result r = t.s.kaappi(args);
    INFO(args[1] << ": " << r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("an SQLite index does not match its table") != std::string::npos);
    CHECK(r.out.find("email-marketing") == std::string::npos);
  }
  CHECK(t.s.archive_fingerprint() == before);
}

TEST_CASE("a change naming an absurd row number is reported at once and never built on", "[verify][tamper]") {
  Tampered t;
  sql(t.s, "UPDATE transactions SET last_seq = 9223372036854775807 WHERE tx = (SELECT max(tx) FROM transactions)");
  expect_both(t.s, std::nullopt, "signed transaction altered", "signed transaction altered");
  std::string before = t.s.archive_fingerprint();
  // Also on a machine that has never seen the archive.
  Result w = t.s.kaappi({"customer", "add", "--number", "3003", "--name", "Kolmas Oy"},
                        {{"XDG_STATE_HOME", t.s.path("new-machine")}});
  INFO(w.err);
  CHECK(w.exit_code == 1);
  CHECK(w.err.find("nothing was changed") != std::string::npos);
  CHECK(t.s.archive_fingerprint() == before);
}

TEST_CASE("a machine that never saw the archive does not write on a head whose digest does not follow",
          "[verify][tamper]") {
  Tampered t;
  sql(t.s, "UPDATE transactions SET at = at + 1 WHERE tx = (SELECT max(tx) FROM transactions)");
  std::string before = t.s.archive_fingerprint();
  Result w = t.s.kaappi({"customer", "add", "--number", "3003", "--name", "Kolmas Oy"},
                        {{"XDG_STATE_HOME", t.s.path("new-machine")}});
  INFO(w.err);
  CHECK(w.exit_code == 1);
  CHECK(w.err.find("its head does not match its signature") != std::string::npos);
  CHECK(t.s.archive_fingerprint() == before);
}

TEST_CASE("an archive rolled back to an older copy is caught", "[verify][tamper]") {
  Tampered t;
  Result cp = t.s.run({"/bin/cp", "-a", t.s.archive(), t.s.path("old-copy")});
  REQUIRE(cp.exit_code == 0);
  t.s.import({t.s.make_pdf("three.pdf", {"--seed", "23"})});
  REQUIRE(t.s.run({"/bin/sh", "-c", "rm -rf '" + t.s.archive() + "' && mv '" + t.s.path("old-copy") + "' '" +
                                        t.s.archive() + "'"}).exit_code == 0);
  expect_both(t.s, std::nullopt, "rolled back", "rolled back");
}

TEST_CASE("a machine that only ran verify also catches a later rollback", "[verify][tamper]") {
  Tampered t;
  REQUIRE(t.s.run({"/bin/cp", "-a", t.s.archive(), t.s.path("old-copy")}).exit_code == 0);
  t.s.import({t.s.make_pdf("three.pdf", {"--seed", "23"})});
  const std::map<std::string, std::string> backup_host = {{"XDG_STATE_HOME", t.s.path("backup-host-state")}};
  std::vector<std::string> verify = {bin("kaappi"), "--archive", t.s.archive(), "--key", t.s.key(), "verify", "--json"};
  REQUIRE(t.s.run(verify, backup_host).exit_code == 0);
  REQUIRE(t.s.run({"/bin/sh", "-c", "rm -rf '" + t.s.archive() + "' && mv '" + t.s.path("old-copy") + "' '" +
                                        t.s.archive() + "'"}).exit_code == 0);
  Result r = t.s.run(verify, backup_host);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("archive rolled back") != std::string::npos);
}
