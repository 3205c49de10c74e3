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
// The date `months` calendar months after `date` (a valid YYYY-MM-DD): the
// same day of the month, or that month's last day when it has no such day
// (2026-01-31 + 1 month = 2026-02-28), as time limits in months run.
std::string add_months(std::string_view date, int months);
// Days from `from` to `to` (both valid YYYY-MM-DD): negative when `to` is earlier.
std::int64_t days_between(std::string_view from, std::string_view to);
// Today in local time as YYYY-MM-DD.
std::string today();
// The local date of a time (seconds since the epoch) as YYYY-MM-DD.
std::string date_of(std::int64_t seconds);
// Seconds since the epoch as local "YYYY-MM-DD HH:MM".
std::string format_time(std::int64_t seconds);

}  // namespace kaappi
