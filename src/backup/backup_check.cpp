// backup_check.cpp — see backup_check.h.
#include "backup/backup_check.h"

#include <sodium.h>
#include <sys/stat.h>

#include <set>

#include "backup/backup_records.h"
#include "base/dates.h"
#include "base/error.h"
#include "store/head_history.h"
#include "store/machine_records.h"

namespace kaappi {
namespace {

std::string blob_path_of(const DocumentRow& d) { return backup_blob_path(d.uid); }

std::string change(std::int64_t tx, const Bytes& digest) {
  return "change " + std::to_string(tx) + " (digest " + to_hex(digest).substr(0, 8) + "…)";
}

// The manifest against the signed index: head, and the blobs its documents need.
void check_manifest(OpenedBackup& b, VerifyReport& report) {
  Index& index = b.archive->index();
  const BackupManifest& m = b.manifest;
  const std::string where = "generation " + m.generation + "'s manifest";
  TransactionRow head = index.head();
  if (head.tx != m.head_tx || head.digest != m.head_digest)
    report.problems.push_back({std::nullopt, "backup manifest altered",
                               where + " names " + change(m.head_tx, m.head_digest) + ", its index's head is " +
                                   change(head.tx, head.digest)});
  std::map<std::string, const BackupBlob*> listed;
  for (const auto& blob : m.blobs) listed[blob.path] = &blob;
  std::set<std::string> needed;
  for (const DocumentRow& d : index.documents()) {
    if (d.erased()) continue;
    std::string path = blob_path_of(d);
    needed.insert(path);
    auto it = listed.find(path);
    if (it == listed.end()) {
      report.problems.push_back({d.id, "backup manifest altered", where + " does not list the document's blob"});
      continue;
    }
    if (it->second->size != d.blob_size || it->second->hash != d.blob_hash)
      report.problems.push_back({d.id, "backup manifest altered",
                                 where + " lists the document's blob with another size or hash than its signed row"});
  }
  for (const auto& blob : m.blobs)
    if (!needed.count(blob.path))
      report.problems.push_back({std::nullopt, "backup manifest altered",
                                 where + " lists " + blob.path + ", which no document of its index needs"});
}

}  // namespace

void check_backup_history(BackupDestination& dest, OpenedBackup& b, const ArchivePublicKey& key,
                          const std::string& archive_root, VerifyReport& report) {
  Index& index = b.archive->index();
  const TransactionRow head = index.head();
  auto holds = [&](std::int64_t tx, const Bytes& digest) {
    std::optional<TransactionRow> t = index.transaction(tx);
    return t && t->digest == digest;
  };
  // The last backup this machine made or checked here.
  // (Only of the newest generation: an older one is older by choice.)
  std::optional<BackupRecord> last = last_backup(dest.identity());
  const bool newest = b.manifest.generation == b.newest;
  if (newest && last && last->archive_id == key.archive_id) {
    if (head.tx < last->head_tx)
      report.problems.push_back(
          {std::nullopt, "backup rolled back",
           "this machine recorded generation " + last->generation + " at " + dest.name() + " on " +
               format_time(last->at) + " with " + change(last->head_tx, last->head_digest) +
               "; the backup's newest generation " + b.manifest.generation + " holds only " +
               change(head.tx, head.digest) + ": newer generations were removed or the backup was replaced by an "
               "older one"});
    else if (!holds(last->head_tx, last->head_digest))
      report.problems.push_back({std::nullopt, "backup forked",
                                 "the backup's history does not hold " + change(last->head_tx, last->head_digest) +
                                     " that this machine recorded at " + dest.name() + " (generation " +
                                     last->generation + ")"});
  }
  // The archive's history as this machine knows it.
  HistoryCheck h = HeadHistory(index, b.view->path(), key).check();
  switch (h.state) {
    case HistoryState::first_seen:
      report.notes.push_back("this machine remembers no head of archive " + to_hex(key.archive_id) +
                             ", so the backup's head was compared with nothing it saw");
      break;
    case HistoryState::continues:
    case HistoryState::re_anchored:
      break;
    case HistoryState::rolled_back: {
      // Older than what this machine saw: it must be in the archive's chain.
      std::optional<TransactionRow> there;
      bool compared = false;
      if (!archive_root.empty() && path_exists(archive_root + "/index.sqlite")) {
        try {
          Archive archive(archive_root, Access::read);
          if (archive.archive_id() == key.archive_id) {
            there = archive.index().transaction(head.tx);
            compared = true;
          }
        } catch (const Error& e) {
          report.notes.push_back("the archive at " + archive_root + " could not be read to compare: " + e.what());
        }
      }
      if (!compared)
        report.notes.push_back("the backup holds " + change(head.tx, head.digest) + ", older than " +
                               change(h.remembered.tx, h.remembered.digest) +
                               " this machine saw; without the archive here it was not compared with its chain");
      else if (!there || there->digest != head.digest)
        report.problems.push_back({std::nullopt, "backup forked",
                                   "the backup's " + change(head.tx, head.digest) + " is not in the chain of the "
                                   "archive at " + archive_root + ": it is another history"});
      break;
    }
    case HistoryState::forked:
      report.problems.push_back({std::nullopt, "backup forked",
                                 "the backup's history does not hold " +
                                     change(h.remembered.tx, h.remembered.digest) +
                                     " that this machine saw of the archive"});
      break;
    case HistoryState::head_altered:
      break;  // the signed rows check says so
    case HistoryState::replaced:
      break;  // a fresh view folder: not a case
    case HistoryState::unusable:
      report.problems.push_back({std::nullopt, "head record unusable", h.problem});
      break;
  }
}

BackupCheck check_backup(BackupDestination& dest, const ArchivePublicKey& key, const BackupCheckOptions& options,
                         Observer& observer) {
  BackupCheck out;
  OpenedBackup b;
  try {
    b = open_backup(dest, options.generation, observer);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::corrupt) throw;
    out.report.problems.push_back({std::nullopt, "backup damaged", e.what()});
    return out;
  }
  out.generation = b.manifest.generation;
  out.generations = static_cast<int>(b.generations.size());
  out.blobs = static_cast<std::int64_t>(b.manifest.blobs.size());
  if (b.archive_id != key.archive_id)
    fail(ErrorKind::auth, "backup " + dest.name() + " is of archive " + to_hex(b.archive_id) +
                              ", not of archive " + to_hex(key.archive_id) + " that the public key names");

  // Every blob there with its size (from one listing); a sample read.
  std::map<std::string, std::int64_t> there = dest.list("blobs");
  std::vector<std::string> sample;
  for (const auto& blob : b.manifest.blobs) {
    auto it = there.find(blob.path);
    if (it == there.end() || it->second != blob.size) continue;  // named below, against its signed row
    if (options.sample_percent >= 100 ||
        static_cast<int>(randombytes_uniform(10000)) < options.sample_percent * 100)
      sample.push_back(blob.path);
  }
  std::set<std::string> chosen(sample.begin(), sample.end());
  const LocalCopies blobs = local_copies(dest, sample);
  VerifyOptions verify;
  verify.quiet = options.quiet;
  verify.of_backup = true;
  verify.blob_root = blobs.root;
  verify.blob_filter = [&](const DocumentRow& d) { return chosen.count(blob_path_of(d)) > 0; };
  out.report = verify_archive(*b.archive, key, nullptr, verify);
  out.blobs_read = out.report.documents_checked;
  for (const std::string& d : b.damage) out.report.problems.push_back({std::nullopt, "backup damaged", d});
  for (const std::string& g : partial_generations(dest.list("generations")))
    if (g > b.newest)
      out.report.notes.push_back("generation " + g + " at " + dest.name() +
                                 " has no manifest: a backup cut short (the next backup removes it), or its "
                                 "manifest was removed");

  for (const DocumentRow& d : b.archive->index().documents()) {
    if (d.erased()) continue;
    const std::string path = blob_path_of(d);
    auto it = there.find(path);
    if (it != there.end() && it->second == d.blob_size) continue;
    out.report.problems.push_back(
        {d.id, "blob missing from the backup",
         it == there.end() ? dest.name() + "/" + path + " is missing"
         : it->second < 0  ? dest.name() + "/" + path + " is not a regular file"
                           : dest.name() + "/" + path + " has " + std::to_string(it->second) + " bytes, not the " +
                                 std::to_string(d.blob_size) + " its signed row records"});
  }
  check_manifest(b, out.report);
  out.head_tx = b.archive->index().head().tx;
  try {
    check_backup_history(dest, b, key, options.archive_root, out.report);
  } catch (const StateUnusable& e) {
    out.report.problems.push_back({std::nullopt, "head record unusable", e.what()});
  }
  if (out.report.ok()) {
    TransactionRow head = b.archive->index().head();
    try {
      record_backup(dest.identity(), {key.archive_id, head.tx, head.digest, b.manifest.generation, b.manifest.made});
    } catch (const StateUnusable& e) {
      out.report.problems.push_back({std::nullopt, "backup record unusable", e.what()});
    }
  }
  return out;
}

}  // namespace kaappi
