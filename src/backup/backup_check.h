// backup_check.h — kaappi verify-backup: checking one generation of a
// backup with the public key only (docs/FORMAT.md, "Backups"):
//   - its index, as keyless verify checks an archive's (schema, every row in
//     exactly one signed transaction, the digest chain and its signatures);
//   - the manifest against that index: the head, and every blob the index's
//     documents need, with the size and hash their signed rows record;
//   - every blob is at the destination with its size, and the blobs of a
//     sample (or all) are read: header and signed file hash;
//   - its head is part of the history this machine knows: it continues the
//     head this machine remembers of the archive, or (older than that) it is
//     in the chain of the archive folder given, and it is not older than
//     the last backup this machine recorded for this destination (nor a fork
//     of it): a backup cannot be rolled back unnoticed.
// A sound check is recorded as this machine's last backup there.
#pragma once

#include <string>

#include "backup/backup_destination.h"
#include "backup/backup_reader.h"
#include "verify/verifier.h"

namespace kaappi {

struct BackupCheckOptions {
  std::string generation;   // empty: the newest whole one
  int sample_percent = 100; // of the blobs read and hashed (all are checked for presence and size)
  std::string archive_root; // the archive folder to compare an older backup's head with ("" or missing: none)
  bool quiet = false;
};

struct BackupCheck {
  VerifyReport report;
  std::string generation;
  int generations = 0;     // whole generations at the destination
  std::int64_t head_tx = 0;
  std::int64_t blobs = 0;  // in the manifest
  std::int64_t blobs_read = 0;
};

BackupCheck check_backup(BackupDestination& dest, const ArchivePublicKey& key, const BackupCheckOptions& options,
                         Observer& observer);

// What the backup's head is to the history this machine knows of the
// archive (the rule verify-backup and restore share): problems ("backup
// forked", "backup rolled back") and notes added to `report`.
void check_backup_history(BackupDestination& dest, OpenedBackup& backup, const ArchivePublicKey& key,
                          const std::string& archive_root, VerifyReport& report);

}  // namespace kaappi
