// bomb_guard.h — refuses decompression bombs before Poppler sees them.
//
// Inflates every Flate-looking stream in the raw file (without trusting its
// /Length) and counts the output, so a bomb is refused before Poppler ever
// expands it. Limits: one stream 256 MiB; all streams together the larger of
// 2 GiB and 100 times the file size.
#pragma once

#include <string>

namespace kaappi::pdf_helper {

// True when every stream of the file open at `fd` stays within the limits;
// otherwise false, with `why` saying which limit it broke. Leaves the file
// offset at 0.
bool inflates_within_limits(int fd, std::string& why);

}  // namespace kaappi::pdf_helper
