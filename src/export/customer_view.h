// customer_view.h — everything the archive holds about one customer, in one
// view (`customer show --all`): the current record, every version of it, the
// customer's documents, the state of each purpose and ban with the events
// that prove them, and the customer's open requests and holds. Assembled
// here; a front end prints it, its JSON form is customer_view_json.h.
// Not thread-safe (it reads through one Session).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "consent/consents.h"
#include "documents/documents.h"
#include "register/customers.h"

namespace kaappi {

// One open request (inspection, rectification, ...) or retention hold
// concerning a customer.
struct OpenRequestOrHold {
  std::string what;  // "request" or "hold"
  std::int64_t id = 0;
  std::string kind;      // the request's kind, or what the hold keeps
  std::string since;     // YYYY-MM-DD: received, or held from
  std::string until;     // YYYY-MM-DD: its deadline, or the hold's end
  std::string reason;
};

// The customer's open requests (rights/requests.h: kind, received, deadline,
// the note) and the holds in force on them or on one of their documents
// (rights/retention.h: what is held, added, until, the reason), requests first.
std::vector<OpenRequestOrHold> open_requests_and_holds(Session& session, const Customer& customer);

struct CustomerView {
  Customer customer;
  std::optional<std::int64_t> restricted_at;  // register/customer_restriction.h
  std::vector<CustomerVersion> history;  // every version, oldest first
  std::vector<DocumentInfo> documents;   // in id order; erased ones left out
  std::string as_of;                     // the date the consent states are for (YYYY-MM-DD)
  std::vector<ConsentState> consents;    // every purpose and ban, as consent_states gives them
  std::vector<ConsentEvent> consent_events;  // every event, in recording order: what the states rest on
  std::vector<OpenRequestOrHold> open_matters;
};

// The view of the customer numbered `number`, its consents as of `as_of`
// (YYYY-MM-DD). Throws as require_customer when there is no such customer.
CustomerView customer_view(Session& session, const std::string& number, const std::string& as_of);

}  // namespace kaappi
