// customer_json.h — the JSON form of a customer record and its versions.
//
// Record fields by key with '_' for '-' (business_id, e_invoice_address),
// every field present ("" when empty), plus "feedback": [{"date", "text"}].
// A customer adds "version", "created", "changed", "changed_by".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "register/customers.h"

namespace kaappi {

// "business-id" -> "business_id"
std::string json_field_key(std::string key);
nlohmann::json customer_record_json(const CustomerRecord& record);
nlohmann::json customer_json(const Customer& customer);
// With its history known: also "created_by" and the current version's "reason".
nlohmann::json customer_json(const Customer& customer, const std::vector<CustomerVersion>& history);
// customer show's form: that, with "restricted_since" (the day the customer
// was restricted, register/customer_restriction.h, or null).
nlohmann::json customer_shown_json(const Customer& customer, const std::vector<CustomerVersion>& history,
                                   std::optional<std::int64_t> restricted_at);
// A customer named in another record (a proof): number, name, business_id.
nlohmann::json customer_identity_json(const Customer& customer);
// {"customer": number, "versions": [{"version", "recorded", "recorded_by",
// "reason", "record", "changes": [{"field", "old", "new"}]}]}, oldest first.
nlohmann::json customer_history_json(const Customer& customer, const std::vector<CustomerVersion>& versions);

}  // namespace kaappi
