// customer_json.cpp — see customer_json.h.
#include "export/customer_json.h"

#include "base/dates.h"
#include "register/customer_changes.h"

namespace kaappi {

std::string json_field_key(std::string key) {
  for (auto& c : key)
    if (c == '-') c = '_';
  return key;
}

nlohmann::json customer_record_json(const CustomerRecord& r) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& s : customer_fields()) j[json_field_key(s.key)] = r.get(s.key);
  nlohmann::json feedback = nlohmann::json::array();
  for (const auto& e : r.feedback) feedback.push_back({{"date", e.date}, {"text", e.text}});
  j["feedback"] = feedback;
  return j;
}

nlohmann::json customer_json(const Customer& c) {
  nlohmann::json j = customer_record_json(c.current.record);
  j["version"] = c.current.version;
  j["created"] = format_time(c.created_at);
  j["changed"] = format_time(c.current.recorded_at);
  j["changed_by"] = c.current.recorded_by;
  return j;
}

nlohmann::json customer_json(const Customer& c, const std::vector<CustomerVersion>& history) {
  nlohmann::json j = customer_json(c);
  j["created_by"] = history.empty() ? "" : history.front().recorded_by;
  j["reason"] = c.current.reason;
  return j;
}

nlohmann::json customer_identity_json(const Customer& c) {
  return {{"number", c.number()}, {"name", c.name()}, {"business_id", c.current.record.get("business-id")}};
}

nlohmann::json customer_history_json(const Customer& c, const std::vector<CustomerVersion>& versions) {
  nlohmann::json arr = nlohmann::json::array();
  CustomerRecord previous;
  for (const auto& v : versions) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& ch : changes_between(previous, v.record))
      changes.push_back({{"field", json_field_key(ch.field)}, {"old", ch.before}, {"new", ch.after}});
    arr.push_back({{"version", v.version}, {"recorded", format_time(v.recorded_at)}, {"recorded_by", v.recorded_by},
                   {"reason", v.reason}, {"record", customer_record_json(v.record)}, {"changes", changes}});
    previous = v.record;
  }
  return {{"customer", c.number()}, {"versions", arr}};
}

nlohmann::json customer_shown_json(const Customer& customer, const std::vector<CustomerVersion>& history,
                                   std::optional<std::int64_t> restricted_at) {
  nlohmann::json j = customer_json(customer, history);
  j["restricted_since"] = restricted_at ? nlohmann::json(date_of(*restricted_at)) : nlohmann::json(nullptr);
  return j;
}

}  // namespace kaappi
