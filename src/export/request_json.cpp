// request_json.cpp — see request_json.h.
#include "export/request_json.h"

#include "base/dates.h"

namespace kaappi {

const char* deadline_state_name(DeadlineState state) {
  switch (state) {
    case DeadlineState::closed: return "closed";
    case DeadlineState::open: return "open";
    case DeadlineState::near: return "near";
    case DeadlineState::passed: return "passed";
  }
  return "open";
}

nlohmann::json request_json(const Request& r) {
  nlohmann::json j{{"id", r.id},
                   {"customer", r.customer_erased ? nlohmann::json(nullptr) : nlohmann::json(r.customer_number)},
                   {"kind", r.kind},
                   {"received", r.received},
                   {"channel", r.channel},
                   {"note", r.note},
                   {"recorded_at", format_time(r.recorded_at)},
                   {"recorded_by", r.recorded_by},
                   {"deadline", r.deadline},
                   {"state", deadline_state_name(r.state)},
                   {"extension", nullptr},
                   {"closed", nullptr},
                   {"inspected", nullptr}};
  if (!r.closed_at) j["days_left"] = r.days_left;
  if (r.extended)
    j["extension"] = {{"at", format_time(r.extended_at)}, {"by", r.extended_by}, {"reason", r.extension_reason}};
  if (r.closed_at)
    j["closed"] = {{"at", format_time(*r.closed_at)},
                   {"by", r.closed_by},
                   {"by_erasure", r.closed_by_erasure},
                   {"handed_over_in_person", r.closing.handed_over_in_person},
                   {"identity_checked_with", r.closing.identity_checked_with},
                   {"handed_over_by", r.closing.handed_over_by},
                   {"fee", r.closing.fee_cents ? nlohmann::json(format_fee(*r.closing.fee_cents)) : nlohmann::json(nullptr)},
                   {"reason", r.closing.reason}};
  if (r.inspected_at)
    j["inspected"] = {{"at", format_time(*r.inspected_at)},
                      {"by", r.inspected_by},
                      {"fee", r.inspection.fee},
                      {"previous", r.inspection.previous},
                      {"lang", r.inspection.lang},
                      {"documents", r.inspection.documents}};
  return j;
}

}  // namespace kaappi
