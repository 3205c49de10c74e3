// customer_restriction.h — whether a customer is restricted: their erasure
// was asked while a retention hold keeps their record (rights/erasure.h
// writes the restrictions row in the erasure's transaction). A restricted
// customer is kept, not used: on no list, marketing or other, and no consent
// to contact them can be recorded (a refusal, a withdrawal or a ban can);
// their record can still be rectified. The one place this is decided.
#pragma once

#include <cstdint>
#include <optional>
#include <set>

#include "store/session.h"

namespace kaappi {

// Since when the customer is restricted (the first restriction of their own
// values), or nullopt: never, or erased since.
std::optional<std::int64_t> customer_restricted_at(Session& session, std::int64_t customer_id);
// Every restricted customer's id, in one read of the restrictions.
std::set<std::int64_t> restricted_customer_ids(Session& session);

}  // namespace kaappi
