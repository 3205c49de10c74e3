// consent_json.h — the JSON form of consent events and consent states, the
// same in `consent set/retract/history/show/list --json` and proof.json.
//
// Event: {"id", "purpose", "state", "effective", "source", "document",
//   "note", "recorded", "recorded_by", "corrects", "corrected_by", "counts"}
//   (document, corrects, corrected_by: an id or null).
// State of one purpose at a date: {"purpose", "ban", "labels": {"fi", "sv",
//   "en"}, "state" (granted | refused | withdrawn | none), "since", "event",
//   "document", "source" (of the deciding event, or null), "excluded_by":
//   [ban ids in force], and for a purpose that is not a ban "may_contact"}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "consent/consents.h"

namespace kaappi {

nlohmann::json purpose_labels_json(const Purpose& purpose);
nlohmann::json consent_event_json(const ConsentEvent& event);
nlohmann::json consent_state_json(const ConsentState& state);
// {"customer": number, "as_of", "consents": [state, ...]}
nlohmann::json consent_states_json(const Customer& customer, const std::string& as_of,
                                   const std::vector<ConsentState>& states);
// {"customer": number, "events": [event, ...]}
nlohmann::json consent_history_json(const Customer& customer, const std::vector<ConsentEvent>& events);
// {"purpose", "state", "as_of", "left_out_with_bans": [ban ids], "customers":
// [{"number", "name", "email", "phone", "since", "document", "event"}]}
nlohmann::json consent_list_json(const Purpose& purpose, const std::string& state, const std::string& as_of,
                                 const std::vector<ConsentListEntry>& entries);

}  // namespace kaappi
