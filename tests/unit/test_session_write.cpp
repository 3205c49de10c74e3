// test_session_write.cpp — the one write path: who and when come from the
// session's actor and clock, a write commits and remembers its head, and a
// write that throws leaves the index as it was. In-process, with the fixture.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "consent/consents.h"
#include "register/customers.h"
#include "support/archive_fixture.h"

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
  CHECK(after.last_seq == before.last_seq + 2);  // the customer row and its first version
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
