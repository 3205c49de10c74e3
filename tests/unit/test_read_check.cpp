// test_read_check.cpp — checked reads (store/read_check.h, docs/FORMAT.md
// "Rows a command decides on"): a session that writes refuses a row it
// reads that is not what its transaction signed, and is not fooled by the
// unsigned row hash lists. In-process, with the fixture; tampering through
// raw SQL on the index file, as someone with a copy of the folder could.
#include <catch2/catch.hpp>

#include "base/bytes.h"
#include "consent/consents.h"
#include "export/consent_proof.h"
#include "register/customers.h"
#include "rights/personal_reads.h"
#include "store/erasure.h"
#include "store/signed_tables.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"
#include "support/raw_sql.h"
#include "verify/verifier.h"

using namespace kaappi;

namespace {

std::string index_path(const test::ArchiveFixture& fx) { return fx.root() + "/index.sqlite"; }

// Two customers, each added by a change of its own.
struct TwoCustomers {
  test::ArchiveFixture fx;
  std::int64_t first = 0, second = 0;
  TwoCustomers() {
    first = fx.add_customer("1001", "Ensimmäinen Oy").id;
    second = fx.add_customer("1002", "Toinen Oy").id;
    fx.reopen();
  }
  Index& index() { return fx.session().index(); }
  void tamper(const std::string& sql) {
    fx.close();
    test::raw_sql(index_path(fx), sql);
    fx.reopen();
  }
};

}  // namespace

TEST_CASE("a session that writes refuses a row altered outside kaappi, and only that row", "[read-check]") {
  TwoCustomers t;
  REQUIRE(t.index().customer(t.first));
  t.tamper("UPDATE customers SET created_at = created_at + 1 WHERE id = 1");
  CHECK(test::error_kind_of([&] { t.index().customer(t.first); }) == ErrorKind::corrupt);
  CHECK(test::error_kind_of([&] { t.index().customers(); }) == ErrorKind::corrupt);
  CHECK(t.index().customer(t.second));  // another change's row is still read
  // A session that only reads does not check (verify reports it).
  t.fx.close();
  Session reader(t.fx.root(), Access::read, t.fx.unlock_options());
  CHECK(reader.index().customer(t.first));
}

TEST_CASE("a session that only logs its reads does not check what it reads, and writes nothing but log rows",
          "[read-check][personal-reads]") {
  TwoCustomers t;
  t.tamper("UPDATE customers SET created_at = created_at + 1 WHERE id = 1");
  t.fx.reopen(Access::log);
  Session& s = t.fx.session();
  CHECK(s.index().customer(t.first));  // as a reading session (verify reports the row)
  const auto read = record_read(s, "customer show", {t.first}, "a call");
  REQUIRE(read);
  CHECK(personal_reads(s).size() == 1);
  // Any other row, or an erasure, is refused, and nothing is written.
  const std::int64_t head = s.index().head().tx;
  CHECK(test::error_kind_of([&] { add_customer(s, [] {
          CustomerRecord r;
          r.set("number", "1003");
          r.set("name", "Kolmas Oy");
          return r;
        }()); }) == ErrorKind::internal);
  CHECK(test::error_kind_of([&] {
          erase_values(s, {{"customers", t.second, "number_tag"}}, "no reason");
        }) == ErrorKind::internal);
  CHECK(s.index().head().tx == head);
}

TEST_CASE("a swapped number tag is refused, though each value is one the archive signed", "[read-check]") {
  TwoCustomers t;
  const Bytes tag1 = t.index().customer(t.first)->number_tag, tag2 = t.index().customer(t.second)->number_tag;
  t.tamper("UPDATE customers SET number_tag = x'00' WHERE id = 1;"
           "UPDATE customers SET number_tag = x'" + to_hex(tag1) + "' WHERE id = 2;"
           "UPDATE customers SET number_tag = x'" + to_hex(tag2) + "' WHERE id = 1");
  CHECK(test::error_kind_of([&] { t.index().customer_by_tag(tag1); }) == ErrorKind::corrupt);
  CHECK(test::error_kind_of([&] { t.index().customer_by_tag(tag2); }) == ErrorKind::corrupt);
}

TEST_CASE("a damaged row hash list is not trusted: the rows themselves decide", "[read-check]") {
  TwoCustomers t;
  SECTION("list zeroed, rows intact: read") {
    t.tamper("UPDATE row_hashes SET hashes = zeroblob(length(hashes))");
    CHECK(t.index().customer(t.first));
    CHECK(t.index().customer(t.second));
  }
  SECTION("list deleted, rows intact: read") {
    t.tamper("DELETE FROM row_hashes");
    CHECK(t.index().customer(t.first));
  }
  SECTION("a row altered and its list made to match it: refused") {
    // The attacker rewrites the list from the altered row; the list then
    // no longer hashes to the signed rows, and the rows do not either.
    t.tamper("UPDATE customers SET created_at = created_at + 1 WHERE id = 2;"
             "UPDATE row_hashes SET hashes = zeroblob(length(hashes)) WHERE tx = (SELECT max(tx) FROM row_hashes)");
    CHECK(test::error_kind_of([&] { t.index().customer(t.second); }) == ErrorKind::corrupt);
  }
  SECTION("a change's signed rows hash replaced to match a forged list: refused by the chain") {
    t.tamper("UPDATE customers SET created_at = created_at + 1 WHERE id = 1;"
             "UPDATE transactions SET rows = zeroblob(32) WHERE tx = 2");
    CHECK(test::error_kind_of([&] { t.index().customer(t.first); }) == ErrorKind::corrupt);
  }
}

TEST_CASE("checked reads accept an erased value and the rows of the open write", "[read-check]") {
  TwoCustomers t;
  const CustomerKeyRow key = *t.index().customer_key(t.first);
  erase_values(t.fx.session(), {{"customer_keys", key.id, "wrapped"}}, "test");
  t.fx.reopen();
  const std::optional<CustomerKeyRow> erased = t.index().customer_key(t.first);
  REQUIRE(erased);
  CHECK(erased->wrapped.empty());
  // Within one write, a row it added is read back unchecked (it is its own).
  t.fx.session().write([&](Index::Writer& w) {
    CustomerRow c;
    c.uid = random_bytes(16);
    c.number_tag = random_bytes(32);
    c.created_at = 1;
    w.insert_customer(c);
    CHECK(t.index().customer(c.id));
    return 0;
  });
}

TEST_CASE("a consent that an unchecked write built on a moved document is still caught by verify --full and proof",
          "[read-check][consent]") {
  // Checked reads stop this at consent set (tests/e2e/test_checked_reads);
  // verify and consent proof still catch what a kaappi without them wrote.
  test::ArchiveFixture fx;
  const Customer a = fx.add_customer("1001", "Ensimmäinen Oy");
  const Customer b = fx.add_customer("1002", "Toinen Oy");
  const DocumentRow doc = test::stand_in_document(fx.session(), b.id, "consent-form");  // b's form
  const std::string index = index_path(fx);
  auto move = [&](std::int64_t customer) {
    fx.close();
    test::raw_sql(index, "UPDATE documents SET customer_id = " + std::to_string(customer) +
                             " WHERE id = " + std::to_string(doc.id));
    fx.reopen();
  };
  move(a.id);
  {
    const Index::UncheckedReads unchecked(fx.session().index());
    ConsentEvent e;
    e.purpose = "research";
    e.state = "granted";
    e.effective = "2026-03-01";
    e.source = "signed-form";
    e.document = doc.id;
    record_consent(fx.session(), a, e);
  }
  move(b.id);

  VerifyOptions quiet;
  quiet.quiet = true;
  Session& s = fx.session();
  const VerifyReport r = verify_archive(s.archive(), s.archive().public_key(), &s, quiet);
  bool named = false;
  for (const Problem& p : r.problems)
    named = named || p.detail.find("as its proof, which is not its customer's") != std::string::npos;
  CHECK(named);
  ProofOptions proof;
  proof.purpose = "research";
  proof.directory = fx.dir() + "/proof";
  proof.reason = "audit";
  proof.as_of = "2026-03-02";
  CHECK(test::error_kind_of([&] { write_consent_proof(s, a, proof); }) == ErrorKind::corrupt);
}
