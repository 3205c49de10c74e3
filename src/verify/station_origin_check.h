// station_origin_check.h — verify --full's check that a document taken in
// from a station came from a station the archive had then: its sealed
// metadata names the station's public key (documents/document_record.h),
// which must be a registered station's, added before the document and not
// revoked before it (by sequence number, the order in which the rows were
// signed). So a station row or revocation altered outside kaappi for one
// ingest, and put back, still leaves its mark on what was taken in.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "documents/document_record.h"
#include "store/index.h"

namespace kaappi {

class StationOrigins {
 public:
  explicit StationOrigins(const Index& index);
  StationOrigins(std::vector<StationRow> stations, std::vector<StationRevocationRow> revocations)
      : m_stations(std::move(stations)), m_revocations(std::move(revocations)) {}
  // The problem's detail, if the document's station does not account for it.
  std::optional<std::string> problem(const DocumentRow& document, const DocumentMeta& meta) const;

 private:
  std::vector<StationRow> m_stations;
  std::vector<StationRevocationRow> m_revocations;
};

}  // namespace kaappi
