// bomb_guard.h — refuses decompression bombs before Poppler sees them.
//
// Inflates every Flate-looking stream in the raw file (without trusting its
// /Length) and counts the output, so a bomb is refused before Poppler ever
// expands it. A stream begins, as Poppler reads it, after the line its
// "stream" keyword ends (whatever else that line holds); a "stream" whose
// next line is no Flate data is searched on from there; Flate data inside a
// stream's output (/FlateDecode twice or more) is inflated too, four levels
// deep. Limits: one stream (at any level) 256 MiB; all streams together the
// larger of 2 GiB and 100 times the file size. Other filters (RunLength,
// LZW) are not expanded here: the helper's memory and CPU limits bound them.
#pragma once

#include <string>

namespace kaappi::pdf_helper {

// True when every stream of the file open at `fd` stays within the limits;
// otherwise false, with `why` saying which limit it broke. Leaves the file
// offset at 0.
bool inflates_within_limits(int fd, std::string& why);

}  // namespace kaappi::pdf_helper
