// backup_writer.h — kaappi backup: one new generation of the archive at a
// destination (docs/FORMAT.md, "Backups"), without the passphrase.
//
// Under the archive's shared lock (no writer changes it meanwhile): the
// archive must continue the head this machine remembers (a rolled-back or
// forked archive is not backed up over a sound backup); the index is copied
// with VACUUM INTO into a private temp folder and that copy checked as
// keyless verify checks an index; each blob the destination does not have
// yet (or has with another size: an rclone copy cut short) is read, checked
// against its signed hash, and copied; the destination is synced; then the
// index copy, synced; and last the generation's manifest. Only then is the
// generation whole (a backup killed before leaves no manifest, and no
// reader takes it), and recorded as this machine's last backup there.
// Afterwards generations beyond the newest `generations` are removed
// (manifest first), with what a killed backup left, and the blobs that no
// kept generation lists (an erased document's leave the backup so).
#pragma once

#include <string>
#include <vector>

#include "backup/backup_destination.h"
#include "store/archive.h"

namespace kaappi {

struct BackupOptions {
  int generations = 7;  // whole generations kept, the new one among them
  bool quiet = false;
};

struct BackupResult {
  std::string generation;
  std::int64_t head_tx = 0;
  std::int64_t blobs = 0;          // the generation's
  std::int64_t blobs_copied = 0;   // new at the destination
  std::uint64_t bytes_copied = 0;  // theirs and the index's
  std::int64_t index_size = 0;
  std::vector<std::string> removed_generations;
  std::int64_t blobs_removed = 0;  // no kept generation lists them
  std::vector<std::string> notes;  // what the user should know (a prune skipped, leftovers removed)
};

// Refuses (ErrorKind::rejected) a folder destination inside the archive
// folder, or holding it: call it before the destination is made.
void check_destination_apart(const std::string& destination, const std::string& archive_root);

// Refuses (ErrorKind::rejected) a destination where this machine made a
// backup of archive `archive_id` and which now holds none (a disk not
// mounted, whose empty mount point would take the backup): call it before
// the destination is made, unless the user asked to start over there.
void check_destination_expected(const std::string& destination, const Bytes& archive_id);

// `key`: the archive's public key as the caller trusts it (the key file's
// public part, or --public-key). Throws: ErrorKind::rejected (the
// destination holds something else, or another archive's backup; the
// archive does not continue this machine's history), ErrorKind::corrupt
// (the archive's index or a blob fails its check: nothing recorded as
// backed up), ErrorKind::io.
BackupResult make_backup(Archive& archive, const ArchivePublicKey& key, BackupDestination& dest,
                         const BackupOptions& options);

}  // namespace kaappi
