// customer_changes.cpp — see customer_changes.h.
#include "register/customer_changes.h"

namespace kaappi {

std::vector<FieldChange> changes_between(const CustomerRecord& before, const CustomerRecord& after) {
  std::vector<FieldChange> out;
  for (const auto& s : customer_fields())
    if (before.get(s.key) != after.get(s.key)) out.push_back({s.key, before.get(s.key), after.get(s.key)});
  for (size_t i = before.feedback.size(); i < after.feedback.size(); ++i)
    out.push_back({"feedback", "", after.feedback[i].date + " " + after.feedback[i].text});
  if (after.feedback.size() < before.feedback.size()) out.push_back({"feedback", "(entries removed)", ""});
  return out;
}

}  // namespace kaappi
