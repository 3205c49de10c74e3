// scan_file_name.h — the one rule for a scan's file name as a station seals
// it into its metadata and ingest reads it back (docs/FORMAT.md, "Envelope").
//
// kaappi-scan makes each name fit this rule before it seals (and
// seal_envelope refuses one that does not), and parse_station_metadata
// checks it: whatever a station seals, ingest accepts, so a scan whose
// plaintext the station has removed is never refused for its name.
//
// A name fits when it is 1 to 255 bytes of UTF-8 (no overlong forms, no
// surrogates), holds no '/' and no control character (U+0000-U+001F,
// U+007F-U+009F), and is not "." or "..". Letters of any script and
// bidirectional marks fit: front ends escape what they must not show raw
// (frontend/printable.h).
#pragma once

#include <string>
#include <string_view>

namespace kaappi {

inline constexpr size_t k_scan_file_name_max_size = 255;

// Why `name` does not fit, as a phrase after "the file name" ("holds a '/'
// or a control character"); empty when it fits.
std::string scan_file_name_problem(std::string_view name);

// `name` with each '/', control character and byte that is not part of
// UTF-8 replaced by '_': never longer than `name`, and fits the rule unless
// `name` is empty, longer than 255 bytes, "." or "..", which no file in a
// folder is.
std::string cleaned_scan_file_name(std::string_view name);

}  // namespace kaappi
