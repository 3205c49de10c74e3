// test_customer_view.cpp — one customer's whole view, assembled in-process:
// every version, only this customer's consent events, the states on the date
// asked for, no open requests or holds yet; and its JSON sections.
#include <catch2/catch.hpp>

#include "consent/consents.h"
#include "export/customer_view.h"
#include "export/customer_view_json.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"

using namespace kaappi;
using kaappi::test::ArchiveFixture;
using kaappi::test::error_kind_of;

namespace {

ConsentEvent event(const std::string& purpose, const std::string& state, const std::string& effective) {
  ConsentEvent e;
  e.purpose = purpose;
  e.state = state;
  e.effective = effective;
  e.source = "phone";
  return e;
}

const ConsentState& state_of(const CustomerView& view, const std::string& purpose) {
  for (const auto& s : view.consents)
    if (purpose == s.purpose->id) return s;
  throw std::runtime_error("no purpose " + purpose);
}

}  // namespace

TEST_CASE("a customer's view holds every version, its own consent events and the states on the date asked",
          "[customer-view]") {
  ArchiveFixture f;
  Session& s = f.session();
  Customer anna = f.add_customer("1001", "Anna Oy");
  Customer other = f.add_customer("2000", "Toinen Oy");
  f.clock().advance(3600);
  edit_customer(s, "1001", {{"name", "Anna Oyj"}}, "company form changed");
  record_consent(s, anna, event("email-marketing", "granted", "2026-01-10"));
  record_consent(s, other, event("sms-marketing", "granted", "2026-01-10"));
  record_consent(s, anna, event("email-marketing", "withdrawn", "2026-02-01"));

  CustomerView view = customer_view(s, "1001", "2026-01-31");
  CHECK(view.customer.name() == "Anna Oyj");
  REQUIRE(view.history.size() == 2);
  CHECK(view.history[0].record.get("name") == "Anna Oy");
  CHECK(view.history[1].reason == "company form changed");
  CHECK(view.documents.empty());
  CHECK(view.as_of == "2026-01-31");
  REQUIRE(view.consent_events.size() == 2);  // not the other customer's
  CHECK(view.consent_events[0].purpose == "email-marketing");
  CHECK(view.consent_events[1].state == "withdrawn");
  CHECK(state_of(view, "email-marketing").event->state == "granted");  // the withdrawal is later
  CHECK_FALSE(state_of(view, "sms-marketing").event.has_value());
  CHECK(view.consents.size() == consent_states({}, "2026-01-31").size());
  CHECK(view.open_matters.empty());
  CHECK(customer_view(s, "1001", "2026-02-01").consents.size() == view.consents.size());
  CHECK(state_of(customer_view(s, "1001", "2026-02-01"), "email-marketing").event->state == "withdrawn");

  nlohmann::json j = customer_view_json(view);
  CHECK(j["customer"]["name"] == "Anna Oyj");
  CHECK(j["customer"]["reason"] == "company form changed");
  CHECK(j["history"].size() == 2);
  CHECK(j["documents"] == nlohmann::json::array());
  CHECK(j["consents"]["as_of"] == "2026-01-31");
  CHECK(j["consents"]["states"].size() == view.consents.size());
  CHECK(j["consents"]["events"].size() == 2);
  CHECK(j["requests_and_holds"] == nlohmann::json::array());

  CHECK(error_kind_of([&] { customer_view(s, "9999", "2026-01-31"); }) == ErrorKind::not_found);
}
