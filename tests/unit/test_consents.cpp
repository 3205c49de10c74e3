// test_consents.cpp — consent state at a date.
#include <catch2/catch.hpp>

#include "consent/consents.h"
#include "base/error.h"

using namespace kaappi;

namespace {
ConsentEvent ev(std::int64_t id, const std::string& purpose, const std::string& state, const std::string& date) {
  ConsentEvent e;
  e.id = id;
  e.purpose = purpose;
  e.state = state;
  e.effective = date;
  return e;
}
const ConsentState& of(const std::vector<ConsentState>& states, const std::string& purpose) {
  for (const auto& s : states)
    if (purpose == s.purpose->id) return s;
  throw std::runtime_error("no purpose");
}
}  // namespace

TEST_CASE("the state at a date is the last event effective on or before it", "[consents]") {
  std::vector<ConsentEvent> events = {ev(1, "email-marketing", "granted", "2026-01-10"),
                                      ev(2, "email-marketing", "withdrawn", "2026-06-01"),
                                      ev(3, "sms-marketing", "refused", "2026-01-10"),
                                      // recorded later but effective earlier: a back-dated correction
                                      ev(4, "email-marketing", "refused", "2026-03-01"),
                                      // same day as event 1, recorded later: wins that day
                                      ev(5, "sms-marketing", "granted", "2026-01-10")};
  CHECK_FALSE(of(consent_states(events, "2026-01-09"), "email-marketing").event.has_value());
  CHECK(of(consent_states(events, "2026-01-10"), "email-marketing").event->state == "granted");
  CHECK(of(consent_states(events, "2026-03-01"), "email-marketing").event->state == "refused");
  CHECK(of(consent_states(events, "2026-05-31"), "email-marketing").event->id == 4);
  CHECK(of(consent_states(events, "2026-06-01"), "email-marketing").event->state == "withdrawn");
  CHECK(of(consent_states(events, "2026-01-10"), "sms-marketing").event->id == 5);
  CHECK(consent_states(events, "2026-01-10").size() == 9);
}

TEST_CASE("purposes have stable ids and three languages", "[consents]") {
  CHECK(purposes().size() == 9);
  for (const auto& p : purposes()) {
    CHECK(std::string(p.label_fi).size() > 0);
    CHECK(std::string(p.label_sv).size() > 0);
    CHECK(std::string(p.label_en).size() > 0);
  }
  CHECK(find_purpose("ban-direct-marketing").is_ban);
  CHECK_THROWS_WITH(find_purpose("spam"), Catch::Contains("email-marketing"));
}

TEST_CASE("a corrected event stops counting; a retraction only cancels", "[consents]") {
  auto correction = [](ConsentEvent e, std::int64_t corrects) {
    e.corrects = corrects;
    return e;
  };
  // Event 1 was recorded with the wrong date; event 2 sets it right.
  std::vector<ConsentEvent> events = {ev(1, "email-marketing", "granted", "2026-01-10"),
                                      correction(ev(2, "email-marketing", "granted", "2026-04-01"), 1),
                                      ev(3, "research", "granted", "2026-01-10"),
                                      correction(ev(4, "research", "retracted", "2026-01-10"), 3)};
  CHECK_FALSE(of(consent_states(events, "2026-03-31"), "email-marketing").event.has_value());
  CHECK(of(consent_states(events, "2026-04-01"), "email-marketing").event->id == 2);
  CHECK_FALSE(of(consent_states(events, "2026-12-31"), "research").event.has_value());
}

TEST_CASE("bans exclude e-mail, SMS and electronic marketing, and nothing else", "[consents]") {
  for (const char* marketing : {"email-marketing", "sms-marketing", "electronic-marketing"}) {
    auto bans = bans_excluding(find_purpose(marketing));
    REQUIRE(bans.size() == 3);
    for (const char* ban : {"ban-direct-advertising", "ban-distance-selling", "ban-direct-marketing"}) {
      std::vector<ConsentEvent> events = {ev(1, marketing, "granted", "2026-01-01"), ev(2, ban, "granted", "2026-02-01"),
                                          ev(3, ban, "withdrawn", "2026-03-01")};
      CHECK(of(consent_states(events, "2026-01-31"), marketing).may_contact());
      auto states = consent_states(events, "2026-02-01");
      const auto& banned = of(states, marketing);
      CHECK_FALSE(banned.may_contact());
      REQUIRE(banned.excluded_by.size() == 1);
      CHECK(std::string(banned.excluded_by[0]->id) == ban);
      CHECK(of(consent_states(events, "2026-03-01"), marketing).may_contact());  // the ban was lifted
    }
  }
  for (const char* other : {"personal-data", "research", "development-contact"}) {
    CHECK(bans_excluding(find_purpose(other)).empty());
    std::vector<ConsentEvent> events = {ev(1, other, "granted", "2026-01-01"),
                                        ev(2, "ban-direct-marketing", "granted", "2026-01-01")};
    CHECK(of(consent_states(events, "2026-06-01"), other).may_contact());
  }
}
