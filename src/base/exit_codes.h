// exit_codes.h — the exit codes of kaappi and kaappi-scan (PRODUCT.md), and
// the one place where an error kind becomes one. Front ends name these
// constants; no command writes a number.
#pragma once

#include "base/error.h"

namespace kaappi::exit_code {

inline constexpr int k_ok = 0;
inline constexpr int k_problems = 1;       // verify found problems (or an integrity failure)
inline constexpr int k_usage = 2;
inline constexpr int k_auth = 3;           // wrong passphrase or wrong key
inline constexpr int k_rejected = 4;       // input rejected; nothing was changed
inline constexpr int k_not_found = 5;
inline constexpr int k_partial = 6;        // done in part; the output says what was refused
inline constexpr int k_needs_upgrade = 7;  // the archive needs `kaappi upgrade`
inline constexpr int k_internal = 70;

}  // namespace kaappi::exit_code

namespace kaappi {

int exit_code_for(ErrorKind kind);

}  // namespace kaappi
