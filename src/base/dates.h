// dates.h — calendar dates (YYYY-MM-DD) and timestamps as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace kaappi {

// Validates YYYY-MM-DD (a real calendar date); throws ErrorKind::usage
// "WHAT must be a date like ...", `what` naming the input (often a Field).
std::string parse_date(std::string_view text, const Message& what);
// Today in local time as YYYY-MM-DD.
std::string today();
// The local date of a time (seconds since the epoch) as YYYY-MM-DD.
std::string date_of(std::int64_t seconds);
// Seconds since the epoch as local "YYYY-MM-DD HH:MM".
std::string format_time(std::int64_t seconds);

}  // namespace kaappi
