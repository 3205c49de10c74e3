// station_origin_check.cpp — see station_origin_check.h.
#include "verify/station_origin_check.h"

#include "base/bytes.h"

namespace kaappi {

StationOrigins::StationOrigins(const Index& index)
    : m_stations(index.stations()), m_revocations(index.station_revocations()) {}

std::optional<std::string> StationOrigins::problem(const DocumentRow& document, const DocumentMeta& meta) const {
  if (meta.station_key.empty()) return std::nullopt;  // imported directly
  const StationRow* station = nullptr;
  for (const StationRow& s : m_stations)
    if (to_hex(s.sign_pk) == meta.station_key) station = &s;
  if (!station) return "it was taken in from a station key that no registered station has";
  const std::string which = "station " + std::to_string(station->id);
  if (station->seq > document.seq) return "it was taken in from " + which + " before that station was registered";
  for (const StationRevocationRow& r : m_revocations)
    if (r.station_id == station->id && r.seq < document.seq)
      return "it was taken in from " + which + " after that station was revoked";
  return std::nullopt;
}

}  // namespace kaappi
