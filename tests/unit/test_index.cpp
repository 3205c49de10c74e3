// test_index.cpp — the signed index: schema check, row hashes, transactions.
#include <sodium.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "store/index.h"
#include "support/raw_sql.h"
#include "support/temp_index.h"

using namespace kaappi;

using Db = kaappi::test::TempIndex;

TEST_CASE("a write's rows are hashed as stored and signed as one transaction, chained to the one before", "[index]") {
  Db db;
  Index index(db.path, SchemaPolicy::enforce);
  CHECK(index.schema_problems().empty());
  const TransactionRow first = index.head();
  CHECK(first.tx == 1);
  CHECK(first.last_seq == 1);
  CustomerRow c;
  c.uid = random_bytes(16);
  c.number_tag = random_bytes(32);
  CustomerVersionRow v;
  v.uid = random_bytes(16);
  for (Bytes* f : {&v.number, &v.name, &v.business_id, &v.email, &v.phone, &v.address, &v.details}) *f = random_bytes(60);
  {
    Index::Writer w(index, db.keys, 1234);
    w.insert_customer(c);
    v.customer_id = c.id;
    w.insert_customer_version(v);
    w.commit();
  }
  TransactionRow head = index.head();
  CHECK(head.tx == 2);
  CHECK(head.last_seq == 3);
  CHECK(head.at == 1234);
  CHECK(c.seq == 2);
  CHECK(v.seq == 3);
  // The rows hash is over what was stored, as read back.
  RowsHash rows;
  rows.add(table_of<CustomerRow>().row_hash(table_of<CustomerRow>().values(c), db.row.archive_id));
  rows.add(table_of<CustomerVersionRow>().row_hash(table_of<CustomerVersionRow>().values(v), db.row.archive_id));
  Sha256Digest expected = rows.finish();
  CHECK(head.rows == Bytes(expected.begin(), expected.end()));
  Sha256Digest stored = index.hash_rows(2, 3);
  CHECK(Bytes(stored.begin(), stored.end()) == head.rows);
  CHECK(transaction_digest_of(head, db.row.archive_id, first.digest) == head.digest);
  CHECK(transaction_signature_ok(head, db.pk));
  CHECK_FALSE(transaction_signature_ok(head, random_bytes(32)));
  CHECK(crypto_sign_verify_detached(head.sig.data(), head.digest.data(), head.digest.size(), db.pk.data()) == 0);

  SECTION("a write that adds no row adds no transaction") {
    Index::Writer w(index, db.keys, 2000);
    w.commit();
    CHECK(index.head().tx == 2);
  }
  SECTION("a duplicate number tag is refused and the transaction rolled back") {
    CustomerRow dup = c;
    dup.uid = random_bytes(16);
    Index::Writer w(index, db.keys, 2000);
    CHECK_THROWS_AS(w.insert_customer(dup), Error);
  }
  CHECK(index.head().tx == 2);
  CHECK(index.customers().size() == 1);
}

TEST_CASE("an altered schema is detected and refuses writes", "[index]") {
  Db db;
  kaappi::test::raw_sql(db.path, "CREATE VIEW peek AS SELECT * FROM customers");
  CHECK_THROWS_WITH(Index(db.path, SchemaPolicy::enforce), Catch::Contains("altered outside kaappi"));
  Index reported(db.path, SchemaPolicy::report);
  REQUIRE(reported.schema_problems().size() == 1);
  CHECK(reported.schema_problems()[0].find("view 'peek'") != std::string::npos);
  CHECK_THROWS_AS(Index::Writer(reported, db.keys, 1), Error);
}
