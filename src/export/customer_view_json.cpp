// customer_view_json.cpp — see customer_view_json.h.
#include "export/customer_view_json.h"

#include "export/consent_json.h"
#include "export/customer_json.h"
#include "export/document_json.h"
#include "export/json_fields.h"

namespace kaappi {

nlohmann::json customer_view_json(const CustomerView& view) {
  nlohmann::json documents = nlohmann::json::array();
  for (const auto& info : view.documents) documents.push_back(document_json(info));
  nlohmann::json open = nlohmann::json::array();
  for (const auto& m : view.open_matters)
    open.push_back({{"what", m.what}, {"id", m.id}, {"kind", m.kind}, {"since", text_or_null(m.since)},
                    {"until", text_or_null(m.until)}, {"reason", m.reason}});
  nlohmann::json consents = consent_states_json(view.customer, view.as_of, view.consents);
  return {{"customer", customer_shown_json(view.customer, view.history, view.restricted_at)},
          {"history", customer_history_json(view.customer, view.history)["versions"]},
          {"documents", documents},
          {"consents",
           {{"as_of", view.as_of},
            {"states", consents["consents"]},
            {"events", consent_history_json(view.customer, view.consent_events)["events"]}}},
          {"requests_and_holds", open}};
}

}  // namespace kaappi
