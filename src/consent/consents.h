// consents.h — the consent ledger: recording events and reading them back.
//
// Events (consent_event.h) are appended and never changed; a wrong one is set
// right by a later event that says so. The state of a purpose at a date
// follows one rule (consent_rule.h); which ban excludes which purpose:
// purposes.h. Events are sealed in the index in a compact binary form
// (docs/FORMAT.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consent/consent_event.h"
#include "consent/consent_rule.h"
#include "consent/purposes.h"
#include "register/customers.h"
#include "store/session.h"

namespace kaappi {

// The checks of an event that need no archive (purpose, state, date,
// source, note), with the source's default filled in; throws
// ErrorKind::usage. Front ends call it before asking for the passphrase.
ConsentEvent checked_consent_request(ConsentEvent event);
// The rule for an event's document: it exists (else ErrorKind::not_found)
// and is the customer's and not erased (else ErrorKind::rejected).
void check_consent_document(Session& session, std::int64_t customer_id, std::int64_t document);
// The rule it applies, also to events already recorded (consent proof,
// verify --full): a consent's proving document is one of its customer's.
bool document_proves_for(const DocumentRow& document, std::int64_t customer_id);
// When the document, once the customer's (taken in with them or assigned to
// them), was moved to another customer: the time of the first move away
// after it last came to them. None when it is theirs now or never was.
std::optional<std::int64_t> document_moved_away_at(Session& session, const DocumentRow& document,
                                                   std::int64_t customer_id);
// The consent events that name the document as their evidence, of every
// customer who held it (not erased), in recording order: what the key
// holder reviews when the document is moved or its kind changed.
std::vector<ConsentEvent> consent_events_citing(Session& session, std::int64_t document_id);
// A checked event made ready to append now: without an effective date it
// takes effect today (the session's clock); recorded by the session's actor.
// Fills those in `event` and returns its sealed row (not yet written).
// Throws ErrorKind::rejected for a consent granted to a restricted customer
// (register/customer_restriction.h): a refusal, withdrawal or ban may be recorded.
ConsentEventRow seal_consent_event(Session& session, std::int64_t customer_id, ConsentEvent& event);
// Checks, then appends the event. A correction must name an event of the
// same customer that is not already corrected. Without an effective date, a
// correction keeps the date of the event it corrects; any other event takes
// effect today (the session's clock).
ConsentEvent record_consent(Session& session, const Customer& customer, ConsentEvent event);
// Cancels a wrongly recorded event with no replacement: appends a correction
// of it with state "retracted" (same purpose and effective date, source
// "other") and the note saying why.
ConsentEvent retract_consent(Session& session, const Customer& customer, std::int64_t event_id,
                             const std::string& note);
// The customer's events in recording order, each with corrected_by set,
// and document_erased_at where its document was erased.
std::vector<ConsentEvent> consent_events(Session& session, const Customer& customer);
// Every purpose's state for the customer at `as_of` from their `events`, as
// consent_states decides it, each marked restricted_at when the customer is
// restricted (register/customer_restriction.h).
std::vector<ConsentState> customer_consent_states(Session& session, const Customer& customer,
                                                  const std::vector<ConsentEvent>& events, const std::string& as_of);

// The states `consent list --state` can ask for: granted, refused, withdrawn, none.
const std::vector<std::string>& listable_consent_states();
// Customers whose state for `purpose` at `as_of` is `state` (one of
// listable_consent_states(); "none": nothing counting recorded). With
// "granted" and a purpose that bans exclude, anyone with a ban in force is
// left out, as is a customer whose values a hold keeps after their erasure
// was asked (restricted; rights/erasure.h). The event is the deciding one, from its head only (id, purpose,
// state, effective date, document).
struct ConsentListEntry {
  Customer customer;
  std::optional<ConsentEvent> event;
};
std::vector<ConsentListEntry> list_by_consent(Session& session, const Purpose& purpose, const std::string& state,
                                              const std::string& as_of);

}  // namespace kaappi
