// consent_event.h — one consent event, and its sealed binary form.
//
// An event says that from an effective date a customer's consent for one
// purpose (or a ban) is granted, refused or withdrawn, where that came from
// (a signed form with its document id, e-mail, phone call, web form) and who
// recorded it. A wrong event is set right by a later one that says so
// (`corrects`); a correction with state "retracted" only cancels.
//
// In the index an event is a compact binary record (docs/FORMAT.md): a fixed
// 32-byte head with everything the consent rule reads (ConsentEventHead),
// then the note and who recorded it. `consent list` decrypts only the heads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/value_sealer.h"
#include "store/archive.h"

namespace kaappi {

// The states an event can record, in the order of their on-disk code
// (docs/FORMAT.md): append only.
enum class EventState : std::uint8_t { granted = 0, refused = 1, withdrawn = 2, retracted = 3 };
const std::vector<std::string>& consent_event_states();  // granted, refused, withdrawn, retracted
// What `consent set` records; "retracted" only comes with a correction.
const std::vector<std::string>& recordable_consent_states();  // granted, refused, withdrawn
// Where an event came from, in the order of the on-disk code: append only.
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
  // Not stored: the later event that corrects this one, filled in from the
  // customer's ledger (link_corrections in consent_rule.h).
  std::optional<std::int64_t> corrected_by;
  // Not stored: when `document` was erased (kaappi erase), filled in by
  // consent_events (consents.h). The event still counts; its proof is gone.
  std::optional<std::int64_t> document_erased_at;
  // Whether it can decide a state: neither a retraction nor corrected.
  bool counts() const;
};

// What the consent rule reads of an event: the fixed head of its binary
// form. Full events give theirs with head_of(); `consent list` decodes only
// this part of each sealed event.
struct ConsentEventHead {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::int64_t document = 0;  // 0: none
  std::int64_t corrects = 0;  // 0: none
  int purpose = 0;            // index into purposes()
  EventState state = EventState::granted;
  char effective[10] = {};    // YYYY-MM-DD
  // Not stored: whether a later event corrects this one. Whoever builds the
  // heads sets it (an event is corrected when another event's `corrects`
  // names it).
  bool corrected = false;

  std::string_view effective_date() const { return {effective, sizeof effective}; }
};

// The head of a full event (its purpose and state must be known ones).
ConsentEventHead head_of(const ConsentEvent& event);

// The sealed payload of an event (exposed for tests and the benchmark).
std::string encode_consent_event(const ConsentEvent& event);
// The fixed part of a payload (throws ErrorKind::corrupt naming event `id`).
ConsentEventHead decode_consent_event_head(std::string_view payload, std::int64_t id);
// A whole payload (throws ErrorKind::corrupt).
ConsentEvent decode_consent_event(std::string_view payload, std::int64_t id);
// Opens one event row (throws ErrorKind::corrupt).
ConsentEvent open_consent_event(const ValueSealer& customer, const ConsentEventRow& row);

}  // namespace kaappi
