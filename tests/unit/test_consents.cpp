// test_consents.cpp — consent state at a date.
#include <catch2/catch.hpp>

#include "consents.h"
#include "error.h"

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
