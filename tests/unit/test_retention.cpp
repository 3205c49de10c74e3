// test_retention.cpp — retention rules and holds (rights/retention.h) and
// what an erasure keeps because of them (rights/erasure.h): the day a rule
// or hold ends, a customer's hold covering their documents, ended holds not
// counting, and a kept document restricted until its hold ends, then due.
// In-process, with the fixture's manual clock (2026-03-01 12:00 UTC).
#include <catch2/catch.hpp>
#include <set>

#include "base/error.h"
#include "register/customer_restriction.h"
#include "rights/erasure.h"
#include "rights/retention.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"

using namespace kaappi;

TEST_CASE("a kind's rule holds a document through its last year, or the same day N years on", "[retention]") {
  test::ArchiveFixture fx;
  Session& s = fx.session();
  DocumentRow contract = test::stand_in_document(s, 0, "contract");
  DocumentRow form = test::stand_in_document(s, 0, "consent-form");
  {
    Retention r(s);
    CHECK(r.rule("contract").years == 6);
    CHECK(r.rule("contract").is_default);
    CHECK(r.rule("consent-form").years == 0);
    auto why = r.keeping_document(contract, "2026-03-01");
    REQUIRE(why.size() == 1);
    CHECK(why[0].until == "2032-12-31");
    CHECK(why[0].why == "the retention rule of contract documents (6 years from the end of the year)");
    CHECK(r.keeping_document(contract, "2032-12-31").size() == 1);
    CHECK(r.keeping_document(contract, "2033-01-01").empty());
    CHECK(r.keeping_document(form, "2026-03-01").empty());
  }
  set_hold_rule(s, "contract", 2, "imported");
  set_hold_rule(s, "consent-form", 1, "end-of-year");
  Retention r(s);
  CHECK_FALSE(r.rule("contract").is_default);
  CHECK(r.keeping_document(contract, "2026-03-01").at(0).until == "2028-03-01");
  CHECK(r.keeping_document(form, "2026-03-01").at(0).until == "2027-12-31");
  CHECK(test::error_kind_of([&] { set_hold_rule(s, "invoice", 6, "end-of-year"); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { set_hold_rule(s, "contract", -1, "end-of-year"); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { set_hold_rule(s, "contract", 6, "signed"); }) == ErrorKind::usage);
}

TEST_CASE("a customer's hold covers their documents, an ended hold holds nothing, the latest end comes first",
          "[retention]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Session& s = fx.session();
  DocumentRow doc = test::stand_in_document(s, anna.id, "other");
  add_document_hold(s, doc.id, "2026-06-30", "a dispute");
  add_customer_hold(s, anna, "2027-01-31", "an unpaid invoice");
  CHECK(test::error_kind_of([&] { add_document_hold(s, doc.id, "2026-02-28", "past"); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { add_document_hold(s, 99, "2026-06-30", "x"); }) == ErrorKind::not_found);
  CHECK(test::error_kind_of([&] { add_customer_hold(s, anna, "2026-06-30", " "); }) == ErrorKind::usage);

  Retention r(s);
  REQUIRE(r.holds().size() == 2);
  CHECK(r.holds()[0].reason == "a dispute");
  CHECK(r.holds()[1].customer_number == "1001");
  auto why = r.keeping_document(doc, "2026-03-01");
  REQUIRE(why.size() == 2);
  CHECK(why[0].until == "2027-01-31");
  CHECK(why[0].why == "hold 2 of the customer");
  CHECK(why[1].why == "hold 1 of document " + std::to_string(doc.id));
  CHECK(r.keeping_document(doc, "2026-07-01").size() == 1);
  CHECK(r.keeping_document(doc, "2027-02-01").empty());
  CHECK(r.keeping_customer(anna.id, "2027-01-31").size() == 1);
  CHECK(r.keeping_customer(anna.id, "2027-02-01").empty());
}

TEST_CASE("a held document is kept restricted until its hold ends, then it is due", "[retention]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Session& s = fx.session();
  DocumentRow doc = test::stand_in_document(s, anna.id, "other");
  add_document_hold(s, doc.id, "2026-04-30", "a dispute");

  ErasurePlan plan = plan_document_erasure(s, doc.id);
  CHECK(plan.targets.empty());
  REQUIRE(plan.kept.size() == 1);
  CHECK(plan.kept[0].until() == "2026-04-30");
  ErasureOutcome out = carry_out_erasure(s, plan, "asked");
  CHECK_FALSE(out.erasure);
  CHECK_FALSE(s.index().document(doc.id)->erased());
  auto items = restricted_items(s);
  REQUIRE(items.size() == 1);
  CHECK(items[0].document_id == doc.id);
  CHECK(items[0].customer_number == "1001");
  CHECK(items[0].still_held);
  CHECK_FALSE(customer_restricted_at(s, anna.id));  // a document kept: its customer is not restricted

  fx.clock().set(1772366400 + 70 * 86400);  // 2026-05-10
  items = restricted_items(s);
  REQUIRE(items.size() == 1);
  CHECK_FALSE(items[0].still_held);
  ErasurePlan now = plan_document_erasure(s, doc.id);
  CHECK(now.kept.empty());
  CHECK(now.targets.size() == 4);  // its key, tag and metadata, and the ended hold's reason
  CHECK(test::error_kind_of([&] { carry_out_erasure(s, now, " "); }) == ErrorKind::usage);
}

TEST_CASE("a customer held after their erasure was asked is restricted until they are erased", "[retention]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Customer bert = fx.add_customer("1002", "Bert Asiakas");
  Session& s = fx.session();
  add_customer_hold(s, anna, "2026-04-30", "an unpaid invoice");
  CHECK_FALSE(customer_restricted_at(s, anna.id));  // held, but no erasure was asked
  carry_out_erasure(s, plan_customer_erasure(s, anna), "asked");
  CHECK(customer_restricted_at(s, anna.id) == fx.clock().now());
  CHECK_FALSE(customer_restricted_at(s, bert.id));
  CHECK(restricted_customer_ids(s) == std::set<std::int64_t>{anna.id});

  fx.clock().set(1772366400 + 70 * 86400);  // 2026-05-10: the hold has ended, the erasure goes through
  carry_out_erasure(s, plan_customer_erasure(s, anna), "hold ended");
  CHECK_FALSE(customer_restricted_at(s, anna.id));
  CHECK(restricted_customer_ids(s).empty());
}
