// customers.h — customer records: add, find by number (through the keyed
// blind index), list. Every personal field is sealed by FieldCipher with the
// version row's uid as associated data; a record is never changed in place
// (later versions are new rows). Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "archive.h"
#include "blob_format.h"

namespace kaappi {

struct CustomerFields {
  std::string number, name, business_id, email, phone, address;
};

struct Customer {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::int64_t created_at = 0;
  std::int64_t recorded_at = 0;
  CustomerFields fields;
};

// Validates and normalizes; throws ErrorKind::rejected naming the field (never
// its value: error messages may end up in logs, personal data must not).
CustomerFields validate_customer(CustomerFields fields);

Customer add_customer(Session& session, const CustomerFields& fields);
std::optional<Customer> find_customer(Session& session, const std::string& number);
// Throws ErrorKind::not_found "no customer with that number".
Customer require_customer(Session& session, const std::string& number);
Customer load_customer(Session& session, const CustomerRow& row);
std::vector<Customer> list_customers(Session& session);
// Opens one version's sealed fields (throws ErrorKind::corrupt).
CustomerFields open_customer_version(const FieldCipher& cipher, const CustomerVersionRow& row);

}  // namespace kaappi
