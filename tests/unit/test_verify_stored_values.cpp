// test_verify_stored_values.cpp — values stored otherwise than kaappi stores
// them (NULL and 0, the integer 5 and the text '5', text and blob) and links
// to rows that do not exist are problems for both verify levels, named for
// what they are, and (values) caught by the transaction's signature too,
// whose row hashes tell them apart. Written into the index file the way
// someone with a copy of the folder could (raw SQLite, STRICT switched off
// and on again).

#include <algorithm>
#include <catch2/catch.hpp>

#include "base/bytes.h"
#include "support/archive_fixture.h"
#include "support/raw_sql.h"
#include "verify/verifier.h"

using namespace kaappi;
using kaappi::test::ArchiveFixture;

namespace {

using kaappi::test::raw_sql;

// Runs `sql` with `table`'s definition loosened (each `strict` text replaced
// by its `loose` one, so SQLite stores what it is given), and restores the
// definition: the schema reads exactly as kaappi made it.
void with_loosened(const std::string& path, const std::string& table,
                   const std::vector<std::pair<std::string, std::string>>& strict_loose, const std::string& sql) {
  auto swap = [&](bool loosen) {
    std::string edit = "PRAGMA writable_schema=ON;";
    for (const auto& [strict, loose] : strict_loose)
      edit += " UPDATE sqlite_schema SET sql = replace(sql, '" + (loosen ? strict : loose) + "', '" +
              (loosen ? loose : strict) + "') WHERE name = '" + table + "';";
    raw_sql(path, edit + " PRAGMA writable_schema=OFF;");
  };
  swap(true);
  raw_sql(path, sql);
  swap(false);
}

// Runs `sql` on `table` without STRICT; an integer `column` then has no
// type affinity either, so text or a real stays what it is.
void misstore(const std::string& path, const std::string& table, const std::string& sql,
              const std::string& integer_column = "") {
  std::vector<std::pair<std::string, std::string>> loosen = {{" STRICT", " /*loosened*/"}};
  if (!integer_column.empty()) loosen.push_back({integer_column + " INTEGER", integer_column + " BLOB /*any*/"});
  with_loosened(path, table, loosen, sql);
}

Bytes filler(size_t n, std::uint8_t v) { return Bytes(n, v); }

// An archive with a row in every signed table: customer 1, document 1 taken
// in without a customer and assigned to it later, document 2 filed to it, a
// consent event, an access to document 2, station 1 and its revocation.
struct Planted {
  ArchiveFixture f;
  std::string index_path;
  Planted() {
    index_path = f.root() + "/index.sqlite";
    f.add_customer("1001", "Asiakas Oy");
    f.session().write([&](Index::Writer& w) {
      for (std::int64_t customer : {0, 1}) {
        DocumentRow d;
        d.uid = filler(16, static_cast<std::uint8_t>(0x10 + customer));
        d.customer_id = customer;
        d.kind = "consent-form";
        d.pages = 3;
        d.plain_size = 1000;
        d.blob_size = 2000;
        d.blob_hash = filler(32, 1);
        d.sealed_key = filler(80, 2);
        d.content_tag = filler(32, static_cast<std::uint8_t>(3 + customer));
        d.meta = filler(40, 4);
        d.imported_at = 1772366400;
        w.insert_document(d);
      }
      AssignmentRow a;
      a.uid = filler(16, 0x20);
      a.document_id = 1;
      a.customer_id = 1;
      a.at = 1772366500;
      w.insert_assignment(a);
      ConsentEventRow e;
      e.uid = filler(16, 0x30);
      e.customer_id = 1;
      e.recorded_at = 1772366600;
      e.event = filler(50, 5);
      w.insert_consent_event(e);
      AccessRow r;
      r.uid = filler(16, 0x40);
      r.document_id = 2;
      r.at = 1772366700;
      r.action = "get";
      r.reason = filler(40, 6);
      w.insert_access(r);
      StationRow st;
      st.uid = filler(16, 0x50);
      st.name = filler(40, 7);
      st.sign_pk = filler(32, 8);
      st.added_at = 1772366800;
      w.insert_station(st);
      StationRevocationRow rev;
      rev.uid = filler(16, 0x60);
      rev.station_id = 1;
      rev.revoked_at = 1772366900;
      w.insert_station_revocation(rev);
    });
  }

  // Each problem of a keyless (or full) verify as "document|problem|detail".
  std::vector<std::string> problems(bool full) {
    f.reopen(Access::read);  // as verify opens it: a write would be refused on some of these
    Session& s = f.session();
    ArchivePublicKey key{s.archive().archive_id(), s.secrets().box_pk(), s.secrets().sign_pk()};
    VerifyOptions options;
    options.quiet = true;
    VerifyReport r = verify_archive(s.archive(), key, full ? &s : nullptr, options);
    std::vector<std::string> out;
    for (const auto& p : r.problems)
      out.push_back((p.document ? std::to_string(*p.document) : "-") + "|" + p.problem + "|" + p.detail);
    return out;
  }
};

enum class Signature { fails, holds };

// The problems verify finds after `edit` and not before, at both levels:
// `expected`, and (Signature::fails) the signed transaction's rows not
// matching, which is all else it may find besides SQLite's integrity check.
void expect_new_problems(Planted& p, const std::function<void()>& edit, const std::vector<std::string>& expected,
                         Signature signature = Signature::fails) {
  std::vector<std::string> before[2] = {p.problems(false), p.problems(true)};
  edit();
  for (bool full : {false, true}) {
    std::vector<std::string> after = p.problems(full);
    std::vector<std::string> added;
    bool signature_failed = false;
    for (const auto& a : after) {
      if (std::find(before[full].begin(), before[full].end(), a) != before[full].end()) continue;
      if (a.find("does not match its signature: one of its") != std::string::npos ||
          a.find("which kaappi never stores") != std::string::npos) {
        signature_failed = true;
        continue;
      }
      if (a.find("|index structure damaged|SQLite's integrity check: ") != std::string::npos)
        continue;  // SQLite's own check of STRICT types and CHECKs may say it too
      added.push_back(a);
    }
    INFO((full ? "full" : "keyless"));
    std::sort(added.begin(), added.end());
    std::vector<std::string> want = expected;
    std::sort(want.begin(), want.end());
    CHECK(added == want);
    CHECK(signature_failed == (signature == Signature::fails));
  }
}

}  // namespace

TEST_CASE("a document's empty customer link stored as 0 is a problem at both levels", "[verify][stored-values]") {
  Planted p;
  expect_new_problems(p, [&] { raw_sql(p.index_path, "UPDATE documents SET customer_id = 0 WHERE id = 1"); },
                      {"1|index entry altered|document 1: customer link is 0, which is neither empty nor an existing "
                       "customer"});
  // The readers read 0 as the signature does: no customer, so the later assignment still counts.
  CHECK(p.f.session().index().document(1)->owner() == 1);
  CHECK(p.f.session().index().documents(0).empty());
}

TEST_CASE("a value stored in another storage class than kaappi's is a problem at both levels",
          "[verify][stored-values]") {
  Planted p;
  SECTION("an integer as text") {
    expect_new_problems(p, [&] { misstore(p.index_path, "documents", "UPDATE documents SET pages = '3' WHERE id = 2", "pages"); },
                        {"2|index entry altered|document 2: pages is stored as text, where kaappi stores integer"});
  }
  SECTION("an integer as a real") {
    expect_new_problems(
        p, [&] { misstore(p.index_path, "consent_events", "UPDATE consent_events SET recorded_at = 1772366600.0",
                               "recorded_at"); },
        {"-|consent event altered|consent event 1: recorded_at is stored as real, where kaappi stores integer"});
  }
  SECTION("an empty link as the text '0'") {
    expect_new_problems(
        p, [&] { misstore(p.index_path, "documents", "UPDATE documents SET customer_id = '0' WHERE id = 1",
                               "customer_id"); },
        {"1|index entry altered|document 1: customer_id is stored as text, where kaappi stores integer"});
  }
  SECTION("text as a blob") {
    expect_new_problems(
        p, [&] { misstore(p.index_path, "access_log", "UPDATE access_log SET action = CAST(action AS BLOB)"); },
        {"-|access log altered|access log entry 1: action is stored as blob, where kaappi stores text"});
  }
  SECTION("a blob as text") {
    expect_new_problems(
        p, [&] { misstore(p.index_path, "stations", "UPDATE stations SET sign_pk = CAST(sign_pk AS TEXT)"); },
        {"-|station record altered|station 1: sign_pk is stored as text, where kaappi stores blob"});
  }
  SECTION("a transaction's signature as text") {
    expect_new_problems(
        p, [&] { misstore(p.index_path, "transactions", "UPDATE transactions SET sig = CAST(sig AS TEXT) WHERE tx = 2"); },
        {"-|index altered outside kaappi|transaction 2's sig is stored as text, where kaappi stores blob"},
        Signature::holds);
  }
  SECTION("the archive's identity as text") {
    expect_new_problems(
        p, [&] { misstore(p.index_path, "archive", "UPDATE archive SET archive_id = CAST(archive_id AS TEXT)"); },
        {"-|archive record altered|archive record: archive_id is stored as text, where kaappi stores blob"});
  }
  SECTION("the head's last row number as text") {
    expect_new_problems(
        p, [&] {
          misstore(p.index_path, "transactions", "UPDATE transactions SET last_seq = CAST(last_seq AS TEXT) WHERE tx = 3",
                   "last_seq");
        },
        {"-|index altered outside kaappi|transaction 3's last_seq is stored as text, where kaappi stores integer"},
        Signature::holds);
  }
}

TEST_CASE("a link to a row that does not exist is a problem at both levels", "[verify][stored-values]") {
  Planted p;
  SECTION("customers") {
    expect_new_problems(p, [&] { raw_sql(p.index_path, "DELETE FROM customers"); },
                        {"-|index row deleted|the row with sequence number 2 (change 2) is missing",
                         "-|customer record altered|customer 1 version 1: customer link is 1, which is not an existing "
                         "customer",
                         "-|customer record altered|customer 1 key: customer link is 1, which is not an existing "
                         "customer",
                         "2|index entry altered|document 2: customer link is 1, which is neither empty nor an existing "
                         "customer",
                         "1|assignment altered|document assignment 1: customer link is 1, which is not an existing "
                         "customer",
                         "-|consent event altered|consent event 1: customer link is 1, which is not an existing customer"},
                        Signature::holds);
  }
  SECTION("documents") {
    expect_new_problems(p, [&] { raw_sql(p.index_path, "DELETE FROM documents WHERE id = 2"); },
                        {"-|index row deleted|the row with sequence number 6 (change 3) is missing",
                         "-|access log altered|access log entry 1: document link is 2, which is not an existing "
                         "document"},
                        Signature::holds);
  }
  SECTION("a document's twin") {
    expect_new_problems(p, [&] { raw_sql(p.index_path, "UPDATE documents SET twin_of = 99 WHERE id = 2"); },
                        {"2|index entry altered|document 2: twin_of link is 99, which is neither empty nor an "
                         "existing document"},
                        Signature::fails);
  }
  SECTION("stations") {
    expect_new_problems(p, [&] { raw_sql(p.index_path, "DELETE FROM stations"); },
                        {"-|index row deleted|the row with sequence number 10 (change 3) is missing",
                         "-|station record altered|station revocation 1: station link is 1, which is not an existing "
                         "station"},
                        Signature::holds);
  }
}

TEST_CASE("a second archive row is a problem at both levels", "[verify][stored-values]") {
  Planted p;
  expect_new_problems(p, [&] {
    with_loosened(p.index_path, "archive", {{"CHECK (id = 1)", "/*unchecked*/"}},
                  "INSERT INTO archive SELECT 2, archive_id, format_version, box_pk, sign_pk, created_at, seq + 100 "
                  "FROM archive");
  }, {"-|index altered outside kaappi|the archive table holds 2 rows; kaappi writes exactly one, with id 1",
      "-|index row not covered by the signed head|archive record (seq 101) was added outside kaappi"},
      Signature::holds);
}
