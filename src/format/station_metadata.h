// station_metadata.h — the metadata a scanning station seals into each
// envelope (docs/FORMAT.md, "Envelope"), read as hostile input.
//
// A registered station, or anyone holding a copy of its key, chooses every
// byte of it. parse_station_metadata() is the one reader: bounded in size
// and nesting depth before any JSON parser sees it, every field of a fixed
// type and range, no field missing and none unknown. It only describes what
// the station claims; the key holder's side decides pages, text and customer
// from the decrypted scan itself (intake/ingest).
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace kaappi {

inline constexpr size_t k_station_metadata_max_size = 1u << 20;
inline constexpr int k_station_metadata_max_depth = 16;
inline constexpr std::int64_t k_station_metadata_max_pages = 1000000;

struct StationMetadata {
  std::string file_name;     // fits the rule of scan_file_name.h
  std::int64_t pages = 0;    // as the station counted them: 1 to k_station_metadata_max_pages
  std::int64_t scanned_at = 0;  // Unix seconds, 0 to the end of year 9999
  std::uint64_t plain_size = 0;  // 1 to 2^50
  std::string station;       // a station name (station_key.h)
  std::string content_hash;  // 64 lowercase hex digits
};

// Throws ErrorKind::rejected with one sentence saying what is wrong (without
// naming the envelope); never anything else, whatever the bytes.
StationMetadata parse_station_metadata(ByteView text);
// The size rule alone (metadata of `size` bytes, before it is even read):
// throws ErrorKind::rejected "its metadata is larger than the limit ...".
void check_station_metadata_size(std::uint64_t size);

}  // namespace kaappi
