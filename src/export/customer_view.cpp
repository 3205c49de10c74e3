// customer_view.cpp — see customer_view.h.
#include "export/customer_view.h"

#include "documents/document_filter.h"

namespace kaappi {

std::vector<OpenRequestOrHold> open_requests_and_holds(Session&, const Customer&) { return {}; }

CustomerView customer_view(Session& session, const std::string& number, const std::string& as_of) {
  CustomerView view;
  view.customer = require_customer(session, number);
  const Customer& c = view.customer;
  view.history = customer_history(session, c);
  DocumentFilter filter;
  filter.customer = c.id;
  for (const auto& row : session.index().documents(c.id))
    if (filter.matches(row)) view.documents.push_back(open_document_info(session, row));
  view.as_of = as_of;
  view.consent_events = consent_events(session, c);
  view.consents = consent_states(view.consent_events, as_of);
  view.open_matters = open_requests_and_holds(session, c);
  return view;
}

}  // namespace kaappi
