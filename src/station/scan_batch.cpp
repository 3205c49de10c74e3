// scan_batch.cpp — sealing scans in batches (seal_scans, and seal_scan as a
// batch of one; see scan_station.h): the PDF helper ahead, the envelopes'
// fsyncs side by side, one inbox fsync and one fsync of each folder a batch
// puts scans away from or into. Runs on the calling thread, apart from the
// envelopes' fsyncs (base/sync_queue.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>

#include "base/error.h"
#include "base/fault.h"
#include "base/file_kind.h"
#include "base/file_io.h"
#include "base/sync_queue.h"
#include "format/scan_file_name.h"
#include "pdf/pdf_input.h"
#include "station/scan_station.h"

namespace kaappi {
namespace {

// At most this many files, or about this many bytes, in one batch (as import).
constexpr std::size_t k_batch_files = 32;
constexpr std::uint64_t k_batch_bytes = 256ull << 20;

// Refused: the file named cannot be opened (errno says why).
ScanOutcome not_opened(const std::string& file) {
  ScanOutcome out;
  out.file = file;
  const bool missing = errno == ENOENT || errno == ENOTDIR;
  out.status = missing ? ScanOutcome::Status::not_found : ScanOutcome::Status::refused;
  out.message = missing         ? std::string("file not found")
                : errno == ELOOP ? wrong_kind("it", S_IFLNK, "a regular file") + " (the link was not followed)"
                                 : std::string("cannot open it: ") + std::strerror(errno);
  return out;
}

bool same_version(const struct stat& a, const struct stat& b) {
  return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

// One file of a batch, from its opening to its result.
struct Item {
  std::string file;  // as named, for messages
  std::string name;  // in its folder
  std::optional<Dir> own_folder;  // held here for a file named by path
  const Dir* folder = nullptr;
  Fd fd;
  struct stat st {};  // as opened, before it was read
  std::unique_ptr<ProbeJob> probe;
  std::optional<StagedEnvelope> envelope;  // written, then synced and named
  std::int64_t pages = 0;
  std::string sealed_name;
  ScanResult result;
  bool finished = false;  // result is final (refused, failed, changed, put away)

  void refuse(const std::string& message) {
    result.outcome.status = ScanOutcome::Status::refused;
    result.outcome.message = message;
    finished = true;
  }
  // As seal_scan: an input refused is said as refused, anything else thrown.
  void fail_with(const Error& e) {
    if (e.kind() == ErrorKind::rejected) return refuse(e.what());
    result.failure = e;
    finished = true;
  }
};

// Opens a file, checks it as import does and hands it to the PDF helper:
// ahead of its turn, while other files are sealed.
void open_item(Item& item, ProbeService& probes, const StationOptions& options) {
  item.result.outcome.file = item.file;
  try {
    if (item.folder == nullptr) {  // named by path
      item.fd = Fd(::open(item.file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));  // a FIFO must not stall the open
      if (!item.fd.valid()) {
        item.result.outcome = not_opened(item.file);
        item.finished = true;
        return;
      }
      try {
        item.own_folder = Dir::named(parent_dir(item.file));
      } catch (const Error& e) {  // as seal_scan throws it, refused or not
        item.result.failure = e;
        item.finished = true;
        return;
      }
      item.folder = &*item.own_folder;
    }
    if (::fstat(item.fd.get(), &item.st) != 0) fail_errno("cannot read " + item.file);
    try {
      check_pdf_input(item.fd.get(), options.max_size);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::rejected) throw;
      item.result.outcome.message = e.message();
      item.finished = true;
      return;
    }
    item.probe = std::make_unique<ProbeJob>(probes, item.fd.get(), item.name);
  } catch (const Error& e) {
    item.fail_with(e);
  }
}

// Waits for the helper's summary and writes the envelope (not yet durable).
void write_item(Item& item, const StationKey& station, const StationOptions& options, std::optional<Dir>& inbox) {
  if (item.finished) return;
  // Opened ahead of its turn: a name gone since (the same file named twice,
  // put away by then) is not found, as it would have been when opened now.
  struct stat named {};
  if (::fstatat(item.folder->fd(), item.name.c_str(), &named, AT_SYMLINK_NOFOLLOW) != 0 &&
      (errno == ENOENT || errno == ENOTDIR)) {
    item.result.outcome = not_opened(item.file);
    item.finished = true;
    item.probe.reset();
    return;
  }
  try {
    PdfSummary summary = item.probe->wait();
    item.probe.reset();
    if (::lseek(item.fd.get(), 0, SEEK_SET) != 0) fail_errno("cannot read " + item.file);
    EnvelopeMeta meta;
    meta.file_name = cleaned_scan_file_name(item.name);  // a name ingest would refuse is never sealed
    meta.pages = summary.pages;
    meta.scanned_at = static_cast<std::int64_t>(item.st.st_mtime);
    meta.station = station.name();
    meta.pdf_json = summary_without_forms(summary.json);
    if (!inbox) inbox = Dir::open(options.inbox);  // never through a link planted as the inbox
    item.envelope = stage_envelope(item.fd.get(), *inbox, options.archive, station, meta, options.max_size);
    item.pages = summary.pages;
    item.sealed_name = meta.file_name;
  } catch (const Error& e) {
    item.fail_with(e);
  }
}

// An envelope that will not be relied on: removed (a named one from the
// inbox; the caller fsyncs the inbox), its file not sealed.
void drop_envelope(Item& item, const Dir& inbox) {
  if (item.envelope && item.envelope->file->in_place()) inbox.remove(item.envelope->name);
  item.envelope.reset();
}

// Whether the file was changed while it was sealed, or its name now holds
// another: then its envelope must not stand for it. A file still being
// written is not taken half: the envelope must hold the file as it was
// probed, and nothing written since; and its name must still hold that
// file, or removing it would remove another version.
std::optional<std::string> changed_while_sealed(const Item& item) {
  struct stat after {}, named {};
  const bool read_after = ::fstat(item.fd.get(), &after) == 0;
  const bool replaced = ::fstatat(item.folder->fd(), item.name.c_str(), &named, AT_SYMLINK_NOFOLLOW) != 0 ||
                        named.st_ino != item.st.st_ino || named.st_dev != item.st.st_dev;
  if (replaced) return "it was replaced or moved while it was being sealed";
  if (!read_after || !same_version(item.st, after)) return "it changed while it was being sealed";
  return std::nullopt;
}

// Runs each sync in `syncs` on the queue's threads; each one's error, in order.
std::vector<std::exception_ptr> sync_all(SyncQueue& queue, const std::vector<std::function<void()>>& syncs) {
  for (const auto& sync : syncs) queue.add(sync);
  return queue.wait();
}

// Steps 3 and 4 of seal_scans for the files of a batch that were written.
void finish_batch(const std::vector<Item*>& items, SyncQueue& syncs, std::optional<Dir>& inbox,
                  const StationOptions& options) {
  std::vector<Item*> written;
  for (Item* item : items)
    if (!item->finished && item->envelope) written.push_back(item);
  if (written.empty()) return;
  // 3. Every envelope durable, then named; then the inbox fsynced, once.
  const std::vector<std::exception_ptr> synced = syncs.wait();
  std::vector<Item*> placed;
  for (std::size_t k = 0; k < written.size(); ++k) {
    Item& item = *written[k];
    try {
      if (synced[k]) std::rethrow_exception(synced[k]);
      item.envelope->file->place(*inbox, item.envelope->name);
      placed.push_back(&item);
    } catch (const Error& e) {
      drop_envelope(item, *inbox);  // not durable: a scan not sealed leaves no envelope
      item.fail_with(e);
    }
  }
  if (placed.empty()) return;
  try {
    inbox->sync();
    fault::point("envelope.dirsync");
  } catch (const Error& e) {
    for (Item* item : placed) {
      drop_envelope(*item, *inbox);
      item->fail_with(e);
    }
    return;
  }
  // 4. Only now may a plaintext go: each file checked, then put away.
  std::vector<Item*> changed;
  for (Item* item : placed) {
    ScanOutcome& out = item->result.outcome;
    out.envelope = inbox->path_of(item->envelope->name);
    if (auto why = changed_while_sealed(*item)) {
      drop_envelope(*item, *inbox);
      out.envelope.clear();
      out.status = ScanOutcome::Status::changed;
      out.message = *why;
      item->finished = true;
      changed.push_back(item);
    }
  }
  if (!changed.empty()) {
    try {
      inbox->sync();
    } catch (const Error& e) {
      for (Item* item : changed) item->result.failure = e;
    }
  }
  // The envelope is complete and durable; from here on the file is sealed,
  // whatever fails: it is never reported as not sealed (and so never sealed
  // again).
  std::vector<Item*> put_away;
  for (Item* item : placed) {
    if (item->finished) continue;
    ScanOutcome& out = item->result.outcome;
    out.status = ScanOutcome::Status::sealed;
    out.version = version_of(item->st);
    out.sealed_name = item->sealed_name;
    out.pages = item->pages;
    item->finished = true;
    try {
      put_away_sealed(options, *item->folder, item->name, out.version, DirSync::deferred);
      put_away.push_back(item);
    } catch (const Error& e) {
      out.status = ScanOutcome::Status::left_in_place;
      out.message = e.message();
    }
  }
  if (put_away.empty()) return;
  // The folders the scans left (each once, however named) and the keep
  // folder, fsynced side by side; a scan whose folder could not be synced
  // is said to be still there, as put_away_sealed says it.
  std::vector<const Dir*> folders;
  std::vector<std::vector<Item*>> from;
  for (Item* item : put_away) {
    struct stat here {};
    ::fstat(item->folder->fd(), &here);
    std::size_t f = 0;
    for (; f < folders.size(); ++f) {
      struct stat there {};
      ::fstat(folders[f]->fd(), &there);
      if (there.st_dev == here.st_dev && there.st_ino == here.st_ino) break;
    }
    if (f == folders.size()) {
      folders.push_back(item->folder);
      from.emplace_back();
    }
    from[f].push_back(item);
  }
  std::optional<Dir> keep;
  std::vector<std::function<void()>> tasks;
  try {
    if (!options.keep_dir.empty()) keep = Dir::open(options.keep_dir);
  } catch (const Error& e) {
    for (Item* item : put_away) {
      item->result.outcome.status = ScanOutcome::Status::left_in_place;
      item->result.outcome.message = e.message();
    }
    return;
  }
  if (keep) tasks.push_back([&keep] { keep->sync(); });
  for (const Dir* folder : folders) tasks.push_back([folder] { folder->sync(); });
  const std::vector<std::exception_ptr> errors = sync_all(syncs, tasks);
  auto left = [](Item* item, const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const Error& e) {
      item->result.outcome.status = ScanOutcome::Status::left_in_place;
      item->result.outcome.message = e.message();
    }
  };
  std::size_t t = 0;
  if (keep && errors[t++])
    for (Item* item : put_away) left(item, errors[0]);
  for (std::size_t f = 0; f < folders.size(); ++f, ++t)
    if (errors[t])
      for (Item* item : from[f]) left(item, errors[t]);
}

// Seals `items` (opened by open_item, or to be) as seal_scans says; calls
// `done` for each, in order. Returns how many were done (the rest were not
// started: stop was asked).
std::size_t seal_items(std::deque<Item>& pending, ProbeService& probes, const StationKey& station,
                       const StationOptions& options, StopRequest stop,
                       const std::function<void(const ScanResult&)>& done) {
  // The PDF helper reads the next files while this one is sealed.
  const std::size_t ahead = std::max<std::size_t>(1, probes.servers());
  const std::size_t total = pending.size();
  std::size_t opened = 0, given = 0;
  auto open_ahead = [&](std::size_t started) {
    while (opened < total && opened < started + ahead) open_item(pending[opened++], probes, options);
  };
  while (given < total) {
    if (stop.asked()) break;
    std::uint64_t batch_bytes = 0;
    std::optional<Dir> inbox;
    // The batch's files stay where they are in `pending` (a deque of fixed
    // size: never moved), which outlives `syncs` and so every task of it.
    std::vector<Item*> items;
    SyncQueue syncs;
    while (given + items.size() < total && items.size() < k_batch_files &&
           (items.empty() || batch_bytes < k_batch_bytes)) {
      if (!items.empty() && stop.asked()) break;  // the batch ends here; what was started is finished
      const std::size_t at = given + items.size();
      open_ahead(at);
      Item& item = pending[at];
      // A file already in this batch (named twice, or by another link) waits
      // for the next: it is sealed once, then found gone, as one by one.
      if (!items.empty() && !item.finished && std::any_of(items.begin(), items.end(), [&](const Item* other) {
            return !other->finished && other->st.st_dev == item.st.st_dev && other->st.st_ino == item.st.st_ino;
          }))
        break;
      items.push_back(&item);
      write_item(item, station, options, inbox);
      if (!item.finished && item.envelope) {
        batch_bytes += static_cast<std::uint64_t>(item.st.st_size);
        syncs.add([file = item.envelope->file.get()] { file->sync(); });
      }
    }
    finish_batch(items, syncs, inbox, options);
    syncs.wait();  // nothing of the batch is synced after this
    for (Item* item : items) {
      done(item->result);
      *item = Item{};  // its descriptors closed, its envelope file let go
    }
    given += items.size();
  }
  return given;
}

}  // namespace

std::size_t seal_scans(ProbeService& probes, const StationKey& station, const StationOptions& options,
                       const std::vector<std::string>& files, StopRequest stop,
                       const std::function<void(const ScanResult&)>& done) {
  std::deque<Item> pending(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    pending[i].file = files[i];
    pending[i].name = base_name(files[i]);
  }
  return seal_items(pending, probes, station, options, stop, done);
}

namespace {

ScanOutcome seal_one(std::deque<Item>& pending, ProbeService& probes, const StationKey& station,
                     const StationOptions& options) {
  ScanResult result;
  seal_items(pending, probes, station, options, StopRequest{}, [&](const ScanResult& r) { result = r; });
  if (result.failure) throw *result.failure;
  return result.outcome;
}

}  // namespace

ScanOutcome seal_scan(ProbeService& probes, const StationKey& station, const StationOptions& options,
                      const Dir& folder, const std::string& name) {
  std::deque<Item> pending(1);
  Item& item = pending.front();
  item.file = folder.path_of(name);
  item.name = name;
  item.folder = &folder;
  item.result.outcome.file = item.file;
  item.fd = folder.open_file(name, O_RDONLY | O_NONBLOCK);  // a FIFO must not stall the open
  if (!item.fd.valid()) return not_opened(item.file);
  return seal_one(pending, probes, station, options);
}

ScanOutcome seal_scan(ProbeService& probes, const StationKey& station, const StationOptions& options,
                      const std::string& file) {
  std::deque<Item> pending(1);
  pending.front().file = file;
  pending.front().name = base_name(file);
  return seal_one(pending, probes, station, options);
}

}  // namespace kaappi
