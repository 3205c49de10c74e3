// backup_witness.cpp — see backup_witness.h.
#include "backup/backup_witness.h"

#include <limits>

#include "backup/backup_reader.h"
#include "base/error.h"

namespace kaappi {
namespace {

std::string change(std::int64_t tx, const Bytes& digest) {
  return "change " + std::to_string(tx) + " (digest " + to_hex(digest).substr(0, 8) + "…)";
}

}  // namespace

void check_against_backup(Archive& archive, const ArchivePublicKey& key, BackupDestination& dest,
                          VerifyReport& report) {
  OpenedBackup b;
  try {
    b = open_backup(dest, "", archive.observer());
  } catch (const Error& e) {
    report.problems.push_back({std::nullopt, "backup unusable as a witness", e.what()});
    return;
  }
  const std::string of = "backup " + dest.name() + " (generation " + b.manifest.generation + ")";
  if (b.archive_id != key.archive_id) {
    report.problems.push_back({std::nullopt, "backup unusable as a witness",
                               of + " is of archive " + to_hex(b.archive_id) + ", not of this one"});
    return;
  }
  TransactionRow witness;
  try {
    witness = b.archive->index().head();
  } catch (const Error& e) {
    report.problems.push_back({std::nullopt, "backup unusable as a witness", of + ": " + e.what()});
    return;
  }
  if (!b.archive->index().head_is_sound(witness, key.sign_pk)) {
    report.problems.push_back({std::nullopt, "backup unusable as a witness",
                               of + ": its head does not match its signature under the archive's key"});
    return;
  }
  Index& index = archive.index();
  TransactionRow head = index.head();
  if (head.tx >= witness.tx) {
    std::optional<TransactionRow> t = index.transaction(witness.tx);
    if ((!t || t->digest != witness.digest) && restore_gives_up(index, witness.tx, witness.digest)) {
      report.notes.push_back(of + " holds " + change(witness.tx, witness.digest) +
                             ", another history than the archive's; a signed restore row in the archive gave it up");
      return;
    }
    if (!t || t->digest != witness.digest) {
      report.problems.push_back({std::nullopt, "archive forked",
                                 of + " holds " + change(witness.tx, witness.digest) +
                                     ", which the archive's chain does not: one of them is another history"});
      return;
    }
    report.notes.push_back("the archive continues " + of + ", which holds " + change(witness.tx, witness.digest));
    return;
  }
  // Older than the backup: explained only by a signed restore row giving it up.
  const bool given_up = restore_gives_up(index, witness.tx, witness.digest);
  if (given_up) {
    report.notes.push_back(of + " holds " + change(witness.tx, witness.digest) +
                           ", later than the archive's head; a signed restore row in the archive gave it up");
    return;
  }
  report.problems.push_back({std::nullopt, "archive rolled back",
                             of + " holds " + change(witness.tx, witness.digest) + ", the archive's head is only " +
                                 change(head.tx, head.digest) + ": changes the backup has are missing"});
}

}  // namespace kaappi
