// backup_manifest.h — a backup destination's layout and a generation's
// manifest (docs/FORMAT.md, "Backups").
//
//   KAAPPI-BACKUP                       what the folder is: its format and the archive it backs up
//   generations/NAME/index.sqlite       a consistent copy of the index (VACUUM INTO)
//   generations/NAME/manifest.json      written last: the generation is whole once it is there
//   blobs/XX/<uid>.blob                 the blobs, shared by the generations (they never change)
//   tmp/                                a folder destination's temp files (its writer holds an flock on the folder)
//
// NAME is the time the backup was made, UTC ("2026-11-28T201730Z", "-02" added
// when two were made in one second), so names sort by age. The manifest
// names the archive, the head its index holds, the index file's size and
// SHA-256, and every blob with its size and signed file hash: nothing a
// reader trusts without checking it against the signed index.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace kaappi {

inline constexpr const char* k_backup_marker = "KAAPPI-BACKUP";
inline constexpr int k_backup_format = 1;

std::string generation_folder(const std::string& generation);         // generations/NAME
std::string generation_index_path(const std::string& generation);     // generations/NAME/index.sqlite
std::string generation_manifest_path(const std::string& generation);  // generations/NAME/manifest.json
// "2026-11-28T201730Z" for `at` (Unix seconds).
std::string generation_name(std::int64_t at);
// Whether `name` could be a generation's name (nothing else is read as one).
bool is_generation_name(const std::string& name);

// "blobs/XX/<uid>.blob": where a blob is, in a backup as in the archive.
std::string backup_blob_path(const Bytes& uid);

struct BackupBlob {
  std::string path;  // blobs/XX/<uid>.blob
  std::int64_t size = 0;
  Bytes hash;        // the document's signed file hash (format 2)
};

struct BackupManifest {
  std::string generation;
  Bytes archive_id;
  std::int64_t made = 0;  // Unix seconds
  std::int64_t head_tx = 0;
  Bytes head_digest;
  std::int64_t index_size = 0;
  Bytes index_sha256;
  std::vector<BackupBlob> blobs;  // sorted by path
};

std::string manifest_json(const BackupManifest& manifest);
// Throws ErrorKind::corrupt naming `where` for anything but a manifest as
// manifest_json writes it.
BackupManifest parse_manifest(ByteView text, const std::string& where);

std::string marker_json(const Bytes& archive_id);
// The archive id a KAAPPI-BACKUP file names. Throws ErrorKind::corrupt.
Bytes parse_marker(ByteView text, const std::string& where);

// The whole generations (a manifest in place) among the files `listing`
// (paths relative to the destination), oldest first.
std::vector<std::string> whole_generations(const std::map<std::string, std::int64_t>& listing);
// Generations with files but no manifest: what a backup cut short left.
std::vector<std::string> partial_generations(const std::map<std::string, std::int64_t>& listing);

}  // namespace kaappi
