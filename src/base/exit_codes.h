// exit_codes.h — the exit codes of kaappi and kaappi-scan (PRODUCT.md), and
// the one place where an error kind becomes one, and where the outcomes of a
// command that takes many items one by one become one. Front ends name these
// constants; no command writes a number.
#pragma once

#include <vector>

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

// What became of one of the items a command takes one by one, each standing
// alone: import's files, ingest's envelopes, kaappi-scan's scans.
enum class ItemResult {
  done,         // stored, taken in or sealed; or already there (a duplicate)
  done_in_part, // done, but not all of it: a sealed scan that could not be removed or kept
  rejected,     // refused (ErrorKind::rejected): left as it was
  not_found,    // the file named is not there
  failed,       // an I/O or internal error; or not tried, because such an error stopped the run before it
  refused,      // the archive refused the write (ErrorKind::corrupt: altered, rolled back)
  not_started,  // the run was stopped by a signal before it
  waiting,      // not ready yet (an envelope still being written): left for a later run; counts neither way
};

// The one rule for such a command's exit code: 0 when every item was done
// (or there was none); 128 + stop_signal (130 for SIGINT, 143 for SIGTERM,
// as a shell reports a process a signal ended) when the run was stopped
// before some; k_partial when some were done and some not (or done only in
// part); when none was,
// why not — the worst reason: refused by the archive (1) over failed over
// not found (5) over rejected (4); failed is the code of `failure`, the kind
// of error the items failed by (70 for an I/O or internal error). Items
// waiting are left out of the rule: a run where the rest was done exits 0.
int exit_code_for_items(const std::vector<ItemResult>& items, int stop_signal, ErrorKind failure = ErrorKind::io);

}  // namespace kaappi
