// test_export_json.cpp — the JSON form of each kind of record (export/):
// field names, nulls, and that a state and its deciding event agree.
#include <catch2/catch.hpp>
#include <set>

#include "export/consent_json.h"
#include "export/customer_json.h"
#include "export/document_json.h"

using namespace kaappi;

namespace {
ConsentEvent event(std::int64_t id, const std::string& purpose, const std::string& state, const std::string& date) {
  ConsentEvent e;
  e.id = id;
  e.purpose = purpose;
  e.state = state;
  e.effective = date;
  e.source = "phone";
  e.recorded_by = "maija";
  e.recorded_at = 1767225600;
  return e;
}
}  // namespace

TEST_CASE("a consent event has one JSON form, with corrections linked", "[export]") {
  std::vector<ConsentEvent> events = {event(1, "research", "granted", "2026-01-01"),
                                      event(2, "research", "refused", "2026-01-01")};
  events[0].document = 7;
  events[1].corrects = 1;
  events[1].note = "misread";
  link_corrections(events);
  auto first = consent_event_json(events[0]);
  CHECK(first["id"] == 1);
  CHECK(first["document"] == 7);
  CHECK(first["corrects"].is_null());
  CHECK(first["corrected_by"] == 2);
  CHECK(first["counts"] == false);
  CHECK(first["recorded_by"] == "maija");
  CHECK_FALSE(first["recorded"].get<std::string>().empty());
  auto second = consent_event_json(events[1]);
  CHECK(second["corrects"] == 1);
  CHECK(second["corrected_by"].is_null());
  CHECK(second["counts"] == true);
  CHECK(second["note"] == "misread");
  std::set<std::string> keys;
  for (const auto& [key, value] : first.items()) keys.insert(key);
  CHECK(keys == std::set<std::string>{"id", "purpose", "state", "effective", "source", "document", "document_erased",
                                      "note", "recorded", "recorded_by", "corrects", "corrected_by", "counts"});
  CHECK(first["document_erased"].is_null());
}

TEST_CASE("a consent state names its deciding event, its document and the bans in force", "[export]") {
  std::vector<ConsentEvent> events = {event(1, "email-marketing", "granted", "2026-01-01"),
                                      event(2, "ban-direct-marketing", "granted", "2026-02-01")};
  events[0].document = 3;
  events[0].source = "signed-form";
  auto states = consent_states(events, "2026-02-01");
  auto email = consent_state_json(states[0]);
  CHECK(email["purpose"] == "email-marketing");
  CHECK(email["ban"] == false);
  CHECK(email["labels"]["en"] == "E-mail marketing");
  CHECK(email["state"] == "granted");
  CHECK(email["since"] == "2026-01-01");
  CHECK(email["event"] == 1);
  CHECK(email["document"] == 3);
  CHECK(email["source"] == "signed-form");
  CHECK(email["excluded_by"] == nlohmann::json::array({"ban-direct-marketing"}));
  CHECK(email["may_contact"] == false);
  auto research = consent_state_json(states[4]);
  CHECK(research["state"] == "none");
  CHECK(research["since"].is_null());
  CHECK(research["event"].is_null());
  CHECK(research["document"].is_null());
  CHECK(research["may_contact"] == false);
  auto ban = consent_state_json(states[8]);
  CHECK(ban["ban"] == true);
  CHECK(ban["state"] == "granted");
  CHECK_FALSE(ban.contains("may_contact"));
}

TEST_CASE("a customer's JSON keys use '_' for '-' and carry every field", "[export]") {
  Customer c;
  c.id = 1;
  c.current.version = 2;
  c.current.reason = "moved";
  c.current.recorded_by = "maija";
  c.current.record.set("number", "1001");
  c.current.record.set("name", "Oy Esimerkki Ab");
  c.current.record.set("business-id", "2468114-6");
  c.current.record.feedback.push_back({"2026-05-02", "Pleased"});
  auto j = customer_json(c);
  CHECK(j["number"] == "1001");
  CHECK(j["business_id"] == "2468114-6");
  CHECK(j["e_invoice_address"] == "");
  CHECK(j["feedback"][0]["text"] == "Pleased");
  CHECK(j["version"] == 2);
  CHECK_FALSE(j.contains("reason"));
  CustomerVersion first = c.current;
  first.version = 1;
  first.recorded_by = "pekka";
  auto shown = customer_json(c, {first, c.current});
  CHECK(shown["created_by"] == "pekka");
  CHECK(shown["reason"] == "moved");
  CHECK(customer_identity_json(c) ==
        nlohmann::json{{"number", "1001"}, {"name", "Oy Esimerkki Ab"}, {"business_id", "2468114-6"}});
  auto history = customer_history_json(c, {first});
  CHECK(history["customer"] == "1001");
  CHECK(history["versions"][0]["changes"][0] == nlohmann::json{{"field", "number"}, {"old", ""}, {"new", "1001"}});
}

TEST_CASE("a document's JSON says null for no customer and no station", "[export]") {
  DocumentInfo info;
  info.row.id = 12;
  info.row.kind = "consent-form";
  info.row.pages = 2;
  info.row.plain_size = 4096;
  info.file_name = "scan.pdf";
  auto unassigned = document_json(info);
  CHECK(unassigned["id"] == 12);
  CHECK(unassigned["customer"].is_null());
  CHECK(unassigned["station"].is_null());
  CHECK(unassigned["size"] == 4096);
  CHECK(unassigned["file_name"] == "scan.pdf");
  info.row.customer_id = 5;
  info.customer_number = "1001";
  info.station = "office-scanner";
  auto owned = document_json(info);
  CHECK(owned["customer"] == "1001");
  CHECK(owned["station"] == "office-scanner");
}
