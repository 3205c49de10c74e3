// consent_json.cpp — see consent_json.h.
#include "export/consent_json.h"

#include "base/dates.h"
#include "export/json_fields.h"

namespace kaappi {

nlohmann::json purpose_labels_json(const Purpose& p) {
  return {{"fi", p.label_fi}, {"sv", p.label_sv}, {"en", p.label_en}};
}

nlohmann::json consent_event_json(const ConsentEvent& e) {
  return {{"id", e.id},
          {"purpose", e.purpose},
          {"state", e.state},
          {"effective", e.effective},
          {"source", e.source},
          {"document", id_or_null(e.document)},
          {"document_erased", e.document_erased_at ? nlohmann::json(date_of(*e.document_erased_at)) : nlohmann::json(nullptr)},
          {"note", e.note},
          {"recorded", format_time(e.recorded_at)},
          {"recorded_by", e.recorded_by},
          {"corrects", id_or_null(e.corrects)},
          {"corrected_by", id_or_null(e.corrected_by)},
          {"counts", e.counts()}};
}

nlohmann::json consent_state_json(const ConsentState& s) {
  nlohmann::json excluded = nlohmann::json::array();
  for (const Purpose* b : s.excluded_by) excluded.push_back(b->id);
  const std::optional<ConsentEvent>& e = s.event;
  nlohmann::json j = {{"purpose", s.purpose->id},
                      {"ban", s.purpose->is_ban},
                      {"labels", purpose_labels_json(*s.purpose)},
                      {"state", e ? e->state : "none"},
                      {"since", e ? nlohmann::json(e->effective) : nlohmann::json(nullptr)},
                      {"event", e ? nlohmann::json(e->id) : nlohmann::json(nullptr)},
                      {"document", e ? id_or_null(e->document) : nlohmann::json(nullptr)},
                      {"document_erased", e && e->document_erased_at ? nlohmann::json(date_of(*e->document_erased_at))
                                                                     : nlohmann::json(nullptr)},
                      {"source", e ? nlohmann::json(e->source) : nlohmann::json(nullptr)},
                      {"excluded_by", excluded},
                      {"restricted_since", s.restricted_at ? nlohmann::json(date_of(*s.restricted_at)) : nlohmann::json(nullptr)}};
  if (!s.purpose->is_ban) j["may_contact"] = s.may_contact();
  return j;
}

nlohmann::json consent_states_json(const Customer& customer, const std::string& as_of,
                                   const std::vector<ConsentState>& states) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& s : states) arr.push_back(consent_state_json(s));
  return {{"customer", customer.number()}, {"as_of", as_of}, {"consents", arr}};
}

nlohmann::json consent_history_json(const Customer& customer, const std::vector<ConsentEvent>& events) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : events) arr.push_back(consent_event_json(e));
  return {{"customer", customer.number()}, {"events", arr}};
}

nlohmann::json consent_list_json(const Purpose& purpose, const std::string& state, const std::string& as_of,
                                 const std::vector<ConsentListEntry>& entries) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& entry : entries) {
    const Customer& c = entry.customer;
    const std::optional<ConsentEvent>& e = entry.event;
    arr.push_back({{"number", c.number()},
                   {"name", c.name()},
                   {"email", c.current.record.get("email")},
                   {"phone", c.current.record.get("phone")},
                   {"since", e ? nlohmann::json(e->effective) : nlohmann::json(nullptr)},
                   {"document", e ? id_or_null(e->document) : nlohmann::json(nullptr)},
                   {"event", e ? nlohmann::json(e->id) : nlohmann::json(nullptr)}});
  }
  nlohmann::json bans = nlohmann::json::array();
  if (state == "granted")
    for (const Purpose* b : bans_excluding(purpose)) bans.push_back(b->id);
  return {{"purpose", purpose.id}, {"state", state}, {"as_of", as_of}, {"left_out_with_bans", bans},
          {"customers", arr}};
}

}  // namespace kaappi
