// peak_memory.h — peak resident memory of this process, for benchmarks.
//
// Active only when KAAPPI_REPORT_PEAK_RSS is set: the key derivation
// (Argon2id needs 64 MiB to 1 GiB by design) is reported apart from the rest
// of the command, whose peak is measured after resetting the high-water mark.
#pragma once

#include <optional>
#include <string>

namespace kaappi::peak_memory {

bool reporting();
// When reporting: "peak RSS <what> N KiB" (the caller shows it), and the
// peak is reset. Otherwise nothing.
std::optional<std::string> take_report(const std::string& what);

}  // namespace kaappi::peak_memory
