// customer_changes.h — what changed between two versions of a customer
// record, field by field (customer history shows it).
#pragma once

#include <string>
#include <vector>

#include "register/customer_fields.h"

namespace kaappi {

struct FieldChange {
  std::string field;  // a field key, or "feedback"
  std::string before, after;
};

// In field order; a new feedback entry is one change with "DATE TEXT" after,
// removed entries one change with before "(entries removed)".
std::vector<FieldChange> changes_between(const CustomerRecord& before, const CustomerRecord& after);

}  // namespace kaappi
