// archive.cpp — see archive.h.
#include "store/archive.h"

#include <dirent.h>
#include <pwd.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "base/clock.h"
#include "base/error.h"
#include "base/fault.h"
#include "store/head_history.h"
#include "store/machine_records.h"

namespace kaappi {
namespace {

bool dir_is_empty(const std::string& path) {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return true;
  bool empty = true;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") {
      empty = false;
      break;
    }
  }
  ::closedir(d);
  return empty;
}

// The archive's own files are regular files in its folder, never links
// (SQLite, and the lock, would otherwise read and write wherever one points):
// one that is anything else is refused, named, before any is opened.
void require_index(const std::string& root) {
  struct stat st {};
  for (const char* name : {"index.sqlite", "index.sqlite-wal", "index.sqlite-shm", "lock"}) {
    const std::string path = root + "/" + name;
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
      fail(ErrorKind::rejected, path + " is " + file_kind(st.st_mode) +
                                    ", not a regular file: an archive's own files are never links or other kinds of "
                                    "file; nothing was read or changed (put the real file back, or restore from a backup)");
  }
  if (!path_exists(root + "/index.sqlite"))
    fail(ErrorKind::not_found, "no kaappi archive at " + root + ": pass " + Field{"archive"} +
                                   " DIR or set KAAPPI_ARCHIVE (or create one with kaappi init)");
}

// An index of an older layout on a machine that has seen this archive in
// format 2 is not one to upgrade: it is a copy from before the upgrade, put
// back (a rollback). Says so instead of "needs kaappi upgrade".
void refuse_format1_rollback(const std::string& root, const std::string& index_path) {
  std::optional<SeenHead> seen;
  try {
    seen = remembered_head(Index::stored_public_key(index_path).archive_id);
  } catch (const Error&) {
    return;  // nothing known: the upgrade says what it finds
  }
  if (seen && !seen->format1)
    fail(ErrorKind::corrupt, "archive " + root + " was rolled back: this machine last saw change " +
                                 std::to_string(seen->tx) + " of it upgraded to format 2, and it now holds a "
                                 "format-1 index; nothing was changed. Put the upgraded copy back, or restore it "
                                 "from a backup");
}

}  // namespace

std::string current_user() {
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "uid " + std::to_string(::getuid());
}


void Archive::create(const std::string& root, const UnlockedKey& key) {
  if (path_exists(root) && !dir_is_empty(root))
    fail(ErrorKind::rejected,
         "archive folder " + root + " already exists and is not empty; choose another " + Field{"archive"});
  if (!path_exists(root)) make_dirs(root, 0700);
  Dir top = Dir::named(root);
  ::fchmod(top.fd(), 0700);
  Dir blobs = top.sub("blobs", Create::yes);
  // All 256 fan-out folders exist from the start, so importing never has to
  // create (and a failed import never leaves behind) a folder.
  for (int i = 0; i < 256; ++i) {
    char sub[8];
    std::snprintf(sub, sizeof sub, "%02x", i);
    blobs.sub(sub, Create::yes);
  }
  top.sub("tmp", Create::yes);
  top.sub("inbox", Create::yes);
  write_file_atomic(top, "lock", {}, 0600, Overwrite::no, "init.lock");
  ArchiveRow row;
  row.archive_id = random_bytes(k_archive_id_size);
  row.box_pk = key.box_pk;
  row.sign_pk = key.sign_pk;
  row.created_at = system_clock().now();
  Index::create(root + "/index.sqlite", row, KeyFileSecrets(key), row.created_at);
  fsync_dir(root);
}

Archive::Archive(std::string root, Access access, SchemaPolicy policy, Observer& observer)
    : m_root(std::move(root)), m_observer(observer) {
  require_index(m_root);
  if (access != Access::read) check_folders();
  m_lock = Fd(::open((m_root + "/lock").c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
  if (!m_lock.valid()) m_lock = Fd(::open((m_root + "/lock").c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!m_lock.valid()) fail_errno("cannot open the archive lock in " + m_root);
  try {
    m_index = std::make_unique<Index>(index_path(), policy);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::needs_upgrade) refuse_format1_rollback(m_root, index_path());
    throw;
  }
  if (!m_index->schema_problems().empty()) {
    try {
      m_archive_id = m_index->archive().archive_id;
    } catch (const Error&) {
      // verify reports it
    }
  } else {
    m_archive_id = m_index->archive().archive_id;
  }
  lock(access != Access::read ? LOCK_EX : LOCK_SH);
}

Archive::~Archive() = default;

void Archive::check_folders() const {
  Dir top = Dir::named(m_root);
  // An index made before kaappi made it 0600 (SQLite used the umask) is
  // made private by the next writer; its WAL follows the index file's mode.
  if (Fd index = top.open_file("index.sqlite", O_RDONLY | O_NONBLOCK); index.valid()) {
    struct stat st {};
    if (::fstat(index.get(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0 &&
        ::fchmod(index.get(), 0600) != 0)
      fail_errno("cannot make the index private: " + index_path());
  }
  for (const char* name : {"tmp", "inbox"})
    if (top.has(name)) top.sub(name);
  if (!top.has("blobs")) return;
  Dir blobs = top.sub("blobs");
  for (int i = 0; i < 256; ++i) {
    char fan_out[4];
    std::snprintf(fan_out, sizeof fan_out, "%02x", i);
    if (blobs.has(fan_out)) blobs.sub(fan_out);
  }
}

namespace {

void lock_archive(const Fd& lock, int operation, const std::string& root, Observer& observer) {
  if (::flock(lock.get(), operation | LOCK_NB) == 0) return;
  if (errno != EWOULDBLOCK) fail_errno("cannot lock the archive " + root);
  observer.notice("waiting for another kaappi command working on this archive...");
  while (::flock(lock.get(), operation) != 0) {
    if (errno != EINTR) fail_errno("cannot lock the archive " + root);
  }
}

}  // namespace

void Archive::lock(int operation) { lock_archive(m_lock, operation, m_root, m_observer); }

namespace {

}  // namespace

// kaappi upgrade is a writer like every other: not to an archive that does not
// continue the head this machine remembers (head_history.h), nor to a folder
// that held another archive. A format-1 index cannot be opened as it is: its
// check is the format-1 step's (format2_upgrade.h), given the head this
// machine remembers; after it, this machine remembers the format-2 head.
UpgradeReport Archive::upgrade(const std::string& root, const UnlockKey& unlock, Observer& observer) {
  require_index(root);
  Fd lock(::open((root + "/lock").c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
  if (!lock.valid()) fail_errno("cannot open the archive lock in " + root);
  lock_archive(lock, LOCK_EX, root, observer);
  const std::string path = root + "/index.sqlite";
  SchemaCheck check = Index::check(path);
  if (!upgrade_needs_key(schema_history(), check)) return Index::upgrade(path, UpgradeContext{});

  const ArchivePublicKey key = Index::stored_public_key(path);
  std::optional<SeenHead> seen;
  try {
    machine_records::check_writable();
    std::optional<Bytes> folder = remembered_folder(root);
    if (folder && *folder != key.archive_id)
      fail(ErrorKind::corrupt, "archive folder " + root + " held archive " + to_hex(*folder) +
                                   " when this machine last used it, and now holds another, " +
                                   to_hex(key.archive_id) + "; nothing was changed. Upgrade the archive this "
                                   "machine used there");
    seen = remembered_head(key.archive_id);
  } catch (const StateUnusable& e) {
    fail(ErrorKind::rejected, std::string(e.what()) + "; nothing was changed");
  }
  if (seen && !seen->format1) refuse_format1_rollback(root, path);
  UnlockedKey unlocked = unlock(key);
  UpgradeContext context;
  context.key = &unlocked;
  if (seen) context.remembered = Format1Head{seen->tx, seen->digest};
  context.now = system_clock().now();
  context.archive_root = root;
  UpgradeReport report = Index::upgrade(path, context);
  fault::point("upgrade.closed");
  try {
    Index upgraded(path, SchemaPolicy::enforce);
    HeadHistory(upgraded, root, key).advance();
  } catch (const Error& e) {
    fail(ErrorKind::partial, "archive " + root + " was upgraded, but this machine's record of its head was not "
                             "updated (" + std::string(e.what()) + "); run kaappi verify: it records the head");
  }
  return report;
}

Archive::Recovery Archive::recover(PendingBlobs blobs) {
  Recovery done;
  done.blobs = blobs;
  for (const Bytes& uid : m_index->pending()) {
    // A temp file is never a stored blob (also when the intent was putting
    // back the blob of a stored document: ingest's put-back).
    Dir temp = temp_folder();
    if (temp.remove(temp_blob_name(uid))) temp.sync();
    if (!m_index->document_by_uid(uid)) {
      // Never committed here: nothing of it was reported as stored. Remove
      // the blob the interrupted write left, which the intent names exactly.
      Dir fan_out = blob_folder(uid);
      if (blobs == PendingBlobs::keep) {
        done.kept_blobs += fan_out.has(blob_name(uid)) ? 1 : 0;
      } else if (fan_out.remove(blob_name(uid))) {
        fan_out.sync();
      }
      ++done.rolled_back;
    } else {
      ++done.of_stored;  // a put-back interrupted (or an intent planted): the stored blob stays
    }
    m_index->remove_pending({uid});
  }
  return done;
}

std::string describe_recovery(const Archive::Recovery& r) {
  const std::string of_stored =
      r.of_stored == 0 ? std::string()
                       : "dropped " + std::to_string(r.of_stored) +
                             " unfinished intent(s) naming stored documents, whose blobs were kept";
  if (r.rolled_back == 0) return of_stored;
  if (!of_stored.empty()) return describe_recovery(Archive::Recovery{r.blobs, r.rolled_back, r.kept_blobs, 0}) + "; " + of_stored;
  const std::string rolled_back = "rolled back " + std::to_string(r.rolled_back) + " interrupted import(s)";
  if (r.blobs == Archive::PendingBlobs::remove)
    return rolled_back + " and removed the files they had left; nothing that had been reported as stored was lost";
  if (r.kept_blobs == 0) return rolled_back + " and removed their temp files";
  return rolled_back + " and removed their temp files, but kept " + std::to_string(r.kept_blobs) +
         " blob(s) that unfinished imports in this restored index name: a change lost with the restore may have "
         "stored them (kaappi verify lists them)";
}

std::string Archive::blob_path(const Bytes& uid) const { return blob_path_in(m_root, uid); }

std::string Archive::blob_path_in(const std::string& root, const Bytes& uid) {
  return root + "/blobs/" + to_hex(uid).substr(0, 2) + "/" + blob_name(uid);
}

std::string Archive::temp_blob_path(const Bytes& uid) const { return m_root + "/tmp/" + temp_blob_name(uid); }

Dir Archive::blob_folder(const Bytes& uid) const {
  Dir blobs = Dir::named(m_root).sub("blobs");
  std::string fan_out = to_hex(uid).substr(0, 2);
  if (blobs.has(fan_out)) return blobs.sub(fan_out);
  Dir made = blobs.sub(fan_out, Create::yes);  // made at init; recreated if someone removed it
  blobs.sync();
  return made;
}

Dir Archive::temp_folder() const { return Dir::named(m_root).sub("tmp", Create::yes); }

std::string Archive::blob_name(const Bytes& uid) { return to_hex(uid) + ".blob"; }

std::string Archive::temp_blob_name(const Bytes& uid) { return to_hex(uid) + ".tmp"; }

void Archive::check_public_key(const Bytes& box_pk, const Bytes& sign_pk) const {
  // The archive row must name the key (its hash is part of the first
  // signed transaction, which verify checks).
  check_public_key(public_key(), box_pk, sign_pk, m_root);
}

void Archive::check_public_key(const ArchivePublicKey& archive, const Bytes& box_pk, const Bytes& sign_pk,
                               const std::string& root) {
  if (archive.box_pk != box_pk || archive.sign_pk != sign_pk)
    fail(ErrorKind::auth, "this key does not open archive " + root + " (it belongs to another archive)");
}

ArchivePublicKey Archive::public_key_of(const std::string& root, Observer& observer) {
  try {
    Archive archive(root, Access::read, SchemaPolicy::enforce, observer);
    return archive.public_key();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::needs_upgrade) throw;
  }
  // An older layout, known in full (an altered one is not "needs upgrade"):
  // its archive row is read as kaappi upgrade reads it.
  return Index::stored_public_key(root + "/index.sqlite");
}

ArchivePublicKey Archive::public_key() const { return archive_public_key(*m_index); }

ArchivePublicKey archive_public_key(Index& index) {
  ArchiveRow row = index.archive();
  return ArchivePublicKey{row.archive_id, row.box_pk, row.sign_pk};
}

void warn_if_example_key(const KeyFile& key, const std::string& archive_root, Observer& observer) {
  if (key.is_example_key())
    observer.notice("WARNING: archive " + archive_root +
                    " uses the published example key from keys.example; anyone can read it. "
                    "Use it only for demos and tests.");
}

}  // namespace kaappi
