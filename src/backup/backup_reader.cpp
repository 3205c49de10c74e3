// backup_reader.cpp — see backup_reader.h.
#include "backup/backup_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
  b.generations = whole_generations(dest.list("generations"));
  if (b.generations.empty())
    fail(ErrorKind::not_found, "backup " + dest.name() + " holds no whole generation (no backup to it has finished)");
  std::string chosen = generation.empty() ? b.generations.back() : generation;
  if (std::find(b.generations.begin(), b.generations.end(), chosen) == b.generations.end())
    fail(ErrorKind::not_found, "backup " + dest.name() + " has no whole generation '" + chosen +
                                   "'; it has " + b.generations.front() + " to " + b.generations.back());
  const std::string where = dest.name() + "/" + generation_manifest_path(chosen);
  std::optional<Bytes> text = dest.read(generation_manifest_path(chosen), k_max_manifest);
  if (!text) fail(ErrorKind::corrupt, where + " disappeared while it was read");
  b.manifest = parse_manifest(*text, where);
  if (b.manifest.generation != chosen)
    fail(ErrorKind::corrupt, where + " names generation " + b.manifest.generation + ", not its own folder's");
  if (b.manifest.archive_id != b.archive_id)
    fail(ErrorKind::corrupt, where + " names archive " + to_hex(b.manifest.archive_id) + ", not archive " +
                                 to_hex(b.archive_id) + " that the backup's " + k_backup_marker + " names");
  b.view = std::make_unique<TempFolder>("kaappi-backup");
  const std::string index = b.view->path_of("index.sqlite");
  dest.fetch(generation_index_path(chosen), index);
  auto [sha, size] = hash_local(index);
  if (size != b.manifest.index_size || sha != b.manifest.index_sha256)
    fail(ErrorKind::corrupt, "the index of backup generation " + chosen + " at " + dest.name() +
                                 " is not the one its manifest names (" + std::to_string(size) + " bytes, " +
                                 std::to_string(b.manifest.index_size) + " listed, or another SHA-256): it was "
                                 "altered or cut short");
  Fd lock(::open(b.view->path_of("lock").c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!lock.valid()) fail_errno("cannot prepare " + b.view->path());
  b.archive = std::make_unique<Archive>(b.view->path(), Access::read, SchemaPolicy::report, observer);
  return b;
}

}  // namespace kaappi
