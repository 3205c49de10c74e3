// Format 2's row hash and transaction digest (docs/FORMAT.md, "Row hashes and
// transaction signatures").
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <set>
#include <vector>

#include "base/error.h"
#include "store/row_hash.h"
#include "store/statement.h"

using namespace kaappi;

namespace {

const Bytes archive_id = [] {
  Bytes b(16);
  for (std::uint8_t i = 0; i < 16; ++i) b[i] = i;
  return b;
}();

std::string hex(const Sha256Digest& d) { return to_hex(ByteView(d.data(), d.size())); }

Sha256Digest plain_row(std::vector<SqlValue> values, std::int64_t seq = 1, std::uint8_t table = 1,
                       const Bytes& id = archive_id) {
  std::vector<ColumnRole> roles(values.size(), ColumnRole::plain);
  return row_hash({id, table, seq, values, roles});
}

}  // namespace

TEST_CASE("a row hash is the documented encoding of the stored values", "[row-hash]") {
  // Computed with Python's hashlib from docs/FORMAT.md's definition.
  const std::vector<SqlValue> values = {SqlValue::of(42), SqlValue::null(), SqlValue::of_text("abc"),
                                           SqlValue::of_blob(Bytes{0, 1}), SqlValue::of_blob(as_bytes("sealed"))};
  const std::vector<ColumnRole> roles = {ColumnRole::plain, ColumnRole::plain, ColumnRole::plain, ColumnRole::plain,
                                         ColumnRole::sealed};
  const Sha256Digest row = row_hash({archive_id, 2, 7, values, roles});
  CHECK(hex(row) == "cbfc6e1b3abd2cd86a6431a0160dd3ed20937691db10ee56460d1a19a1342b71");

  RowsHash rows;
  rows.add(row);
  CHECK(rows.count() == 1);
  Sha256Digest previous;
  previous.fill(0x11);
  const Sha256Digest rows_digest = rows.finish();
  CHECK(hex(transaction_digest({archive_id, 3, 7, 1700000000, previous, rows_digest})) ==
        "1049db0676a1384b805302226119c57677a596329c697850efbc040bccc3303d");
}

TEST_CASE("no two different stored values of a plain column hash alike", "[row-hash]") {
  // NULL, 0, empty text and an empty blob; an integer and the text of its
  // digits; text and a blob of the same bytes; a real never hashes at all.
  const std::vector<SqlValue> distinct = {
      SqlValue::null(),          SqlValue::of(0),           SqlValue::of_text(""),
      SqlValue::of_blob(Bytes{}), SqlValue::of(5),           SqlValue::of_text("5"),
      SqlValue::of_blob(as_bytes("5")), SqlValue::of(-1),    SqlValue::of_blob(Bytes{0})};
  std::set<std::string> seen;
  for (const auto& v : distinct) seen.insert(hex(plain_row({v})));
  CHECK(seen.size() == distinct.size());

  // Where one column ends and the next starts is part of what is hashed.
  CHECK(plain_row({SqlValue::of_text("a"), SqlValue::of_text("bc")}) !=
        plain_row({SqlValue::of_text("ab"), SqlValue::of_text("c")}));
  // The sequence number, the table and the archive are part of it too.
  const Sha256Digest base = plain_row({SqlValue::of(1)});
  CHECK(plain_row({SqlValue::of(1)}, 2) != base);
  CHECK(plain_row({SqlValue::of(1)}, 1, 2) != base);
  Bytes other_archive = archive_id;
  other_archive[0] ^= 1;
  CHECK(plain_row({SqlValue::of(1)}, 1, 1, other_archive) != base);

  SqlValue real;
  real.type = SqlValue::Type::real;
  CHECK_THROWS_WITH(plain_row({SqlValue::of(1), real}), Catch::Contains("column 2 holds a real number"));
}

TEST_CASE("an erased sealed value hashes as the value it was, and only by the hash an erasure lists", "[row-hash]") {
  const SqlValue sealed = SqlValue::of_blob(as_bytes("nonce and ciphertext"));
  const std::vector<ColumnRole> roles = {ColumnRole::plain, ColumnRole::sealed};
  const std::vector<SqlValue> present = {SqlValue::of(9), sealed};
  const std::vector<SqlValue> erased = {SqlValue::of(9), SqlValue::null()};
  const Sha256Digest original = row_hash({archive_id, 4, 10, present, roles});

  // The erasure row lists the value's hash: the row hashes as before.
  CHECK(row_hash({archive_id, 4, 10, erased, roles}, {std::nullopt, sealed_value_hash(sealed)}) == original);
  // Another hash listed, and the row no longer matches its signature.
  Sha256Digest wrong = sealed_value_hash(sealed);
  wrong[0] ^= 1;
  CHECK(row_hash({archive_id, 4, 10, erased, roles}, {std::nullopt, wrong}) != original);
  // A NULL no erasure names is refused, not hashed like anything.
  CHECK_THROWS_AS(row_hash({archive_id, 4, 10, erased, roles}), Error);
  CHECK_THROWS_WITH(row_hash({archive_id, 4, 10, erased, roles}), Catch::Contains("no erasure names it"));

  // A sealed value's text and blob forms differ; an integer is no sealed value.
  CHECK(sealed_value_hash(SqlValue::of_text("x")) != sealed_value_hash(SqlValue::of_blob(as_bytes("x"))));
  CHECK_THROWS_WITH(row_hash({archive_id, 4, 10, std::vector<SqlValue>{SqlValue::of(9), SqlValue::of(3)}, roles}),
                    Catch::Contains("neither text nor a blob"));
  // A sealed column and a plain one holding the same blob hash differently.
  CHECK(row_hash({archive_id, 4, 10, present, roles}) != plain_row(present, 10, 4));
}

TEST_CASE("a transaction digest changes with everything it chains", "[row-hash]") {
  Sha256Digest zero{}, rows{};
  rows.fill(7);
  const Sha256Digest base = transaction_digest({archive_id, 1, 5, 100, zero, rows});
  Sha256Digest other_rows = rows;
  other_rows[31] ^= 1;
  Sha256Digest other_previous = zero;
  other_previous[0] = 1;
  CHECK(transaction_digest({archive_id, 2, 5, 100, zero, rows}) != base);
  CHECK(transaction_digest({archive_id, 1, 6, 100, zero, rows}) != base);
  CHECK(transaction_digest({archive_id, 1, 5, 101, zero, rows}) != base);
  CHECK(transaction_digest({archive_id, 1, 5, 100, other_previous, rows}) != base);
  CHECK(transaction_digest({archive_id, 1, 5, 100, zero, other_rows}) != base);
}

TEST_CASE("a value comes back from SQLite with the storage class it was bound with", "[row-hash]") {
  sqlite3* db = open_db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  } closer{db};
  exec_sql(db, "CREATE TABLE t(n INTEGER PRIMARY KEY, v ANY) STRICT", "test table");
  const std::vector<SqlValue> values = {SqlValue::null(),         SqlValue::of(0),          SqlValue::of(-7),
                                        SqlValue::of_text(""),     SqlValue::of_text("Åsa"), SqlValue::of_blob(Bytes{}),
                                        SqlValue::of_blob(Bytes{0, 255})};
  for (const auto& v : values) Statement(db, "INSERT INTO t(v) VALUES (?)").bind(v).run();
  exec_sql(db, "INSERT INTO t(v) VALUES (2.5)", "a real");
  Statement read(db, "SELECT v FROM t ORDER BY n");
  for (const auto& v : values) {
    REQUIRE(read.step());
    CHECK(read.value() == v);
  }
  REQUIRE(read.step());
  CHECK(read.value().type == SqlValue::Type::real);
  CHECK(!read.step());
}
