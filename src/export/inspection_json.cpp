// inspection_json.cpp — see inspection_json.h.
#include "export/inspection_json.h"

#include "base/dates.h"
#include "export/consent_json.h"
#include "export/customer_json.h"
#include "export/document_json.h"
#include "export/inspection_labels.h"
#include "export/request_json.h"
#include "register/customer_fields.h"

namespace kaappi {
namespace {

// Each current field with the version that gave it its value.
nlohmann::json fields_json(const InspectionData& d) {
  const CustomerRecord& current = d.customer.current.record;
  nlohmann::json out = nlohmann::json::array();
  for (const FieldSpec& spec : customer_fields()) {
    const std::string& value = current.get(spec.key);
    const CustomerVersion* set_in = nullptr;
    std::string before;
    for (const CustomerVersion& v : d.history) {
      const std::string& now = v.record.get(spec.key);
      if (now != before) set_in = &v;
      before = now;
    }
    nlohmann::json f{{"field", json_field_key(spec.key)},
                     {"label", inspection_label(d.lang, std::string("field.") + spec.key)},
                     {"value", value},
                     {"source", current.get("source")},
                     {"version", nullptr},
                     {"recorded", nullptr},
                     {"recorded_by", nullptr},
                     {"reason", nullptr}};
    if (set_in != nullptr && !value.empty()) {
      f["version"] = set_in->version;
      f["recorded"] = format_time(set_in->recorded_at);
      f["recorded_by"] = set_in->recorded_by;
      f["reason"] = set_in->reason;
    }
    out.push_back(f);
  }
  return out;
}

nlohmann::json register_json(const InspectionData& d) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& k : register_texts_keys()) {
    const auto& lines = d.texts->lines(d.lang, k.key);
    if (k.list)
      out[k.key] = lines;
    else
      out[k.key] = lines.empty() ? nlohmann::json(nullptr) : nlohmann::json(lines.front());
  }
  return out;
}

}  // namespace

nlohmann::json inspection_json(const InspectionData& d) {
  nlohmann::json j{{"schema", k_inspection_schema},
                   {"lang", d.lang},
                   {"generated", d.generated},
                   {"generated_by", d.generated_by},
                   {"archive_id", d.archive_id},
                   {"request", request_json(d.request)}};
  j["fee"] = {{"decision", d.fee.fee()},
              {"free_per_year", d.fee.free_per_year},
              {"since", d.fee.since},
              {"previous", d.fee.previous},
              {"earlier_inspections", d.earlier}};
  j["register"] = register_json(d);
  nlohmann::json customer = customer_shown_json(d.customer, d.history, d.restricted_at);
  customer["fields"] = fields_json(d);
  j["customer"] = customer;
  j["history"] = customer_history_json(d.customer, d.history)["versions"];

  nlohmann::json states = nlohmann::json::array();
  for (const auto& s : d.consent_states) states.push_back(consent_state_json(s));
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : d.consent_events) events.push_back(consent_event_json(e));
  j["consents"] = {{"as_of", d.as_of}, {"states", states}, {"events", events}};

  nlohmann::json documents = nlohmann::json::array();
  for (const auto& doc : d.documents) {
    if (!doc.info) {
      documents.push_back({{"id", doc.row.id},
                           {"kind", doc.row.current_kind()},
                           {"imported", format_time(doc.row.imported_at)},
                           {"erased", true},
                           {"file", nullptr}});
      continue;
    }
    nlohmann::json one = document_json(*doc.info);
    one["erased"] = false;
    one["file"] = doc.file;
    one["sha256"] = doc.sha256;
    documents.push_back(one);
  }
  j["documents"] = documents;

  nlohmann::json reads = nlohmann::json::array();
  for (const auto& r : d.reads)
    reads.push_back({{"at", format_time(r.at)},
                     {"document", r.document ? nlohmann::json(*r.document) : nlohmann::json(nullptr)},
                     {"action", r.action},
                     {"reason", r.erased ? nlohmann::json(nullptr) : nlohmann::json(r.reason)},
                     {"erased", r.erased}});
  j["reads"] = reads;

  nlohmann::json requests = nlohmann::json::array();
  for (const auto& r : d.requests) requests.push_back(request_json(r));
  j["requests"] = requests;
  return j;
}

}  // namespace kaappi
