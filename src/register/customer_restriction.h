// customer_restriction.h — whether a customer, or a document, is restricted:
// their erasure was asked while a retention hold keeps their record or the
// document (rights/erasure.h writes the restrictions rows in the erasure's
// transaction). A restricted customer is kept, not used: on no list,
// marketing or other, and no consent to contact them can be recorded nor a
// ban of theirs lifted (a refusal, a withdrawal of consent or a ban can);
// their record can still be rectified. A restricted document is only kept:
// not moved to another customer nor given another kind (which would take it
// out of its hold), nor cited as the evidence of a new consent event. The
// one place this is decided.
#pragma once

#include <cstdint>
#include <optional>
#include <set>

#include <vector>

#include "register/customers.h"
#include "store/session.h"

namespace kaappi {

// Since when the customer is restricted (the first restriction of their own
// values), or nullopt: never, or erased since.
std::optional<std::int64_t> customer_restricted_at(Session& session, std::int64_t customer_id);
// Every restricted customer's id, in one read of the restrictions.
std::set<std::int64_t> restricted_customer_ids(Session& session);
// Leaves the restricted customers out of a list of customers (what the
// register lists and exports); returns how many it left out.
std::size_t leave_out_restricted(Session& session, std::vector<Customer>& customers);
// Since when the document is restricted (a restriction of its own, or of
// the customer it belongs to), or nullopt: never, or erased since.
std::optional<std::int64_t> document_restricted_at(Session& session, const DocumentRow& document);

}  // namespace kaappi
