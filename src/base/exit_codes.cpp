// exit_codes.cpp — see exit_codes.h.
#include "base/exit_codes.h"

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

}  // namespace kaappi
