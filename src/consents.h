// consents.h — the consent ledger: purposes, bans and their events.
//
// An event says that from an effective date a customer's consent for one
// purpose (or a ban) is granted, refused or withdrawn, and what proves it
// (usually a signed form, by document id). Events are appended and never
// changed; the state at a date is the last event effective on or before it
// (ties: the one recorded last). For bans, "granted" means the ban is in
// force and "withdrawn" that it was lifted. Events are sealed in the index.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "archive.h"
#include "customers.h"

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

struct ConsentEvent {
  std::int64_t id = 0;
  std::string purpose;
  std::string state;      // granted | refused | withdrawn
  std::string effective;  // YYYY-MM-DD
  std::optional<std::int64_t> document;
  std::string source;     // signed-form | recorded
  std::string note;
  std::string recorded_by;
  std::int64_t recorded_at = 0;
};

ConsentEvent record_consent(Session& session, const Customer& customer, ConsentEvent event);
std::vector<ConsentEvent> consent_events(Session& session, const Customer& customer);
// Opens one event row (throws ErrorKind::corrupt).
ConsentEvent open_consent_event(const FieldCipher& cipher, const ConsentEventRow& row);

struct ConsentState {
  const Purpose* purpose;
  std::optional<ConsentEvent> event;  // none: nothing recorded by that date
};
std::vector<ConsentState> consent_states(const std::vector<ConsentEvent>& events, const std::string& as_of);

}  // namespace kaappi
