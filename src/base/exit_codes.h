// exit_codes.h — the one place where errors become exit codes, shared by
// kaappi and kaappi-scan (PRODUCT.md: 0 ok, 1 verify found problems,
// 2 usage, 3 passphrase/key, 4 input rejected, 5 not found, 7 the archive needs kaappi upgrade,
// 70 internal).
#pragma once

#include "base/error.h"

namespace kaappi {

int exit_code_for(ErrorKind kind);

}  // namespace kaappi
