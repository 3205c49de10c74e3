// backup_writer.cpp — see backup_writer.h.
#include "backup/backup_writer.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstdio>
#include <set>
#include <thread>

#include "backup/backup_manifest.h"
#include "backup/backup_reader.h"
#include "backup/backup_records.h"
#include "backup/backup_witness.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/fault.h"
#include "base/file_io.h"
#include "base/sha256.h"
#include "base/temp_folder.h"
#include "format/file_hash.h"
#include "store/blob_file.h"
#include "store/head_history.h"
#include "verify/verifier.h"

namespace kaappi {
namespace {

std::string blob_path_of(const Bytes& uid) { return backup_blob_path(uid); }

// The destination is this archive's backup, or made one now (when empty).
void claim_destination(BackupDestination& dest, const Bytes& archive_id) {
  if (std::optional<Bytes> id = backup_archive_id(dest)) {
    if (*id != archive_id)
      fail(ErrorKind::rejected, dest.name() + " holds a backup of archive " + to_hex(*id) + ", not of archive " +
                                    to_hex(archive_id) + "; give each archive a destination of its own. Nothing "
                                    "was written");
    return;
  }
  if (!dest.empty())
    fail(ErrorKind::rejected, dest.name() + " is not empty and is not a kaappi backup (it has no " +
                                  std::string(k_backup_marker) + " file); name an empty folder or a new one. "
                                  "Nothing was written");
  dest.put_bytes(k_backup_marker, as_bytes(marker_json(archive_id)), false);
  dest.sync();
}

// The snapshot's index checked as keyless verify checks one (its blobs are checked here, below).
void check_snapshot(Archive& snapshot, const ArchivePublicKey& key) {
  VerifyOptions options;
  options.quiet = true;
  options.of_backup = true;
  options.blob_filter = [](const DocumentRow&) { return false; };
  VerifyReport r = verify_archive(snapshot, key, nullptr, options);
  if (!r.ok()) {
    const Problem& p = r.problems.front();
    fail(ErrorKind::corrupt, "the archive's index does not check out (" + p.problem + ": " + p.detail +
                                 (r.problems.size() > 1 ? "; and " + std::to_string(r.problems.size() - 1) +
                                                              " more" : std::string()) +
                                 "); run kaappi verify. Nothing was backed up");
  }
}

// Reads the archive's blob of `d` and checks it against its signed hash.
void check_source_blob(Archive& archive, const DocumentRow& d, const std::function<void(std::uint64_t)>& progress) {
  BlobFile blob = open_blob(archive, d.uid, d.blob_size);
  if (blob.state != BlobFile::State::ok)
    fail(ErrorKind::corrupt, "document " + std::to_string(d.id) + "'s blob " + blob.path + " " +
                                 blob.problem(d.blob_size) + "; run kaappi verify. Nothing new was recorded as "
                                 "backed up");
  std::uint64_t size = 0;
  Sha256Digest h = hash_file_segments(blob.fd.get(), static_cast<std::uint64_t>(d.blob_size), size,
                                      std::max(1u, std::thread::hardware_concurrency()), progress);
  if (size != static_cast<std::uint64_t>(d.blob_size) || Bytes(h.begin(), h.end()) != d.blob_hash)
    fail(ErrorKind::corrupt, "document " + std::to_string(d.id) + "'s blob " + blob.path +
                                 " does not match its signed hash; run kaappi verify. Nothing new was recorded "
                                 "as backed up");
}

// The name of a new generation made at `now`: its time, sorting after
// every generation there is, whole or not ("-02", "-03", ... after one made
// in the same second; after the newest one's when the clock went back), so
// the newest by name is always the newest made.
std::string next_generation_name(const std::map<std::string, std::int64_t>& listing, std::int64_t now,
                                 const std::string& dest_name) {
  std::vector<std::string> all = whole_generations(listing);
  for (const auto& g : partial_generations(listing)) all.push_back(g);
  std::sort(all.begin(), all.end());
  const std::string base = generation_name(now);
  if (all.empty() || all.back().substr(0, 18) < base) return base;
  const std::string& newest = all.back();
  const int n = newest.size() == 18 ? 2 : std::stoi(newest.substr(19)) + 1;
  if (n > 99) fail(ErrorKind::rejected, "too many backups to " + dest_name + " in one second; try again");
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%02d", n);
  return newest.substr(0, 18) + suffix;
}

std::pair<Bytes, std::int64_t> sha256_of_file(const std::string& path) {
  Bytes data = read_file(path, std::size_t{1} << 40);
  Sha256Digest d = sha256(data);
  return {Bytes(d.begin(), d.end()), static_cast<std::int64_t>(data.size())};
}

// A few of the blobs the destination has (k_recheck_percent, at least
// k_recheck_least) read there and hashed: one damaged since it was copied is
// removed and copied again, so damage at the destination does not outlive
// the next backups.
constexpr std::size_t k_recheck_percent = 2;
constexpr std::size_t k_recheck_least = 5;

void recheck_some(BackupDestination& dest, const std::vector<DocumentRow>& documents,
                  const std::map<std::string, std::int64_t>& there, std::vector<const DocumentRow*>& to_copy,
                  std::uint64_t& to_copy_bytes, std::vector<std::string>& notes) {
  std::set<const DocumentRow*> copying(to_copy.begin(), to_copy.end());
  std::vector<const DocumentRow*> held;
  for (const DocumentRow& d : documents)
    if (!d.erased() && !copying.count(&d) && there.count(blob_path_of(d.uid))) held.push_back(&d);
  // A random k of them: the held ones shuffled, the first k taken.
  for (std::size_t i = held.size(); i > 1; --i)
    std::swap(held[i - 1], held[randombytes_uniform(static_cast<std::uint32_t>(i))]);
  const std::size_t k = std::max(std::min(k_recheck_least, held.size()),
                                 (held.size() * k_recheck_percent + 99) / 100);
  std::vector<const DocumentRow*> chosen(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(k));
  if (chosen.empty()) return;
  std::vector<std::string> paths;
  for (const DocumentRow* d : chosen) paths.push_back(blob_path_of(d->uid));
  const LocalCopies copies = local_copies(dest, paths);
  const std::string& root = copies.root;
  for (const DocumentRow* d : chosen) {
    const std::string path = blob_path_of(d->uid);
    BlobFile blob = open_blob(root + "/" + path, d->blob_size);
    bool sound = blob.state == BlobFile::State::ok;
    if (sound) {
      std::uint64_t size = 0;
      Sha256Digest h = hash_file_segments(blob.fd.get(), static_cast<std::uint64_t>(d->blob_size), size,
                                          std::max(1u, std::thread::hardware_concurrency()));
      sound = size == static_cast<std::uint64_t>(d->blob_size) && Bytes(h.begin(), h.end()) == d->blob_hash;
    }
    if (sound) continue;
    dest.remove(path);
    to_copy.push_back(d);
    to_copy_bytes += static_cast<std::uint64_t>(d->blob_size);
    notes.push_back("document " + std::to_string(d->id) + "'s blob at " + dest.name() +
                    " was damaged since it was copied; it was copied again");
  }
}

// Generations beyond the newest `keep`, what killed backups left, and blobs
// no kept generation lists.
void prune(BackupDestination& dest, const BackupOptions& options, const std::string& current, BackupResult& out) {
  std::map<std::string, std::int64_t> gens = dest.list("generations");
  std::vector<std::string> whole = whole_generations(gens);
  std::vector<std::string> kept;
  for (auto it = whole.rbegin(); it != whole.rend(); ++it) {
    if (static_cast<int>(kept.size()) < options.generations || *it == current) kept.push_back(*it);
    else {
      fault::point("backup.prune.generation");
      dest.remove(generation_manifest_path(*it));  // first: no longer whole
      dest.remove(generation_index_path(*it));
      dest.remove(generation_folder(*it));
      out.removed_generations.push_back(*it);
    }
  }
  std::vector<std::string> partial = partial_generations(gens);
  for (const std::string& g : dest.subfolders("generations"))  // an empty one lists no file
    if (is_generation_name(g) && std::find(whole.begin(), whole.end(), g) == whole.end() &&
        std::find(partial.begin(), partial.end(), g) == partial.end())
      partial.push_back(g);
  for (const std::string& g : partial) {
    if (g == current) continue;
    for (const auto& [path, size] : gens)
      if (path.rfind(generation_folder(g) + "/", 0) == 0) dest.remove(path);
    dest.remove(generation_folder(g));
    out.notes.push_back("removed generation " + g + ", which a backup cut short had left unfinished");
  }
  dest.sync();
  // Blobs: those the kept generations list stay.
  std::set<std::string> listed;
  for (const std::string& g : kept) {
    std::optional<Bytes> text;
    try {
      text = dest.read(generation_manifest_path(g), std::size_t{1} << 30);
      if (!text) throw Error(ErrorKind::corrupt, "missing");
      for (const BackupBlob& b : parse_manifest(*text, generation_manifest_path(g)).blobs) listed.insert(b.path);
    } catch (const Error& e) {
      out.notes.push_back("no blob was removed: the manifest of generation " + g + " could not be read (" + e.what() +
                          "); run kaappi verify-backup");
      return;
    }
  }
  for (const auto& [path, size] : dest.list("blobs")) {
    if (listed.count(path)) continue;
    fault::point("backup.prune.blob");
    dest.remove(path);
    ++out.blobs_removed;
  }
  // A folder destination's temp files that a killed backup left.
  for (const auto& [path, size] : dest.list("tmp")) dest.remove(path);
  dest.sync();
}

}  // namespace

namespace {

// The real path of `path`, or of its parent with its name when it does not exist yet.
std::string real_or_planned(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) != nullptr) return buf;
  if (::realpath(parent_dir(path).c_str(), buf) != nullptr) return std::string(buf) + "/" + base_name(path);
  return path;
}

}  // namespace

void check_destination_apart(const std::string& destination, const std::string& archive_root) {
  if (destination.rfind("rclone:", 0) == 0) return;
  const std::string d = real_or_planned(destination), a = real_or_planned(archive_root);
  if (d == a || d.rfind(a + "/", 0) == 0 || a.rfind(d + "/", 0) == 0)
    fail(ErrorKind::rejected, "backup destination " + destination + " and archive folder " + archive_root +
                                  " overlap; put the backup on another disk or share. Nothing was written");
}

void check_destination_expected(const std::string& destination, const Bytes& archive_id) {
  std::unique_ptr<BackupDestination> remote;
  std::string identity;
  if (destination.rfind("rclone:", 0) == 0) {
    remote = open_backup_destination(destination, false);
    identity = remote->identity();
  } else {
    identity = real_or_planned(destination);
  }
  std::optional<BackupRecord> last = last_backup(identity);
  if (!last || last->archive_id != archive_id) return;
  bool there = false;
  if (remote) {
    there = backup_archive_id(*remote).has_value();
  } else {
    struct stat st {};
    there = ::lstat((destination + "/" + k_backup_marker).c_str(), &st) == 0;
  }
  if (there) return;
  fail(ErrorKind::rejected, "this machine backed this archive up to " + destination + " (generation " +
                                last->generation + ", change " + std::to_string(last->head_tx) +
                                "), and there is no backup there now: is the disk or share mounted? Nothing was "
                                "written. To start a new backup there, say so (" + Field{"start_over"} + ")");
}

BackupResult make_backup(Archive& archive, const ArchivePublicKey& key, BackupDestination& dest,
                         const BackupOptions& options) {
  if (options.generations < 1) fail(ErrorKind::usage, "a backup keeps at least 1 generation");
  Observer& observer = archive.observer();
  archive.check_public_key(key.box_pk, key.sign_pk);
  HistoryCheck history = HeadHistory(archive, key).check();
  if (!history.continues())
    fail(history.state == HistoryState::unusable ? ErrorKind::rejected : ErrorKind::corrupt,
         (history.state == HistoryState::unusable ? history.problem : describe_break(history, archive.root())) +
             ". Nothing was backed up: a backup of it could replace a sound one");
  if (std::optional<std::string> folder = dest.local_folder()) check_destination_apart(*folder, archive.root());
  claim_destination(dest, archive.archive_id());
  // What the destination holds must be part of this archive's history: a
  // rolled-back or restored archive is not backed up over a newer backup
  // (whose generations it would in time prune away).
  bool prune_ok = true;
  std::vector<std::string> early_notes;
  if (!whole_generations(dest.list("generations")).empty()) {
    VerifyReport witness;
    check_against_backup(archive, key, dest, witness);
    for (const Problem& p : witness.problems) {
      if (p.problem == "backup unusable as a witness") {
        prune_ok = false;
        early_notes.push_back("nothing old was removed: the destination's newest generation does not check out (" +
                              p.detail + "); run kaappi verify-backup");
        continue;
      }
      fail(ErrorKind::corrupt, p.detail + ". Nothing was backed up: the backup holds changes this archive does "
                               "not, which later backups would prune away. Restore that backup to get them back, "
                               "or back this archive up to a new destination");
    }
  }

  BackupResult out;
  out.notes = early_notes;
  // The index, as committed now.
  TempFolder temp("kaappi-backup");
  std::map<std::string, std::int64_t> listing = dest.list("generations");
  const std::int64_t now = system_clock().now();
  out.generation = next_generation_name(listing, now, dest.name());
  const std::string index_rel = generation_index_path(out.generation);
  make_dirs(temp.path_of(generation_folder(out.generation)), 0700);
  const std::string snapshot_root = temp.path_of("snapshot");
  make_dir(snapshot_root, 0700);
  archive.index().copy_into(snapshot_root + "/index.sqlite");
  fault::point("backup.index.copied");
  std::vector<DocumentRow> documents;
  TransactionRow head;
  {
    write_file_atomic(snapshot_root + "/lock", {}, 0600, Overwrite::no, "backup.lock");
    Archive snapshot(snapshot_root, Access::read, SchemaPolicy::report, observer);
    check_snapshot(snapshot, key);
    documents = snapshot.index().documents();
    head = snapshot.index().head();
  }
  if (::link((snapshot_root + "/index.sqlite").c_str(), temp.path_of(index_rel).c_str()) != 0)
    fail_errno("cannot prepare the index copy in " + temp.path());
  auto [index_sha, index_size] = sha256_of_file(temp.path_of(index_rel));
  out.head_tx = head.tx;
  out.index_size = index_size;

  // The blobs the destination does not have (or has cut short).
  BackupManifest manifest;
  manifest.generation = out.generation;
  manifest.archive_id = archive.archive_id();
  manifest.made = now;
  manifest.head_tx = head.tx;
  manifest.head_digest = head.digest;
  manifest.index_size = index_size;
  manifest.index_sha256 = index_sha;
  std::map<std::string, std::int64_t> there = dest.list("blobs");
  std::vector<const DocumentRow*> to_copy;
  std::uint64_t to_copy_bytes = 0;
  for (const DocumentRow& d : documents) {
    if (d.erased()) continue;
    std::string path = blob_path_of(d.uid);
    manifest.blobs.push_back({path, d.blob_size, d.blob_hash});
    auto it = there.find(path);
    if (it != there.end() && it->second == d.blob_size) continue;
    if (it != there.end()) dest.remove(path);  // another size: a copy cut short, or not a file
    to_copy.push_back(&d);
    to_copy_bytes += static_cast<std::uint64_t>(d.blob_size);
  }
  recheck_some(dest, documents, there, to_copy, to_copy_bytes, out.notes);
  std::sort(manifest.blobs.begin(), manifest.blobs.end(),
            [](const BackupBlob& a, const BackupBlob& b) { return a.path < b.path; });
  out.blobs = static_cast<std::int64_t>(manifest.blobs.size());
  {
    Progress progress(observer, "checking blobs", to_copy_bytes, options.quiet);
    std::uint64_t before = 0;
    for (const DocumentRow* d : to_copy) {
      check_source_blob(archive, *d, [&](std::uint64_t n) { progress.update(before + n); });
      before += static_cast<std::uint64_t>(d->blob_size);
    }
    progress.finish();
  }
  {
    Progress progress(observer, "copying blobs", to_copy_bytes, options.quiet);
    std::vector<std::string> paths;
    for (const DocumentRow* d : to_copy) paths.push_back(blob_path_of(d->uid));
    dest.put_files(archive.root(), paths, [&](std::uint64_t n) { progress.update(n); });
    progress.finish();
  }
  out.blobs_copied = static_cast<std::int64_t>(to_copy.size());
  out.bytes_copied = to_copy_bytes + static_cast<std::uint64_t>(index_size);
  fault::point("backup.blobs.copied");
  dest.sync();
  // The index, then the manifest that makes the generation whole.
  dest.put_files(temp.path(), {index_rel}, {});
  dest.sync();
  fault::point("backup.index.placed");
  dest.put_bytes(generation_manifest_path(out.generation), as_bytes(manifest_json(manifest)), false);
  dest.sync();
  fault::point("backup.manifest.placed");
  record_backup(dest.identity(), {archive.archive_id(), head.tx, head.digest, out.generation, now});
  if (prune_ok) prune(dest, options, out.generation, out);
  return out;
}

}  // namespace kaappi
