// inspection.cpp — see inspection.h.
#include "rights/inspection.h"

#include <algorithm>

#include "base/dates.h"
#include "base/error.h"

namespace kaappi {

FeeDecision decide_inspection_fee(const std::vector<std::string>& earlier, const std::string& today, int free_per_year) {
  FeeDecision d;
  d.free_per_year = free_per_year;
  d.since = add_months(today, -12);
  for (const auto& date : earlier)
    if (date > d.since && date <= today) d.previous.push_back(date);
  std::sort(d.previous.begin(), d.previous.end());
  d.free = static_cast<int>(d.previous.size()) < free_per_year;
  return d;
}

int parse_free_per_year(const std::string& text, const Message& what) {
  if (text.empty() || text.size() > 3 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(text) > 365)
    fail(ErrorKind::usage, what + " must be a whole number of inspections from 0 to 365, not '" + text + "'");
  return std::stoi(text);
}

Request inspection_request(Session& session, std::int64_t id, const Customer& customer) {
  Request r = find_request(session, id);
  const std::string which = "request " + std::to_string(id);
  if (r.kind != "inspection")
    fail(ErrorKind::rejected, which + " is a request of " + r.kind + ", not of inspection; nothing was written");
  if (r.customer_id != customer.id)
    fail(ErrorKind::rejected, which + " is not this customer's request (see kaappi request list --customer NUMBER); "
                                      "nothing was written");
  if (r.closed_at)
    fail(ErrorKind::rejected, which + " was closed on " + date_of(*r.closed_at) +
                                  "; record the new request with kaappi request add; nothing was written");
  if (r.inspected_at)
    fail(ErrorKind::rejected, which + "'s copy was made already on " + date_of(*r.inspected_at) +
                                  " (one copy per request); nothing was written");
  return r;
}

std::vector<std::string> earlier_inspections(Session& session, const Customer& customer, const Request& request) {
  std::vector<std::string> out;
  for (const Request& r : list_requests(session, customer.id)) {
    if (r.id == request.id || r.kind != "inspection") continue;
    if (r.inspected_at)
      out.push_back(date_of(*r.inspected_at));
    else if (r.closed_at && r.closing.handed_over_in_person)
      out.push_back(date_of(*r.closed_at));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kaappi
