// exit_codes.cpp — see exit_codes.h.
#include "base/exit_codes.h"

#include <algorithm>

namespace kaappi {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return exit_code::k_usage;
    case ErrorKind::auth:
      return exit_code::k_auth;
    case ErrorKind::rejected:
      return exit_code::k_rejected;
    case ErrorKind::not_found:
      return exit_code::k_not_found;
    case ErrorKind::needs_upgrade:
      return exit_code::k_needs_upgrade;
    case ErrorKind::partial:
      return exit_code::k_partial;
    case ErrorKind::corrupt:
      return exit_code::k_problems;  // an integrity problem: the same meaning as verify's findings
    case ErrorKind::io:
    case ErrorKind::internal:
      return exit_code::k_internal;
  }
  return exit_code::k_internal;
}

int exit_code_for_items(const std::vector<ItemResult>& items, int stop_signal, ErrorKind failure) {
  auto any = [&](ItemResult result) { return std::find(items.begin(), items.end(), result) != items.end(); };
  if (any(ItemResult::not_started)) return 128 + stop_signal;
  const bool refused = any(ItemResult::refused), failed = any(ItemResult::failed),
             not_found = any(ItemResult::not_found);
  if (!refused && !failed && !not_found && !any(ItemResult::rejected) && !any(ItemResult::done_in_part))
    return exit_code::k_ok;
  if (any(ItemResult::done) || any(ItemResult::done_in_part)) return exit_code::k_partial;
  return refused ? exit_code::k_problems
         : failed ? exit_code_for(failure)
         : not_found ? exit_code::k_not_found
                     : exit_code::k_rejected;
}

}  // namespace kaappi
