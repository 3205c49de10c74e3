// request_json.h — the JSON form of a data subject's request, the same in
// `request list --json` and the inspection copy: {"id", "customer" (number,
// or null once erased), "kind", "received", "channel", "note",
// "recorded_at", "recorded_by", "deadline", "state" (open, near, passed,
// closed), "days_left" (open requests), "extension" ({"at", "by", "reason"}
// or null), "closed" ({"at", "by", "by_erasure" (closed by its customer's erasure), "handed_over_in_person",
// "identity_checked_with", "handed_over_by", "fee" (EUR as text, or null),
// "reason"} or null), "inspected" (an inspection request's copy: {"at", "by",
// "fee" (free or charged), "previous" (dates of the earlier inspections
// within the year), "lang", "documents" (ids copied)} or null)}. Times are local "YYYY-MM-DD HH:MM".
#pragma once

#include <nlohmann/json.hpp>

#include "rights/requests.h"

namespace kaappi {

nlohmann::json request_json(const Request& request);
// "open", "near", "passed" or "closed".
const char* deadline_state_name(DeadlineState state);

}  // namespace kaappi
