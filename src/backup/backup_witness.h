// backup_witness.h — a backup as a witness of the archive's history (kaappi
// verify --against-backup DEST): the newest generation's signed head, checked
// with the archive's public key, must be in the archive's chain. An archive
// whose head is older than the backup's was rolled back, unless a signed
// restore row in it gives the backup's head (or a later one) up; one whose
// chain holds another digest at that change forked. This works on a machine
// that never saw the archive before.
#pragma once

#include "backup/backup_destination.h"
#include "store/archive.h"
#include "verify/verifier.h"

namespace kaappi {

// Adds what it finds to `report` (problems "archive rolled back", "archive
// forked", "backup unusable as a witness"; a note when the archive continues it).
void check_against_backup(Archive& archive, const ArchivePublicKey& key, BackupDestination& dest,
                          VerifyReport& report);

}  // namespace kaappi
