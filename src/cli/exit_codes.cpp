// exit_codes.cpp — the one place where errors become exit codes
// (PRODUCT.md: 0 ok, 1 verify found problems, 2 usage, 3 passphrase/key,
// 4 input rejected, 5 not found, 70 internal).
#include "cli.h"

namespace kaappi::cli {

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
    case ErrorKind::corrupt:
      return 1;  // an integrity problem: the same meaning as verify's findings
    case ErrorKind::io:
    case ErrorKind::internal:
      return 70;
  }
  return 70;
}

}  // namespace kaappi::cli
