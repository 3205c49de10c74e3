// timing_report.h — for benchmarks: how long a command took after the key
// was unlocked (the Argon2id derivation is deliberately slow and reported
// apart). Active only when KAAPPI_REPORT_TIMING is set; prints on stderr.
#pragma once

namespace kaappi::timing_report {

void mark_unlocked();    // called when the key has been derived
void report_at_exit();   // "kaappi: time after unlock N ms (unlock M ms)"

}  // namespace kaappi::timing_report
