// duration.h — a length of time as a person writes it: "90s", "10m", "2h",
// "1h30m" (whole seconds, minutes, hours; a bare number is minutes), and
// back ("1 h 30 min").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kaappi {

// Seconds; nothing when `text` is not such a duration (or is over 100 days).
std::optional<std::int64_t> parse_duration(std::string_view text);
std::string describe_duration(std::int64_t seconds);

}  // namespace kaappi
