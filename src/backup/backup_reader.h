// backup_reader.h — one generation of a backup opened for reading
// (verify-backup, restore, verify --against-backup): the destination's
// marker, its whole generations, the chosen one's manifest, and its index
// copied into a private temp folder (checked against the manifest's size
// and SHA-256 as it is copied) and opened there as an archive whose blobs
// are elsewhere. Nothing at the destination is changed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backup/backup_destination.h"
#include "backup/backup_manifest.h"
#include "base/temp_folder.h"
#include "store/archive.h"

namespace kaappi {

struct OpenedBackup {
  Bytes archive_id;                      // as KAAPPI-BACKUP names it
  std::vector<std::string> generations;  // the whole ones, by name (oldest first)
  std::string newest;                    // the whole one whose manifest names the latest change
  std::vector<std::string> damage;       // what does not hold besides (generations out of order, odd files)
  BackupManifest manifest;               // the chosen generation's
  std::unique_ptr<TempFolder> view;      // index.sqlite and lock
  std::unique_ptr<Archive> archive;      // the generation's index, opened in `view`

  void close() { archive.reset(); }
};

// The KAAPPI-BACKUP of `dest`: the archive it backs up, or nothing when
// the destination is not a kaappi backup yet. Throws ErrorKind::corrupt
// when it is there but unreadable.
std::optional<Bytes> backup_archive_id(BackupDestination& dest);

// Opens generation `generation` of `dest` (empty: the newest whole one: the
// one whose manifest names the latest change, its index then checked).
// Throws ErrorKind::not_found (not a backup, no whole generation, no such
// generation) or ErrorKind::corrupt (a manifest or index that does not
// hold), naming what.
OpenedBackup open_backup(BackupDestination& dest, const std::string& generation, Observer& observer);

// Whether a signed restore row in `index` gives the head (tx, digest) up:
// names it, or a later change.
bool restore_gives_up(Index& index, std::int64_t tx, const Bytes& digest);

}  // namespace kaappi
