// timing_report.h — for benchmarks: how long a command took after the key
// was unlocked (the Argon2id derivation is deliberately slow and reported
// apart). Active only when KAAPPI_REPORT_TIMING is set; the caller shows it.
#pragma once

#include <optional>
#include <string>

namespace kaappi::timing_report {

void mark_unlocked();  // called when the key has been derived
// "time after unlock N ms (start to unlocked M ms)", when active and unlocked.
std::optional<std::string> summary();

}  // namespace kaappi::timing_report
