// test_consents.cpp — the consent rule in-process: the state at a date,
// corrections, retractions, bans, the sealed event form, and the full path
// against `consent list`'s head path on random ledgers.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

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
ConsentEvent correction_of(ConsentEvent e, std::int64_t corrects) {
  e.corrects = corrects;
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

TEST_CASE("a corrected event stops counting, a retraction only cancels", "[consents]") {
    // Event 1 was recorded with the wrong date; event 2 sets it right.
  std::vector<ConsentEvent> events = {ev(1, "email-marketing", "granted", "2026-01-10"),
                                      correction_of(ev(2, "email-marketing", "granted", "2026-04-01"), 1),
                                      ev(3, "research", "granted", "2026-01-10"),
                                      correction_of(ev(4, "research", "retracted", "2026-01-10"), 3)};
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

TEST_CASE("corrections, retractions and bans for each marketing purpose", "[consents]") {
  for (const char* marketing : {"email-marketing", "sms-marketing", "electronic-marketing"}) {
    for (const char* ban : {"ban-direct-advertising", "ban-distance-selling", "ban-direct-marketing"}) {
      INFO(marketing << " / " << ban);
      std::vector<ConsentEvent> events = {
          ev(1, marketing, "granted", "2026-01-01"),
          ev(2, ban, "granted", "2026-02-01"),
          // the ban was recorded for the wrong customer: retracted
          correction_of(ev(3, ban, "retracted", "2026-02-01"), 2),
          ev(4, ban, "granted", "2026-05-01"),
          // the real ban started later than first written
          correction_of(ev(5, ban, "granted", "2026-06-01"), 4),
          ev(6, marketing, "withdrawn", "2026-09-01")};
      CHECK(of(consent_states(events, "2026-02-01"), marketing).may_contact());  // the retracted ban counts not
      CHECK(of(consent_states(events, "2026-02-01"), ban).event == std::nullopt);
      CHECK(of(consent_states(events, "2026-05-31"), marketing).may_contact());  // event 4 was corrected
      auto june = consent_states(events, "2026-06-01");
      CHECK(of(june, marketing).event->id == 1);
      CHECK_FALSE(of(june, marketing).may_contact());
      REQUIRE(of(june, marketing).excluded_by.size() == 1);
      CHECK(std::string(of(june, marketing).excluded_by[0]->id) == ban);
      CHECK(of(june, ban).event->id == 5);
      // withdrawn: not contactable, and a ban only matters for a granted purpose
      auto later = consent_states(events, "2026-09-01");
      CHECK(of(later, marketing).event->state == "withdrawn");
      CHECK(of(later, marketing).excluded_by.empty());
      CHECK_FALSE(of(later, marketing).may_contact());
    }
  }
}

TEST_CASE("a correction may change the purpose, the corrected event stops counting for its own", "[consents]") {
  std::vector<ConsentEvent> events = {ev(1, "email-marketing", "granted", "2026-01-01"),
                                      correction_of(ev(2, "sms-marketing", "granted", "2026-01-01"), 1)};
  auto states = consent_states(events, "2026-01-01");
  CHECK_FALSE(of(states, "email-marketing").event.has_value());
  CHECK(of(states, "sms-marketing").event->id == 2);
}

TEST_CASE("as-of boundaries: the day before, of and after each event", "[consents]") {
  std::vector<ConsentEvent> events = {ev(1, "research", "granted", "2025-12-31"),
                                      ev(2, "research", "withdrawn", "2026-01-01"),
                                      ev(3, "research", "refused", "2026-02-28")};
  auto at = [&](const char* date) {
    auto states = consent_states(events, date);
    const auto& s = of(states, "research");
    return s.event ? s.event->state : std::string("none");
  };
  CHECK(at("2025-12-30") == "none");
  CHECK(at("2025-12-31") == "granted");
  CHECK(at("2026-01-01") == "withdrawn");
  CHECK(at("2026-02-27") == "withdrawn");
  CHECK(at("2026-02-28") == "refused");
  CHECK(at("2099-12-31") == "refused");
}

TEST_CASE("link_corrections sets corrected_by, counts() leaves out retractions and corrected events", "[consents]") {
  std::vector<ConsentEvent> events = {ev(1, "research", "granted", "2026-01-01"),
                                      correction_of(ev(2, "research", "retracted", "2026-01-01"), 1),
                                      ev(3, "research", "granted", "2026-01-02")};
  link_corrections(events);
  CHECK(events[0].corrected_by == 2);
  CHECK_FALSE(events[1].corrected_by.has_value());
  CHECK_FALSE(events[0].counts());
  CHECK_FALSE(events[1].counts());
  CHECK(events[2].counts());
}

TEST_CASE("an event's head comes back from its sealed form as the full event gives it", "[consents]") {
  ConsentEvent e = ev(41, "ban-distance-selling", "withdrawn", "2026-07-15");
  e.document = 9;
  e.corrects = 40;
  e.source = "signed-form";
  e.note = "lifted by letter";
  e.recorded_by = "maija";
  std::string payload = encode_consent_event(e);
  ConsentEventHead h = decode_consent_event_head(payload, 41);
  ConsentEventHead expected = head_of(e);
  CHECK(h.id == expected.id);
  CHECK(h.purpose == expected.purpose);
  CHECK(h.state == EventState::withdrawn);
  CHECK(h.effective_date() == "2026-07-15");
  CHECK(h.document == 9);
  CHECK(h.corrects == 40);
  ConsentEvent back = decode_consent_event(payload, 41);
  CHECK(back.note == "lifted by letter");
  CHECK(back.recorded_by == "maija");
  CHECK(back.source == "signed-form");
  CHECK_THROWS_AS(decode_consent_event_head(payload.substr(0, 20), 41), Error);
}

TEST_CASE("the full path and consent list's head path decide alike on random ledgers", "[consents]") {
  std::mt19937 rng(20260508);
  const auto& all = purposes();
  const std::vector<std::string> dates = {"2026-01-01", "2026-01-02", "2026-02-01", "2026-03-15", "2026-03-16"};
  const std::vector<std::string> as_of = {"2025-12-31", "2026-01-01", "2026-01-02", "2026-02-15",
                                          "2026-03-15", "2026-03-16", "2026-12-31"};
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  for (int round = 0; round < 300; ++round) {
    // A few customers, events interleaved, ids in recording order.
    std::map<std::int64_t, std::vector<ConsentEvent>> by_customer;
    std::vector<ConsentEventHead> heads;
    std::set<std::int64_t> corrected;
    std::int64_t next_id = 1;
    const int n_events = 1 + static_cast<int>(pick(30));
    for (int i = 0; i < n_events; ++i) {
      std::int64_t customer = 1 + static_cast<std::int64_t>(pick(4));
      auto& mine = by_customer[customer];
      ConsentEvent e;
      // marketing and bans most of the time, so that bans matter
      e.purpose = all[pick(3) == 0 ? pick(all.size()) : (pick(2) ? pick(3) : 6 + pick(3))].id;
      e.state = recordable_consent_states()[pick(3)];
      e.effective = dates[pick(dates.size())];
      e.source = "other";
      // Sometimes a correction (or retraction) of an uncorrected earlier event of this customer.
      std::vector<const ConsentEvent*> open;
      for (const auto& o : mine)
        if (!corrected.count(o.id)) open.push_back(&o);
      if (!open.empty() && pick(4) == 0) {
        const ConsentEvent& target = *open[pick(open.size())];
        e.corrects = target.id;
        corrected.insert(target.id);
        if (pick(2)) {
          e.state = "retracted";
          e.purpose = target.purpose;
        }
      }
      e.id = next_id++;
      e.customer_id = customer;
      mine.push_back(e);
      ConsentEventHead h = decode_consent_event_head(encode_consent_event(e), e.id);
      h.customer_id = customer;
      heads.push_back(h);
    }
    for (auto& h : heads) h.corrected = corrected.count(h.id) > 0;
    for (const auto& purpose : all) {
      for (const auto& date : as_of) {
        INFO("round " << round << ", " << purpose.id << " at " << date);
        auto copy = heads;
        std::map<std::int64_t, CustomerDecision> by_heads;
        for (const auto& d : decide_for_each_customer(copy, purpose, date)) by_heads[d.customer_id] = d;
        for (const auto& [customer, events] : by_customer) {
          auto states = consent_states(events, date);
          const auto& full = of(states, purpose.id);
          REQUIRE(by_heads.count(customer));
          const ConsentDecision& fast = by_heads[customer].decision;
          CHECK(full.event.has_value() == (fast.event != nullptr));
          if (full.event && fast.event) {
            CHECK(full.event->id == fast.event->id);
            CHECK(full.event->state == consent_event_states()[static_cast<size_t>(fast.event->state)]);
          }
          CHECK(full.may_contact() == fast.may_contact());
          std::uint32_t excluded = 0;
          for (const Purpose* b : full.excluded_by) excluded |= 1u << purpose_index(b->id);
          CHECK(excluded == fast.excluded_by);
        }
      }
    }
  }
}
