// consents.h — the consent ledger: purposes, bans and their events.
//
// An event says that from an effective date a customer's consent for one
// purpose (or a ban) is granted, refused or withdrawn, where that came from
// (a signed form with its document id, e-mail, phone call, web form) and who
// recorded it. Events are appended and never changed. A wrong event is set
// right by a later one that says so (`corrects`): the corrected event no
// longer counts, and the correcting event stands in its place; a correction
// with state "retracted" only cancels. The state at a date is the last
// counting event effective on or before it (ties: the one recorded last).
// For bans, "granted" means the ban is in force and "withdrawn" that it was
// lifted. Which ban excludes which purpose: bans_excluding(). Events are
// sealed in the index in a compact binary form (docs/FORMAT.md).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/archive.h"
#include "register/customers.h"

namespace kaappi {

struct Purpose {
  const char* id;
  const char* label_fi;
  const char* label_sv;
  const char* label_en;
  bool is_ban;
};

const std::vector<Purpose>& purposes();
// Throws ErrorKind::usage listing the valid ids.
const Purpose& find_purpose(const std::string& id);
// The bans that, in force, forbid contact for this purpose: every ban for
// e-mail, SMS and other electronic marketing (all three are direct
// marketing, advertising and a means of distance selling); none for the
// other purposes.
std::vector<const Purpose*> bans_excluding(const Purpose& purpose);

// Where an event came from.
const std::vector<std::string>& consent_sources();  // signed-form, email, phone, web-form, other

struct ConsentEvent {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::string purpose;
  std::string state;      // granted | refused | withdrawn | retracted
  std::string effective;  // YYYY-MM-DD
  std::optional<std::int64_t> document;
  std::optional<std::int64_t> corrects;  // the event this one sets right
  std::string source;
  std::string note;
  std::string recorded_by;
  std::int64_t recorded_at = 0;
};

// Checks, then appends the event. A correction must name an event of the
// same customer that is not already corrected.
ConsentEvent record_consent(Session& session, const Customer& customer, ConsentEvent event);
std::vector<ConsentEvent> consent_events(Session& session, const Customer& customer);
// Opens one event row (throws ErrorKind::corrupt).
ConsentEvent open_consent_event(const FieldCipher& cipher, const ConsentEventRow& row);
// The sealed payload of an event (exposed for tests and the benchmark).
std::string encode_consent_event(const ConsentEvent& event);

struct ConsentState {
  const Purpose* purpose;
  std::optional<ConsentEvent> event;  // none: nothing recorded by that date
  // For a purpose that is granted: the bans in force that forbid contact.
  std::vector<const Purpose*> excluded_by;
  bool may_contact() const;  // granted and no ban in force
};
// Events in recording order; ids of corrected events do not count.
std::vector<ConsentState> consent_states(const std::vector<ConsentEvent>& events, const std::string& as_of);

// Customers whose state for `purpose` at `as_of` is `state` ("granted",
// "refused", "withdrawn" or "none"). With "granted" and a marketing
// purpose, anyone with a ban in force is left out.
struct ConsentListEntry {
  Customer customer;
  std::optional<ConsentEvent> event;
};
std::vector<ConsentListEntry> list_by_consent(Session& session, const Purpose& purpose, const std::string& state,
                                              const std::string& as_of);

}  // namespace kaappi
