// backup_restore.h — kaappi restore: a generation of a backup made into an
// archive folder again (docs/FORMAT.md, "Backups").
//
// The backup is checked first as verify-backup checks it (without reading
// the blobs, which are read below); each blob is then copied and checked
// against its signed hash, and the index copied, all into a folder of its
// own beside the target (".NAME.restoring", removed when a restore cut short
// left one), synced, and only then renamed to the target: a target folder
// either does not exist (or is empty) or holds the whole restored archive.
// The restored archive is then verified as kaappi verify does. What this
// machine's history says of it (rolled back: it saw later changes) decides
// what the caller records: Session::accept_restore's signed restore row
// naming the head given up, or, with nothing given up, the folder taken.
#pragma once

#include <string>

#include "backup/backup_destination.h"
#include "verify/verifier.h"

namespace kaappi {

struct RestoreOptions {
  std::string generation;  // empty: the newest whole one
  bool quiet = false;
};

struct RestoreResult {
  std::string generation;
  std::int64_t head_tx = 0;
  std::int64_t blobs = 0;
  std::uint64_t bytes = 0;
  VerifyReport report;  // verify of the restored archive (rolled back or forked: the restore row's to record)
};

// Throws ErrorKind::rejected (the target is not an empty folder), ErrorKind::corrupt
// (the backup does not check out: nothing was restored), ErrorKind::not_found.
RestoreResult restore_backup(BackupDestination& dest, const ArchivePublicKey& key, const std::string& target,
                             const RestoreOptions& options, Observer& observer);

}  // namespace kaappi
