// backup_destination.h — where a backup is kept (docs/FORMAT.md, "Backups"):
// a folder (a USB disk, a mounted share) or an rclone remote
// ("rclone:REMOTE:PATH", through Debian's rclone). The backup code sees both
// alike: files named by paths relative to the destination, each put whole
// under its final name or not at all, never an existing one replaced except
// where asked (the generation's manifest is the one file that says a
// generation is whole, and it is put last).
//
// A folder is used through held folders (base/file_io.h Dir): a link planted
// in it is never followed. Files are written as temp files in its tmp/,
// fsynced, renamed, and their folders fsynced (sync() waits for them).
// An rclone remote is driven by running rclone (no shell), copying files
// that never change with --immutable and the manifest last. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace kaappi {

class BackupDestination {
 public:
  virtual ~BackupDestination() = default;

  // As the user named it, for messages ("/media/usb/kaappi", "rclone:office:kaappi").
  virtual const std::string& name() const = 0;
  // The same destination however it is written (a folder's real path): what
  // this machine's record of its last backup there is kept under.
  virtual std::string identity() const = 0;
  // Whether anything is there yet (a missing folder or remote path is empty).
  virtual bool empty() = 0;
  // The files under the folder `folder` (relative, "" for all), with their
  // sizes, by path relative to the destination. A missing folder: none.
  virtual std::map<std::string, std::int64_t> list(const std::string& folder) = 0;
  // The names of the folders directly in `folder` (none when it is missing).
  virtual std::vector<std::string> subfolders(const std::string& folder) = 0;
  // The file `path` if it is there, at most max_size bytes (ErrorKind::corrupt
  // beyond); nothing when it is missing.
  virtual std::optional<Bytes> read(const std::string& path, std::size_t max_size) = 0;
  // The file `path` copied to the local file `local` (made 0600, not there yet).
  virtual void fetch(const std::string& path, const std::string& local) = 0;
  // The files `paths` copied to `local_root`/P each (their folders made); rclone in one run.
  virtual void fetch_files(const std::vector<std::string>& paths, const std::string& local_root) = 0;
  // The local files `local_root`/P for each P of `paths` copied to P here,
  // whole or not at all under their names (never replacing one), `progress`
  // told the bytes done. A folder copies them one by one; rclone in one run.
  virtual void put_files(const std::string& local_root, const std::vector<std::string>& paths,
                         const std::function<void(std::uint64_t)>& progress) = 0;
  // Small content written at `path`: whole or not at all; Overwrite-like.
  virtual void put_bytes(const std::string& path, ByteView data, bool replace) = 0;
  // Removes `path` (nothing when it is not there).
  virtual void remove(const std::string& path) = 0;
  // Makes what was put durable (fsync of the folders written): before a
  // manifest names it.
  virtual void sync() = 0;
  // Keeps a second backup to this destination out while this one runs
  // (ErrorKind::rejected when one is running): a folder's flock, or for a
  // remote an flock on this machine (backups from two machines to one
  // remote are not kept apart).
  virtual void lock_for_writing() = 0;
  // The local folder holding the destination's files, when it is one (its
  // blobs are read in place); nothing for a remote.
  virtual std::optional<std::string> local_folder() const = 0;
};

// The files `paths` of `dest` where they can be read as local files: a
// folder's own, or copies fetched into a temp folder (`temp`) that lives as
// long as this does.
struct LocalCopies {
  std::unique_ptr<class TempFolder> temp;
  std::string root;  // `root`/P for each P
  LocalCopies();
  ~LocalCopies();
  LocalCopies(LocalCopies&&) noexcept;
  LocalCopies& operator=(LocalCopies&&) noexcept;
};
LocalCopies local_copies(BackupDestination& dest, const std::vector<std::string>& paths);

// The destination `text` names: "rclone:REMOTE:PATH" or a folder path. For
// a folder, `create` makes it (0700) when missing; its parent must exist.
std::unique_ptr<BackupDestination> open_backup_destination(const std::string& text, bool create);

}  // namespace kaappi
