// erasure_reapply.h — a restore does not bring back what was erased
// (docs/FORMAT.md, "Backups" and "Erasure"). Every backup carries the
// archive's erasure log (its signed erasures rows). Restoring a generation
// older than the newest whole one at the destination reads the newest's log
// (that generation checked first, as verify-backup checks it, its blobs only
// for presence) and erases again, in the restored copy, each value an
// erasure there names that the restored generation does not hold (by the
// erasure's uid): only where the copy's value still hashes to the hash the
// erasure lists (any other is reported and kept), one new signed erasures
// row per erasure re-applied, its sealed reason saying which erasure of which
// date from which generation it re-applies, with the original's subject;
// then the WAL emptied and the erased documents' blob files removed. Every
// restriction there (a customer's values or a document kept under a hold
// when their erasure was asked, rights/erasure.h) that the restored
// generation does not hold is recorded again in the same signed change: a
// new restrictions row with the original's customer, document, end and
// date, only for a customer or document the copy holds as the newest does
// (the same row uid); so the copy ends in the newest generation's erasure
// state, restrictions included (an erasure that erased nothing because a
// hold kept everything is only a restriction). This needs the archive's
// secret key; backup_restore.cpp refuses before anything is written when it
// cannot be done.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backup/backup_destination.h"
#include "backup/backup_reader.h"
#include "store/erasure.h"
#include "store/index_rows.h"
#include "verify/verifier.h"

namespace kaappi {

class Session;

// Where a planned erasure or restriction was read: a backup generation, or
// this machine's own archive (the one the restore replaces, when it is
// still there and continues what this machine saw).
struct ReapplySource {
  std::string generation;  // its name (empty: read from `archive`)
  std::string archive;     // the archive's folder (empty: read from `generation`)
};

struct PlannedErasure {
  ErasureRow row;
  ReapplySource from;
};

struct PlannedRestriction {
  RestrictionRow row;    // as the newest generation holds it
  Bytes customer_uid;    // the uid of its customer's row there (empty: none)
  Bytes document_uid;    // the uid of its document's row there (empty: none)
  ReapplySource from;
};

struct ReapplyPlan {
  std::string newest;               // the generation whose erasure log was read (empty: none newer)
  std::string local_archive;        // this machine's archive, when it added erasures or restrictions
  std::vector<PlannedErasure> erasures; // there, not in the restored generation, in id order
  std::vector<PlannedRestriction> restrictions;  // likewise
  bool empty() const { return erasures.empty() && restrictions.empty(); }
};

// The erasures and restrictions of the newest whole generation at `dest`
// that `restored` (the generation being restored, opened) does not hold, and
// then those of the archive at `local_archive` (this machine's, the one the
// restore stands in for: "" none) that neither holds — when it opens, is the
// same archive and continues the history this machine saw (a copy of a
// backup whose newer generations were removed, restored from another path,
// does not bring back what this machine's archive erased).
// Throws ErrorKind::corrupt when the newest generation does not check out
// (its index, signatures, chain or manifest; blobs missing from it, or
// damage beside it in other generations, do not matter here), and when the
// destination is rolled back against what this machine recorded of it
// (refuse_rolled_back_restore).
ReapplyPlan plan_erasure_reapply(BackupDestination& dest, const ArchivePublicKey& key, OpenedBackup& restored,
                                 const std::string& local_archive, Observer& observer);

struct ReappliedErasure {
  Bytes original_uid;
  std::int64_t original_at = 0;
  ReapplySource from;                 // where it was read
  std::int64_t row_id = 0;            // the new erasures row (0: nothing left to erase in the copy)
  std::int64_t values = 0;            // set NULL by it
  std::int64_t not_in_copy = 0;       // rows the restored generation does not have
  std::int64_t already_erased = 0;
  std::vector<std::string> differing; // values the copy holds other than the erased one: kept, named
  std::vector<std::int64_t> documents;  // erased documents whose blob files were removed
};

struct ReappliedRestriction {
  std::int64_t original_at = 0;       // the restriction's date (the new row keeps it)
  ReapplySource from;                 // where it was read
  std::int64_t customer_id = 0;       // 0: an unassigned document
  std::string customer_number;        // empty: erased, or none
  std::int64_t document_id = 0;       // 0: the customer's own values
  std::string until;
  std::int64_t row_id = 0;            // the new restrictions row (0: not recorded, `skipped` says why)
  std::string skipped;
};

struct Reapplied {
  std::vector<ReappliedErasure> erasures;
  std::vector<ReappliedRestriction> restrictions;
};

// Carries `plan` out in `session` (the restored copy, opened for writing):
// one signed transaction, then the WAL emptied, then the blob files removed.
Reapplied reapply_erasures(Session& session, const ReapplyPlan& plan);

// The refusal of a restore from `dest` when this machine recorded a newer
// generation there than the destination holds (the problem "backup rolled
// back" of check_backup, the rule verify-backup applies): what that
// generation erased could not be erased again. Throws ErrorKind::corrupt.
[[noreturn]] void refuse_rolled_back_restore(BackupDestination& dest, const Problem& rolled_back);

}  // namespace kaappi
