// test_index.cpp — the signed index: schema check, signatures, chain.
#include <sodium.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "store/index.h"
#include "support/raw_sql.h"
#include "support/temp_index.h"

using namespace kaappi;

using Db = kaappi::test::TempIndex;

TEST_CASE("rows are signed and chained into the head", "[index]") {
  Db db;
  Index index(db.path, SchemaPolicy::enforce);
  CHECK(index.schema_problems().empty());
  CustomerRow c;
  c.uid = random_bytes(16);
  c.number_tag = random_bytes(32);
  CustomerVersionRow v;
  v.uid = random_bytes(16);
  for (Bytes* f : {&v.number, &v.name, &v.business_id, &v.email, &v.phone, &v.address, &v.details}) *f = random_bytes(60);
  {
    Index::Writer w(index, db.sk);
    w.insert_customer(c, v);
    w.commit();
  }
  HeadRow head = index.head();
  CHECK(head.seq == 3);
  Bytes digest(32, 0);
  digest = chain_digest(digest, 1, index.archive().sig);
  digest = chain_digest(digest, 2, c.sig);
  digest = chain_digest(digest, 3, v.sig);
  CHECK(digest == head.digest);
  Bytes msg = head_message(db.row.archive_id, head.seq, head.digest);
  CHECK(crypto_sign_verify_detached(head.sig.data(), msg.data(), msg.size(), db.pk.data()) == 0);
  Bytes canon = signing_bytes(index.customers().at(0), db.row.archive_id);
  CHECK(crypto_sign_verify_detached(c.sig.data(), canon.data(), canon.size(), db.pk.data()) == 0);

  SECTION("a duplicate number tag is refused and the transaction rolled back") {
    CustomerRow dup = c;
    CustomerVersionRow dv = v;
    dv.uid = random_bytes(16);
    dup.uid = random_bytes(16);
    Index::Writer w(index, db.sk);
    CHECK_THROWS_AS(w.insert_customer(dup, dv), Error);
  }
  CHECK(index.head().seq == 3);
  CHECK(index.customers().size() == 1);
}

TEST_CASE("an altered schema is detected and refuses writes", "[index]") {
  Db db;
  kaappi::test::raw_sql(db.path, "CREATE VIEW peek AS SELECT * FROM customers");
  CHECK_THROWS_WITH(Index(db.path, SchemaPolicy::enforce), Catch::Contains("altered outside kaappi"));
  Index reported(db.path, SchemaPolicy::report);
  REQUIRE(reported.schema_problems().size() == 1);
  CHECK(reported.schema_problems()[0].find("view 'peek'") != std::string::npos);
  CHECK_THROWS_AS(Index::Writer(reported, db.sk), Error);
}
