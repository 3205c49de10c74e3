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
    if (p.problem == "backup rolled back") continue;
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
