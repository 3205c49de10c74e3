// consent_rule.h — THE consent rule: a purpose's state at a date.
//
// From one customer's events, in recording order: an event counts unless it
// is a retraction or a later event corrects it. The state of a purpose at a
// date is the last counting event of that purpose effective on or before the
// date; of two effective the same day, the one recorded last. Nothing
// counting: no state ("none"). A purpose that bans exclude (purposes.h) and
// that is granted is still not to be contacted while any ban's own state at
// that date is "granted" (the ban is in force).
//
// decide_consent() is the rule. It reads only event heads (consent_event.h),
// so `consent show`, `history` and `proof` (full events, through
// consent_states()) and `consent list` (heads decoded from 32 bytes per
// event, through decide_for_each_customer()) decide alike.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "consent/consent_event.h"
#include "consent/purposes.h"

namespace kaappi {

struct ConsentDecision {
  const ConsentEventHead* event = nullptr;  // the deciding event; none: nothing counts by that date
  // For a granted purpose: the bans in force that forbid contact, as a set of
  // bits (1 << index into purposes()).
  std::uint32_t excluded_by = 0;
  bool may_contact() const { return event && event->state == EventState::granted && excluded_by == 0; }
};

// `events`: one customer's events in recording order, `corrected` set.
// Allocates nothing.
ConsentDecision decide_consent(std::span<const ConsentEventHead> events, const Purpose& purpose,
                               std::string_view as_of);

// Sets corrected_by on each event that a later one corrects (one customer's
// events, in recording order).
void link_corrections(std::vector<ConsentEvent>& events);

// Every purpose's state at a date, from one customer's full events.
struct ConsentState {
  const Purpose* purpose;
  std::optional<ConsentEvent> event;  // none: nothing recorded by that date
  // For a purpose that is granted: the bans in force that forbid contact.
  std::vector<const Purpose*> excluded_by;
  // Set when the customer is restricted (register/customer_restriction.h):
  // since when. A restricted customer may be contacted for nothing.
  std::optional<std::int64_t> restricted_at;
  bool may_contact() const;  // granted, no ban in force, not restricted
};
// Events in recording order; corrections are found from their `corrects`.
std::vector<ConsentState> consent_states(const std::vector<ConsentEvent>& events, const std::string& as_of);

// `consent list`'s way: heads of many customers' events, in recording order,
// each with `corrected` set (the heads of `purpose` and of the bans that can
// exclude it suffice). Sorts them by customer (keeping recording order; heads
// already in that order are left as they are) and decides each customer's
// state, in customer order; customers without events are not in the result.
// The decisions point into `heads`.
struct CustomerDecision {
  std::int64_t customer_id = 0;
  ConsentDecision decision;
};
std::vector<CustomerDecision> decide_for_each_customer(std::vector<ConsentEventHead>& heads, const Purpose& purpose,
                                                       std::string_view as_of);

}  // namespace kaappi
