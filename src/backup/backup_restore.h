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
//
// A generation older than the newest whole one at the destination must not
// bring back what was erased since: what the newest one erased that it does
// not hold is erased again, and what it restricted restricted again, in the
// staged copy, before it is renamed to the target (backup/erasure_reapply.h).
// A destination older than what this machine recorded there (verify-backup's
// "backup rolled back") is refused before anything is written: what the
// generations gone erased could not be erased again. That needs the secret key, and a copy
// this machine may write to: when either is missing (or the newest
// generation does not check out) the restore is refused before anything is
// written. A copy this machine saw later changes of is then written to only
// after the signed restore row giving them up (Session::accept_restore),
// also in the staged copy.
#pragma once

#include <string>

#include "backup/backup_destination.h"
#include "backup/erasure_reapply.h"
#include "store/session.h"
#include "verify/verifier.h"

namespace kaappi {

struct RestoreOptions {
  std::string generation;  // empty: the newest whole one
  bool quiet = false;
  // The archive's secret key, to erase again what a newer generation erased
  // (null: the public key only; such a restore is then refused).
  const UnlockOptions* unlock = nullptr;
  // Why this machine's later changes are given up, when erasures must be
  // re-applied to a copy it saw later changes of (empty: not given; refused).
  std::string accept_reason;
  // This machine's archive (the one the restore stands in for; "" none):
  // what it erased is erased again too (erasure_reapply.h).
  std::string local_archive;
};

struct RestoreResult {
  std::string generation;
  std::int64_t head_tx = 0;
  std::int64_t blobs = 0;
  std::uint64_t bytes = 0;
  std::string erasure_log;  // the newer generation whose erasures were re-applied (empty: none)
  std::vector<ReappliedErasure> reapplied;
  std::vector<ReappliedRestriction> reapplied_restrictions;
  std::optional<Session::AcceptedRestore> accepted;  // recorded before the erasures were re-applied
  VerifyReport report;  // verify of the restored archive (rolled back or forked: the restore row's to record)
};

// Throws ErrorKind::rejected (the target is not an empty folder; erasures to
// re-apply without the key, or to a copy this machine saw later changes of
// with no reason to give them up), ErrorKind::corrupt
// (the backup does not check out, or was rolled back against this machine's
// record of it: nothing was restored), ErrorKind::not_found.
RestoreResult restore_backup(BackupDestination& dest, const ArchivePublicKey& key, const std::string& target,
                             const RestoreOptions& options, Observer& observer);

}  // namespace kaappi
