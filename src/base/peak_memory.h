// peak_memory.h — peak resident memory of this process, for benchmarks.
//
// Active only when KAAPPI_REPORT_PEAK_RSS is set: the key derivation
// (Argon2id needs 64 MiB to 1 GiB by design) is reported apart from the rest
// of the command, whose peak is measured after resetting the high-water mark.
#pragma once

#include <string>

namespace kaappi::peak_memory {

bool reporting();
// Prints "kaappi: peak RSS <what> N KiB" on stderr and resets the peak.
void report_and_reset(const std::string& what);

}  // namespace kaappi::peak_memory
