// backup_reader.cpp — see backup_reader.h.
#include "backup/backup_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

#include "base/error.h"
#include "base/file_io.h"
#include "base/sha256.h"

namespace kaappi {
namespace {

constexpr std::size_t k_max_manifest = std::size_t{1} << 30;  // ~6 million blobs

// SHA-256 and size of the local file `path`.
std::pair<Bytes, std::int64_t> hash_local(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) fail_errno("cannot read " + path);
  Sha256 h;
  std::vector<std::uint8_t> buf(std::size_t{1} << 20);
  std::int64_t total = 0;
  for (;;) {
    std::size_t got = read_full(fd.get(), buf.data(), buf.size(), path);
    if (got == 0) break;
    h.add(ByteView(buf.data(), got));
    total += static_cast<std::int64_t>(got);
  }
  Sha256Digest d = h.finish();
  return {Bytes(d.begin(), d.end()), total};
}

}  // namespace

std::optional<Bytes> backup_archive_id(BackupDestination& dest) {
  std::optional<Bytes> marker = dest.read(k_backup_marker, 4096);
  if (!marker) return std::nullopt;
  return parse_marker(*marker, dest.name() + "/" + k_backup_marker);
}

OpenedBackup open_backup(BackupDestination& dest, const std::string& generation, Observer& observer) {
  OpenedBackup b;
  std::optional<Bytes> id = backup_archive_id(dest);
  if (!id)
    fail(ErrorKind::not_found, dest.name() + " is not a kaappi backup (it has no " + std::string(k_backup_marker) +
                                   " file)");
  b.archive_id = *id;
  const std::map<std::string, std::int64_t> listing = dest.list("generations");
  b.generations = whole_generations(listing);
  for (const auto& [path, size] : listing)
    if (size < 0) b.damage.push_back(dest.name() + "/" + path + " is not a regular file (nor a folder)");
  if (b.generations.empty())
    fail(ErrorKind::not_found, "backup " + dest.name() + " holds no whole generation (no backup to it has finished)");
  // Every whole generation's manifest, for the change it claims: the newest
  // is the one holding the latest change (its index then shows whether the
  // claim holds), whatever the folder names say; names that do not follow
  // the changes were renamed or planted.
  std::map<std::string, BackupManifest> manifests;
  for (const std::string& g : b.generations) {
    const std::string where = dest.name() + "/" + generation_manifest_path(g);
    std::optional<Bytes> text = dest.read(generation_manifest_path(g), k_max_manifest);
    if (!text) fail(ErrorKind::corrupt, where + " disappeared while it was read");
    BackupManifest m = parse_manifest(*text, where);
    if (m.generation != g)
      fail(ErrorKind::corrupt, where + " names generation " + m.generation + ", not its own folder's");
    if (m.archive_id != b.archive_id)
      fail(ErrorKind::corrupt, where + " names archive " + to_hex(m.archive_id) + ", not archive " +
                                   to_hex(b.archive_id) + " that the backup's " + k_backup_marker + " names");
    manifests.emplace(g, std::move(m));
  }
  std::string newest = b.generations.front();
  for (std::size_t i = 0; i < b.generations.size(); ++i) {
    const BackupManifest& m = manifests.at(b.generations[i]);
    if (m.head_tx >= manifests.at(newest).head_tx) newest = b.generations[i];
    if (i > 0 && m.head_tx < manifests.at(b.generations[i - 1]).head_tx)
      b.damage.push_back("generation " + b.generations[i] + " holds change " + std::to_string(m.head_tx) +
                         ", older than generation " + b.generations[i - 1] + " named before it (change " +
                         std::to_string(manifests.at(b.generations[i - 1]).head_tx) +
                         "): generations were renamed or planted");
  }
  b.newest = newest;
  const std::string chosen = generation.empty() ? newest : generation;
  if (!manifests.count(chosen))
    fail(ErrorKind::not_found, "backup " + dest.name() + " has no whole generation '" + chosen +
                                   "'; it has " + b.generations.front() + " to " + b.generations.back());
  b.manifest = manifests.at(chosen);
  // The index: its listed size first (a huge file is not fetched), then its bytes.
  const std::string index_rel = generation_index_path(chosen);
  auto listed = listing.find(index_rel);
  if (listed == listing.end())
    fail(ErrorKind::corrupt, "the index of backup generation " + chosen + " at " + dest.name() + " is missing");
  if (listed->second != b.manifest.index_size)
    fail(ErrorKind::corrupt, "the index of backup generation " + chosen + " at " + dest.name() + " has " +
                                 std::to_string(listed->second) + " bytes, not the " +
                                 std::to_string(b.manifest.index_size) + " its manifest names: it was altered or "
                                 "cut short");
  b.view = std::make_unique<TempFolder>("kaappi-backup");
  const std::string index = b.view->path_of("index.sqlite");
  dest.fetch(index_rel, index);
  auto [sha, size] = hash_local(index);
  if (size != b.manifest.index_size || sha != b.manifest.index_sha256)
    fail(ErrorKind::corrupt, "the index of backup generation " + chosen + " at " + dest.name() +
                                 " is not the one its manifest names (another SHA-256): it was altered");
  Fd lock(::open(b.view->path_of("lock").c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!lock.valid()) fail_errno("cannot prepare " + b.view->path());
  b.archive = std::make_unique<Archive>(b.view->path(), Access::read, SchemaPolicy::report, observer);
  // One history: every other generation's change is in this one's chain (or
  // was given up by a signed restore row in it).
  try {
    Index& index = b.archive->index();
    for (const auto& [g, m] : manifests) {
      if (g == chosen || m.head_tx > b.manifest.head_tx) continue;
      std::optional<TransactionRow> t = index.transaction(m.head_tx);
      if ((t && t->digest == m.head_digest) || restore_gives_up(index, m.head_tx, m.head_digest)) continue;
      b.damage.push_back("generation " + g + " holds change " + std::to_string(m.head_tx) + " (digest " +
                         to_hex(m.head_digest).substr(0, 8) + "…), which is not in the history of generation " +
                         chosen + ": the backup holds two histories of the archive");
    }
  } catch (const Error&) {
    // an index that cannot be read is what its check reports
  }
  return b;
}

bool restore_gives_up(Index& index, std::int64_t tx, const Bytes& digest) {
  bool given_up = false;
  index.each<RestoreRow>(
      [&](const RestoreRow& r) {
        if ((r.lost_tx == tx && r.lost_digest == digest) || r.lost_tx > tx) given_up = true;
      },
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  return given_up;
}

}  // namespace kaappi
