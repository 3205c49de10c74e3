// backup_restore.cpp — see backup_restore.h.
#include "backup/backup_restore.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "backup/backup_check.h"
#include "backup/backup_reader.h"
#include "base/error.h"
#include "base/fault.h"
#include "base/file_io.h"
#include "base/temp_folder.h"
#include "format/file_hash.h"
#include "keys/passphrase_tries.h"
#include "store/head_history.h"

namespace kaappi {
namespace {

bool is_empty_folder(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && folder_is_empty(path);
}

void copy_local(const std::string& from, const Dir& to, const std::string& name) {
  Bytes data = read_file(from, std::size_t{1} << 40);
  write_file_atomic(to, name, data, 0600, Overwrite::no, "restore.index");
}

// The secret key, unlocked once before anything is written (the agent's, or
// by the passphrase), for the sessions on the staged copy.
class HeldKey final : public UnlockedKeySource {
 public:
  HeldKey(const UnlockOptions& options, const ArchivePublicKey& key)
      : m_file(KeyFile::load(options.key_path.empty() ? default_key_path() : options.key_path)),
        m_agent(options.unlocked_elsewhere) {
    if (m_file.box_pk() != key.box_pk || m_file.sign_pk() != key.sign_pk)
      fail(ErrorKind::auth, "the key file " + m_file.path() + " is not the key of the archive this backup holds");
    if (m_agent && m_agent->secret_keys_for(m_file)) return;
    m_agent = nullptr;
    m_key.emplace(unlock_with_passphrase(m_file, options.passphrase, "Passphrase for " + m_file.path()));
  }
  std::unique_ptr<SecretKeys> secret_keys_for(const KeyFile& file) override {
    if (file.sign_pk() != m_file.sign_pk() || file.box_pk() != m_file.box_pk()) return nullptr;
    if (m_agent) return m_agent->secret_keys_for(file);
    return std::make_unique<KeyFileSecrets>(*m_key);
  }
  std::string used_note() const override {
    return m_agent ? m_agent->used_note() : "the key unlocked for this restore was used";
  }

 private:
  KeyFile m_file;
  UnlockedKeySource* m_agent;
  std::optional<UnlockedKey> m_key;
};

}  // namespace

RestoreResult restore_backup(BackupDestination& dest, const ArchivePublicKey& key, const std::string& target_in,
                             const RestoreOptions& options, Observer& observer) {
  std::string target = target_in;
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  struct stat st {};
  const bool exists = ::lstat(target.c_str(), &st) == 0;
  if (exists && !S_ISDIR(st.st_mode))
    fail(ErrorKind::rejected, target + " is " + file_kind(st.st_mode) + ", not a folder; restore into a new or "
                                       "empty folder. Nothing was changed");
  if (exists && !is_empty_folder(target))
    fail(ErrorKind::rejected, target + " is not an empty folder; restore into a new or empty one. Nothing was "
                                       "changed");
  if (!path_exists(parent_dir(target)))
    fail(ErrorKind::rejected, "the folder " + parent_dir(target) + " that would hold " + target +
                                  " does not exist; make it first. Nothing was changed");
  const std::string parent = parent_dir(target);
  Dir::named(parent);  // there, and a folder
  const std::string staging = parent + "/." + base_name(target) + ".restoring";
  if (path_exists(staging)) remove_tree(staging);

  // The backup, checked without reading its blobs (they are read as they are copied).
  BackupCheckOptions check_options;
  check_options.generation = options.generation;
  check_options.sample_percent = 0;
  check_options.quiet = true;
  BackupCheck check = check_backup(dest, key, check_options, observer);
  std::vector<Problem> serious;
  for (const Problem& p : check.report.problems) {
    // Older than what this machine recorded there (verify-backup's rule):
    // what the generations gone erased would come back.
    if (p.problem == "backup rolled back") refuse_rolled_back_restore(dest, p);
    // Damage beside the generation chosen by name does not stop its restore.
    if (p.problem == "backup damaged" && !options.generation.empty()) continue;
    serious.push_back(p);
  }
  if (!serious.empty())
    fail(ErrorKind::corrupt, "backup " + dest.name() + " does not check out (" + serious.front().problem + ": " +
                                 serious.front().detail + "); run kaappi verify-backup, and restore a generation "
                                 "that checks out by its name (" + Field{"generation"} + "). Nothing was restored");

  OpenedBackup b = open_backup(dest, check.generation, observer);
  RestoreResult out;
  out.generation = b.manifest.generation;
  out.head_tx = b.manifest.head_tx;
  out.blobs = static_cast<std::int64_t>(b.manifest.blobs.size());

  // What a newer generation erased, to be erased again: refused now, before
  // anything is written, when it cannot be.
  const ReapplyPlan plan = plan_erasure_reapply(dest, key, b, options.local_archive, observer);
  std::unique_ptr<HeldKey> held;
  UnlockOptions unlock;
  bool accept = false;
  if (!plan.empty()) {
    const std::string erasures = std::to_string(plan.erasures.size()) + " erasure(s)";
    const std::string restrictions = std::to_string(plan.restrictions.size()) + " restriction(s)";
    const std::string where = plan.newest.empty()      ? "this machine's archive " + plan.local_archive
                              : plan.local_archive.empty() ? "generation " + plan.newest
                                                           : "generation " + plan.newest + " and this machine's "
                                                             "archive " + plan.local_archive;
    const std::string why =
        "generation " + out.generation +
        (plan.restrictions.empty()
             ? " holds values that " + erasures + " in " + where +
                   " erased since, and they must be erased again in the restored copy"
         : plan.erasures.empty()
             ? " lacks " + restrictions + " that " + where +
                   " recorded since, and they must be recorded again in the restored copy"
             : " holds values that " + erasures + " in " + where + " erased since, and lacks " +
                   restrictions + " recorded there, and they must be erased and recorded again in the restored "
                   "copy");
    if (!options.unlock)
      fail(ErrorKind::rejected, why + "; that needs the archive's secret key. Nothing was restored");
    HistoryCheck history = HeadHistory(*b.archive, key).check();
    if (!history.continues()) {
      if (history.state == HistoryState::unusable)
        fail(ErrorKind::rejected, why + ", but " + history.problem + ". Nothing was restored");
      if (options.accept_reason.empty())
        fail(ErrorKind::rejected, why + "; but this machine saw later changes of the archive (" +
                                      describe_break(history, target) + "), so the copy could not be written to "
                                      "and would be left for inspection with those values readable. Give the later "
                                      "changes up and say why (" + Field{"reason"} + " TEXT, recorded in a signed "
                                      "restore row), or restore the newest generation. Nothing was restored");
      accept = true;
    }
    try {
      held = std::make_unique<HeldKey>(*options.unlock, key);
    } catch (const Error& e) {
      fail(e.kind(), why + "; the archive's secret key could not be unlocked (" + e.what() + "). Nothing was restored");
    }
    unlock = *options.unlock;
    unlock.unlocked_elsewhere = held.get();
    out.erasure_log = plan.newest;
  }

  make_dir(staging, 0700, PathRole::user_output);
  try {
  Dir top = Dir::named(staging);
  Dir blobs = top.sub("blobs", Create::yes);
  for (int i = 0; i < 256; ++i) {
    char sub[8];
    std::snprintf(sub, sizeof sub, "%02x", i);
    blobs.sub(sub, Create::yes);
  }
  Dir tmp = top.sub("tmp", Create::yes);
  top.sub("inbox", Create::yes);
  write_file_atomic(top, "lock", {}, 0600, Overwrite::no, "restore.lock");

  // The blobs, fetched into tmp/fetch and each checked before it is placed.
  std::uint64_t total = 0;
  for (const auto& blob : b.manifest.blobs) total += static_cast<std::uint64_t>(blob.size);
  {
    Progress progress(observer, "restoring blobs", total, options.quiet);
    std::uint64_t done = 0;
    const std::size_t batch = 256;
    for (std::size_t start = 0; start < b.manifest.blobs.size(); start += batch) {
      std::vector<std::string> paths;
      for (std::size_t i = start; i < std::min(b.manifest.blobs.size(), start + batch); ++i)
        paths.push_back(b.manifest.blobs[i].path);
      dest.fetch_files(paths, tmp.path_of("fetch"));
      // Each checked, the batch made durable at once, and only then placed.
      if (::syncfs(tmp.fd()) != 0) fail_errno("cannot write " + tmp.path());
      for (std::size_t i = start; i < std::min(b.manifest.blobs.size(), start + batch); ++i) {
        const BackupBlob& blob = b.manifest.blobs[i];
        const std::string local = tmp.path_of("fetch/" + blob.path);
        Fd fd(::open(local.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd.valid()) fail_errno("cannot read " + local);
        std::uint64_t size = 0;
        Sha256Digest h = hash_file_segments(fd.get(), static_cast<std::uint64_t>(blob.size) + 1, size,
                                            std::max(1u, std::thread::hardware_concurrency()));
        if (size != static_cast<std::uint64_t>(blob.size) || Bytes(h.begin(), h.end()) != blob.hash)
          fail(ErrorKind::corrupt, dest.name() + "/" + blob.path + " does not match its signed hash; run kaappi "
                                   "verify-backup, or restore an older generation. Nothing was restored");
        if (::rename(local.c_str(), (staging + "/" + blob.path).c_str()) != 0) fail_errno("cannot place " + local);
        done += static_cast<std::uint64_t>(blob.size);
        progress.update(done);
        fault::point("restore.blob");
      }
    }
    progress.finish();
  }
  remove_tree(tmp.path_of("fetch"));
  for (int i = 0; i < 256; ++i) {
    char sub[8];
    std::snprintf(sub, sizeof sub, "%02x", i);
    blobs.sub(sub).sync();
  }
  // The index, checked when it was fetched.
  const std::string view_index = b.view->path_of("index.sqlite");
  b.close();
  copy_local(view_index, top, "index.sqlite");
  out.bytes = total + static_cast<std::uint64_t>(b.manifest.index_size);
  if (!plan.empty()) {  // in the staged copy: the target appears with them erased, or not at all
    if (accept) out.accepted = Session::accept_restore(staging, unlock, options.accept_reason);
    Session session(staging, Access::write, unlock);
    Reapplied done = reapply_erasures(session, plan);
    out.reapplied = std::move(done.erasures);
    out.reapplied_restrictions = std::move(done.restrictions);
    fault::point("restore.reapplied");
  }
  top.sync();
  fault::point("restore.staged");
  if (::rename(staging.c_str(), target.c_str()) != 0) fail_errno("cannot move the restored archive to " + target);
  } catch (...) {
    remove_tree(staging);  // nothing half-restored is left
    throw;
  }
  fsync_dir(parent);
  fault::point("restore.placed");

  // The restored archive, as kaappi verify checks it.
  Archive restored(target, Access::read, SchemaPolicy::report, observer);
  VerifyOptions verify;
  verify.quiet = options.quiet;
  out.report = verify_archive(restored, key, nullptr, verify);
  return out;
}

}  // namespace kaappi
