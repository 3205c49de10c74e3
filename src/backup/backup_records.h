// backup_records.h — the last backup this machine made or checked at each
// destination (the archive, its head, the generation, when), kept with the
// machine's other records (store/machine_records.h), one file per
// destination named by a hash of its identity. verify-backup refuses a
// destination whose newest generation is older than this record: a backup
// cannot be rolled back unnoticed. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"

namespace kaappi {

struct BackupRecord {
  Bytes archive_id;
  std::int64_t head_tx = 0;
  Bytes head_digest;
  std::string generation;
  std::int64_t at = 0;
};

// This machine's record for the destination `identity`, if any. Throws StateUnusable.
std::optional<BackupRecord> last_backup(const std::string& identity);
// Records `record` for `identity` unless the one there names a later head
// of the same archive. Throws StateUnusable.
void record_backup(const std::string& identity, const BackupRecord& record);

}  // namespace kaappi
