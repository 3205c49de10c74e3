// archive.h — an archive folder: its layout, its lock, crash recovery, and
// opening it with a key.
//
// Layout (docs/FORMAT.md "Archive folder"): index.sqlite (+ WAL), blobs/XX/
// <uid>.blob, tmp/ for blobs being written, lock. Writers hold an exclusive
// flock on `lock` for the whole operation, readers a shared one, so verify
// never sees an import half-done. A writer, once it has checked that the
// archive continues the history this machine saw (head_history.h), rolls
// back every write intent an interrupted import left (its temp file and blob
// removed, nothing else), which needs no key; readers leave them to it. What the user should know on
// the way (a wait for the lock, the example key) goes to the observer as a
// notice; what a rollback did, its caller says. Its folders are never used through a link planted
// where they belong: a writer refuses to start, and blobs are written through
// held folders (Dir). Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/file_io.h"
#include "base/observer.h"
#include "store/index.h"
#include "keys/key_file.h"
#include "keys/passphrase.h"
#include "format/public_key.h"

namespace kaappi {

// read: shows, writes nothing. write: changes the archive; every signed
// row it reads is checked against its transaction first (store/read_check.h).
// log: shows, and writes only that it did (rows of the reads and access
// logs: rights/personal_reads.h; consent proof's copies) — as write does (the
// exclusive lock, the remembered head), but what it reads decides no change,
// so its reads are not checked (a check hashes the whole row-hash list of each
// transaction a row came from: 32 MB for a million-row import); a write of
// any other row is refused (Index::Writer::only_log_rows).
enum class Access { read, write, log };

class Archive {
 public:
  // Creates the folder (0700) and a fresh index for `key`. Refuses an existing,
  // non-empty folder.
  static void create(const std::string& root, const UnlockedKey& key);

  Archive(std::string root, Access access, SchemaPolicy policy = SchemaPolicy::enforce,
          Observer& observer = silent_observer());
  ~Archive();

  const std::string& root() const { return m_root; }
  Index& index() { return *m_index; }
  const Bytes& archive_id() const { return m_archive_id; }
  // Where this archive's notices and the progress of long work on it go.
  Observer& observer() const { return m_observer; }
  std::string blob_path(const Bytes& uid) const;
  static std::string blob_path_in(const std::string& root, const Bytes& uid);  // blobs/XX/<uid>.blob in `root`
  std::string temp_blob_path(const Bytes& uid) const;
  // The folders a blob is written in, held open and never through a link
  // planted where they belong (see Dir), and its names there.
  Dir blob_folder(const Bytes& uid) const;  // blobs/XX
  Dir temp_folder() const;                  // tmp/
  static std::string blob_name(const Bytes& uid);
  static std::string temp_blob_name(const Bytes& uid);
  std::string index_path() const { return m_root + "/index.sqlite"; }
  std::string blobs_dir() const { return m_root + "/blobs"; }
  std::string tmp_dir() const { return m_root + "/tmp"; }
  // Rolls back the imports an interrupted write left (its pending rows):
  // their temp files, and their blobs only with PendingBlobs::remove. Call it
  // holding the exclusive lock (Access::write), and with `remove` only after
  // checking that the archive continues the history this machine saw: in a
  // rolled-back or restored index a pending row may name the blob of a
  // document a lost branch committed, which must be kept (verify lists it).
  // Says what it did; the caller tells the user (describe_recovery).
  enum class PendingBlobs { remove, keep };
  struct Recovery {
    PendingBlobs blobs = PendingBlobs::remove;  // what was done with their blobs
    int rolled_back = 0;  // interrupted imports whose pending rows were dropped
    int kept_blobs = 0;   // PendingBlobs::keep: blobs they name, left in place
    int of_stored = 0;    // intents naming a stored document (its blob is never removed)
  };
  Recovery recover(PendingBlobs blobs);

  // Checks that `pk` is this archive's public key (as its archive row names it).
  // Throws ErrorKind::auth "this key does not open archive ..." otherwise.
  void check_public_key(const Bytes& box_pk, const Bytes& sign_pk) const;
  ArchivePublicKey public_key() const;
  // The public key of the archive at `root` as its index's archive row names
  // it, whatever the index's format: kaappi key public reads nothing else,
  // so it works on an archive that still needs kaappi upgrade too (a scanning
  // station's key is the same before and after). An index altered outside
  // kaappi is refused as opening it is.
  static ArchivePublicKey public_key_of(const std::string& root, Observer& observer = silent_observer());
  // check_public_key() of the archive at `root` whose key is `archive`.
  static void check_public_key(const ArchivePublicKey& archive, const Bytes& box_pk, const Bytes& sign_pk,
                               const std::string& root);

  // Upgrades the index at `root` to the current layout (kaappi upgrade)
  // under the exclusive lock. A step that signs (format 1 to 2) calls
  // `unlock` with the archive's public key as its index names it, after
  // checking that the archive continues the head this machine remembers;
  // nothing else asks for the key. Nothing is changed when it fails.
  using UnlockKey = std::function<UnlockedKey(const ArchivePublicKey& archive_key)>;
  static UpgradeReport upgrade(const std::string& root, const UnlockKey& unlock,
                               Observer& observer = silent_observer());

 private:
  void lock(int operation);
  // Refuses (ErrorKind::rejected, naming it) a link planted where one of the
  // archive's folders belongs, before a writer touches anything.
  void check_folders() const;
  std::string m_root;
  Observer& m_observer;
  Fd m_lock;
  std::unique_ptr<Index> m_index;
  Bytes m_archive_id;
};

// What a recovery did, as one sentence for a notice ("" when there was
// nothing to roll back): with PendingBlobs::remove, "rolled back 2
// interrupted import(s) and removed the files they had left; ..."; with
// `keep`, that it removed their temp files, and which blobs it kept and why.
std::string describe_recovery(const Archive::Recovery& recovery);

// The public key that the index's own archive row names (as signed there,
// not checked against any key).
ArchivePublicKey archive_public_key(Index& index);

// Tells `observer` when `key` is the published example key.
void warn_if_example_key(const KeyFile& key, const std::string& archive_root, Observer& observer);

// The operating-system user running kaappi.
std::string current_user();

}  // namespace kaappi
