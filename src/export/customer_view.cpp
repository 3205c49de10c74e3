// customer_view.cpp — see customer_view.h.
#include "export/customer_view.h"

#include "base/dates.h"
#include "register/customer_restriction.h"
#include "rights/requests.h"
#include "rights/retention.h"

#include "documents/document_filter.h"

namespace kaappi {

std::vector<OpenRequestOrHold> open_requests_and_holds(Session& session, const Customer& customer) {
  std::vector<OpenRequestOrHold> out;
  for (const Request& r : list_requests(session, customer.id, true))
    out.push_back({"request", r.id, r.kind, r.received, r.deadline, r.note});
  const std::string today = date_of(session.now());
  const Retention retention(session);
  for (const Hold& h : retention.holds()) {
    if (h.until < today) continue;
    std::string what;
    if (h.customer_id == customer.id) {
      what = "everything of the customer";
    } else if (h.document_id != 0) {
      auto d = session.index().document(h.document_id);
      if (!d || d->owner() != customer.id) continue;
      what = "document " + std::to_string(h.document_id);
    } else {
      continue;
    }
    out.push_back({"hold", h.id, what, date_of(h.at), h.until, h.reason});
  }
  return out;
}

CustomerView customer_view(Session& session, const std::string& number, const std::string& as_of) {
  CustomerView view;
  view.customer = require_customer(session, number);
  const Customer& c = view.customer;
  view.restricted_at = customer_restricted_at(session, c.id);
  view.history = customer_history(session, c);
  DocumentFilter filter;
  filter.customer = c.id;
  for (const auto& row : session.index().documents(c.id))
    if (filter.matches(row)) view.documents.push_back(open_document_info(session, row));
  view.as_of = as_of;
  view.consent_events = consent_events(session, c);
  view.consents = consent_states(view.consent_events, as_of);
  for (auto& state : view.consents) state.restricted_at = view.restricted_at;
  view.open_matters = open_requests_and_holds(session, c);
  return view;
}

}  // namespace kaappi
