// exit_codes.cpp — see exit_codes.h.
#include "base/exit_codes.h"

namespace kaappi {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return 2;
    case ErrorKind::auth:
      return 3;
    case ErrorKind::rejected:
      return 4;
    case ErrorKind::not_found:
      return 5;
    case ErrorKind::needs_upgrade:
      return 7;
    case ErrorKind::corrupt:
      return 1;  // an integrity problem: the same meaning as verify's findings
    case ErrorKind::io:
    case ErrorKind::internal:
      return 70;
  }
  return 70;
}

}  // namespace kaappi
