// test_session_write.cpp — the one write path: who and when come from the
// session's actor and clock, a write commits and remembers its head, and a
// write that throws leaves the index as it was. In-process, with the fixture.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "consent/consents.h"
#include "register/customers.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"

using namespace kaappi;

TEST_CASE("changes are recorded with the session's actor and clock", "[session]") {
  test::ArchiveFixture fx;
  fx.clock().set(1772366400);  // 2026-03-01 12:00 UTC
  Customer c = fx.add_customer("1001", "Oy Esimerkki Ab");
  CHECK(c.current.recorded_at == 1772366400);
  CHECK(c.current.recorded_by == test::ArchiveFixture::k_actor);

  fx.clock().advance(86400);
  ConsentEvent e;
  e.purpose = "email-marketing";
  e.state = "granted";
  e.effective = "2026-03-02";
  record_consent(fx.session(), c, e);
  fx.reopen();
  auto events = consent_events(fx.session(), require_customer(fx.session(), "1001"));
  REQUIRE(events.size() == 1);
  CHECK(events[0].recorded_at == 1772366400 + 86400);
  CHECK(events[0].recorded_by == test::ArchiveFixture::k_actor);
}

TEST_CASE("a write commits its rows as one signed transaction and remembers it, a failed one changes nothing",
          "[session]") {
  test::ArchiveFixture fx;
  Session& s = fx.session();
  TransactionRow before = s.index().head();
  fx.add_customer("1001", "Oy Esimerkki Ab");
  TransactionRow after = s.index().head();
  CHECK(after.tx == before.tx + 1);
  CHECK(after.last_seq == before.last_seq + 3);  // the customer row, their key and their first version
  HistoryCheck seen = HeadHistory(s.archive(), s.archive().public_key()).check();
  REQUIRE(seen.state == HistoryState::continues);
  CHECK(seen.remembered.tx == after.tx);
  CHECK(seen.remembered.digest == after.digest);

  StationRow station;
  station.uid = random_bytes(16);
  station.name = random_bytes(40);
  station.sign_pk = random_bytes(32);
  CHECK_THROWS_AS(s.write([&](Index::Writer& w) {
                    w.insert_station(station);
                    fail(ErrorKind::rejected, "refused halfway");
                  }),
                  Error);
  CHECK(s.index().head().tx == after.tx);
  CHECK(s.index().head().digest == after.digest);
  CHECK(s.index().stations().empty());
  // The session still writes afterwards.
  std::int64_t id = s.write([&](Index::Writer& w) {
    w.insert_station(station);
    return station.id;
  });
  CHECK(id == 1);
  CHECK(s.index().head().tx == after.tx + 1);
  CHECK(s.index().head().last_seq == after.last_seq + 1);
}

TEST_CASE("each customer's values are sealed under their own key, and a write rolled back forgets the keys it made",
          "[session][keys]") {
  test::ArchiveFixture fx;
  Session& s = fx.session();
  const Customer a = fx.add_customer("1001", "Oy Esimerkki Ab");
  const Customer b = fx.add_customer("1002", "Toinen Oy");
  REQUIRE(s.index().customer_key(a.id));
  REQUIRE(s.index().customer_key(b.id));
  CHECK(s.index().customer_key(a.id)->wrapped != s.index().customer_key(b.id)->wrapped);
  const CustomerVersionRow va = s.index().customer_versions(a.id).front();
  CHECK(s.customer_values(a.id).open("customer_versions", "name", va.uid, va.name) == "Oy Esimerkki Ab");
  CHECK_THROWS_AS(s.customer_values(b.id).open("customer_versions", "name", va.uid, va.name), Error);
  CHECK_THROWS_AS(s.keys().field().open("customer_versions", "name", va.uid, va.name), Error);

  // An import that fails on its third row writes nothing; the keys made for
  // its first rows are forgotten, so the same ids get new keys next time.
  std::vector<CustomerRecord> records(3);
  records[0].set("number", "2001");
  records[0].set("name", "Kolmas Oy");
  records[1].set("number", "2002");
  records[1].set("name", "Neljäs Oy");
  records[2] = records[0];
  CHECK(test::error_kind_of([&] { add_customers(s, records); }) == ErrorKind::rejected);
  CHECK_FALSE(find_customer(s, "2001"));
  records.pop_back();
  CHECK(add_customers(s, records) == 2);
  fx.reopen();
  auto back = find_customer(fx.session(), "2002");
  REQUIRE(back);
  CHECK(back->current.record.get("name") == "Neljäs Oy");
}
