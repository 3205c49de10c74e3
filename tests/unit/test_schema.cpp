// test_schema.cpp — identifying the index's layout and upgrading an older one.
#include <sodium.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/exit_codes.h"
#include "store/index.h"
#include "support/error_kind.h"
#include "support/raw_sql.h"
#include "support/temp_index.h"

using namespace kaappi;
using kaappi::test::error_kind_of;

namespace {

// A temp index holding one customer.
struct Db : kaappi::test::TempIndex {
  CustomerRow customer;
  CustomerVersionRow version;
  Db() {
    Index index(path, SchemaPolicy::enforce);
    customer.uid = random_bytes(16);
    customer.number_tag = random_bytes(32);
    version.uid = random_bytes(16);
    Index::Writer w(index, keys, 2);
    w.insert_customer(customer);
    version.customer_id = customer.id;
    w.insert_customer_version(version);
    w.commit();
  }
  void sql(const char* statements) const { kaappi::test::raw_sql(path, statements); }
  UpgradeContext with_key() const { return UpgradeContext{&key, std::nullopt, 3, {}}; }
  UnlockedKey key;  // only its signing key is used
};

// Both transactions' rows, digests and signatures hold (what verify checks of them).
void check_signed(const Index& index, const Db& db) {
  const Bytes& a = db.row.archive_id;
  TransactionRow head = index.head();
  CHECK(head.tx == 2);
  CHECK(head.last_seq == 3);
  std::optional<TransactionRow> first = index.transaction(1);
  REQUIRE(first);
  Sha256Digest rows = index.hash_rows(1, 1);
  CHECK(Bytes(rows.begin(), rows.end()) == first->rows);
  rows = index.hash_rows(2, 3);
  CHECK(Bytes(rows.begin(), rows.end()) == head.rows);
  CHECK(transaction_digest_of(*first, a, Bytes(32, 0)) == first->digest);
  CHECK(transaction_digest_of(head, a, first->digest) == head.digest);
  CHECK(transaction_signature_ok(*first, db.pk));
  CHECK(transaction_signature_ok(head, db.pk));
}

const char* const k_revocations_ddl =
    "CREATE TABLE station_revocations(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "station_id INTEGER NOT NULL UNIQUE REFERENCES stations(id), revoked_at INTEGER NOT NULL, "
    "seq INTEGER NOT NULL UNIQUE) STRICT";

// A made-up history: today's layout had a version 2 without station
// revocations, and one step adds the table.
SchemaHistory history_with_older_layout(
    std::function<void(sqlite3*, const UpgradeContext&)> apply = [](sqlite3* db, const UpgradeContext&) {
      REQUIRE(sqlite3_exec(db, k_revocations_ddl, nullptr, nullptr, nullptr) == SQLITE_OK);
    }) {
  std::vector<std::string> older;
  for (const auto& sql : current_schema_ddl())
    if (sql != k_revocations_ddl) older.push_back(sql);
  REQUIRE(older.size() + 1 == current_schema_ddl().size());
  std::vector<MigrationStep> steps;
  steps.push_back({SchemaLayout(2, older), "added station revocations", std::move(apply)});
  return SchemaHistory{SchemaLayout(schema_history().current.version(), current_schema_ddl()), std::move(steps), {}};
}

constexpr const char* k_downgrade = "DROP TABLE station_revocations; PRAGMA user_version=2";

}  // namespace

TEST_CASE("an index of an older layout needs an upgrade, which brings it to the current one", "[schema]") {
  Db db;
  db.sql(k_downgrade);
  SchemaHistory history = history_with_older_layout();

  for (SchemaPolicy policy : {SchemaPolicy::enforce, SchemaPolicy::report}) {
    CHECK(error_kind_of([&] { Index(db.path, policy, history); }) == ErrorKind::needs_upgrade);
    CHECK_THROWS_WITH(Index(db.path, policy, history), Catch::Contains("needs kaappi upgrade"));
  }
  CHECK(exit_code_for(ErrorKind::needs_upgrade) == 7);

  Index::upgrade(db.path, db.with_key(), history);
  Index upgraded(db.path, SchemaPolicy::enforce, history);
  CHECK(upgraded.schema_problems().empty());
  check_signed(upgraded, db);
  // The layout reached is kaappi's own current one.
  Index index(db.path, SchemaPolicy::enforce);
  CHECK(index.schema_problems().empty());
  Index::upgrade(db.path, db.with_key(), history);  // nothing left to do
  CHECK(Index(db.path, SchemaPolicy::enforce).schema_problems().empty());
}

TEST_CASE("an older layout that was also altered is reported as altered, not upgraded", "[schema]") {
  Db db;
  db.sql(k_downgrade);
  db.sql("CREATE INDEX peek ON customers(created_at)");
  SchemaHistory history = history_with_older_layout();
  CHECK_THROWS_WITH(Index(db.path, SchemaPolicy::enforce, history), Catch::Contains("altered outside kaappi"));
  Index reported(db.path, SchemaPolicy::report, history);
  CHECK(!reported.schema_problems().empty());
  CHECK(error_kind_of([&] { Index::upgrade(db.path, db.with_key(), history); }) == ErrorKind::corrupt);
  CHECK_THROWS_WITH(Index(db.path, SchemaPolicy::enforce, history), Catch::Contains("altered outside kaappi"));
}

TEST_CASE("a step that does not reach the next layout changes nothing", "[schema]") {
  Db db;
  db.sql(k_downgrade);
  SchemaHistory history = history_with_older_layout([](sqlite3* db, const UpgradeContext&) {
    REQUIRE(sqlite3_exec(db, "CREATE TABLE wrong(x INTEGER) STRICT", nullptr, nullptr, nullptr) == SQLITE_OK);
  });
  CHECK(error_kind_of([&] { Index::upgrade(db.path, db.with_key(), history); }) == ErrorKind::internal);
  CHECK(error_kind_of([&] { Index(db.path, SchemaPolicy::enforce, history); }) == ErrorKind::needs_upgrade);
}

TEST_CASE("an index made by pre-release code is named as such", "[schema]") {
  Db db;
  // Schema version 2 of pre-release code: before scanning stations.
  const SchemaLayout& old = schema_history().pre_release.at(1);
  REQUIRE(old.version() == 2);
  std::string old_path = db.dir + "/old.sqlite";
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(old_path.c_str(), &raw) == SQLITE_OK);
  for (const auto& sql : old.ddl()) REQUIRE(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "PRAGMA user_version=2", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  CHECK_THROWS_WITH(Index(old_path, SchemaPolicy::enforce), Catch::Contains("pre-release kaappi (schema version 2)"));
  Index reported(old_path, SchemaPolicy::report);
  REQUIRE(reported.schema_problems().size() == 1);
  CHECK(reported.schema_problems()[0].find("cannot be upgraded") != std::string::npos);
}

TEST_CASE("an upgrade whose step signs is refused without the key, changing nothing", "[schema]") {
  Db db;
  db.sql(k_downgrade);
  SchemaHistory history = history_with_older_layout();
  history.steps[0].needs_key = true;
  CHECK(error_kind_of([&] { Index::upgrade(db.path, UpgradeContext{}, history); }) == ErrorKind::auth);
  CHECK_THROWS_WITH(Index::upgrade(db.path, UpgradeContext{}, history), Catch::Contains("needs the key; nothing was changed"));
  CHECK(error_kind_of([&] { Index(db.path, SchemaPolicy::enforce, history); }) == ErrorKind::needs_upgrade);
  Index::upgrade(db.path, db.with_key(), history);
  CHECK(Index(db.path, SchemaPolicy::enforce, history).schema_problems().empty());
}
