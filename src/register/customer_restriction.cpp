// customer_restriction.cpp — see customer_restriction.h.
#include "register/customer_restriction.h"

namespace kaappi {

std::optional<std::int64_t> customer_restricted_at(Session& session, std::int64_t customer_id) {
  std::optional<std::int64_t> at;
  for (const RestrictionRow& r : session.index().restrictions())
    if (r.document_id == 0 && r.customer_id == customer_id && (!at || r.at < *at)) at = r.at;
  if (at && session.customer_erased(customer_id)) return std::nullopt;  // gone: nothing is restricted
  return at;
}

std::set<std::int64_t> restricted_customer_ids(Session& session) {
  std::set<std::int64_t> out;
  for (const RestrictionRow& r : session.index().restrictions())
    if (r.document_id == 0 && !session.customer_erased(r.customer_id)) out.insert(r.customer_id);
  return out;
}

std::size_t leave_out_restricted(Session& session, std::vector<Customer>& customers) {
  const std::set<std::int64_t> restricted = restricted_customer_ids(session);
  return std::erase_if(customers, [&](const Customer& c) { return restricted.count(c.id) > 0; });
}

std::optional<std::int64_t> document_restricted_at(Session& session, const DocumentRow& document) {
  if (document.erased()) return std::nullopt;
  std::optional<std::int64_t> at;
  for (const RestrictionRow& r : session.index().restrictions())
    if (r.document_id == document.id && (!at || r.at < *at)) at = r.at;
  if (document.owner() != 0)
    if (auto customer_at = customer_restricted_at(session, document.owner()); customer_at && (!at || *customer_at < *at))
      at = customer_at;
  return at;
}

}  // namespace kaappi
