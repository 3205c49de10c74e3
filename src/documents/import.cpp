// import.cpp — see documents.h (import_files).
#include "documents/documents.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <set>
#include <variant>
#include <memory>

#include "documents/document_copies.h"
#include "keys/blob_reader.h"
#include "store/blob_file.h"
#include "base/error.h"
#include "base/file_kind.h"
#include "base/fault.h"
#include "base/observer.h"
#include "base/sync_queue.h"
#include "format/scan_file_name.h"
#include "pdf/pdf_input.h"

namespace kaappi {
namespace {

Fd open_input(const std::string& path, std::uint64_t max_size, std::int64_t& size) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));  // a FIFO must not stall the open
  if (!fd.valid()) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) fail(ErrorKind::not_found, path + " was not stored: no such file");
    struct stat st {};
    if (err == ELOOP && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
      fail(ErrorKind::rejected, path + " was rejected: " + wrong_kind("it", st.st_mode, "a regular file") +
                                    " (following it leads round a loop of links)");
    fail(ErrorKind::rejected, path + " was rejected: cannot open it (" + std::strerror(err) + ")");
  }
  try {
    size = static_cast<std::int64_t>(check_pdf_input(fd.get(), max_size));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::rejected) throw;
    fail(ErrorKind::rejected, path + " was rejected: " + e.message());
  }
  return fd;
}

// A file opened and handed to the PDF helper, ahead of its turn.
struct PreparedInput {
  std::string path;
  Fd fd;
  std::int64_t size = 0;
  std::unique_ptr<ProbeJob> probe;
  std::exception_ptr error;  // open_input() or starting the helper failed
};

PreparedInput prepare_input(ProbeService& probes, const std::string& path, const ImportOptions& options) {
  PreparedInput in;
  in.path = path;
  try {
    in.fd = open_input(path, options.max_size, in.size);
    in.probe = std::make_unique<ProbeJob>(probes, in.fd.get(), path);
  } catch (...) {
    in.error = std::current_exception();
  }
  return in;
}

// A document whose blob is written (and handed to the batch's SyncQueue for
// its fsync) and whose signed row waits for the batch's commit. Its blob is
// placed (named) only once the fsync succeeded, at the end of the batch.
struct Staged {
  ImportOutcome outcome;
  DocumentRow row;
  std::string blob_path;
  std::unique_ptr<AtomicFile> blob;
  size_t position = 0;  // in the batch
};

void remove_blob(const std::string& path) {
  if (::unlink(path.c_str()) == 0) fsync_dir(parent_dir(path));
}

Staged make_staged(Session& session, std::int64_t customer_id, const std::string& kind, const PdfSummary& summary,
                   const BlobDigest& digest, const SecretBuffer& doc_key, const Bytes& uid,
                   const ImportOutcome& outcome, const std::string& blob_path);

// Same content as a document stored earlier, or as another file of this batch
// (then document_id is 0 until the batch is committed).
struct Duplicate {
  ImportOutcome outcome;
  Bytes content_tag;
};

// Encrypts one file into its blob while the PDF helper checks it. Returns a
// duplicate outcome (and no blob) when the customer already has, or this
// batch already holds, the same content. On failure, or when the helper
// refuses the file, nothing of it is left behind: the blob is written to an
// unnamed file in tmp/, which nothing names before the helper accepted the
// file and the batch's intents are recorded. Where the file system has no
// unnamed files, the helper's answer comes first and the blob is written as
// tmp/<uid>.tmp under the intent.
std::variant<Staged, Duplicate> stage_one(Session& session, ScanFiler& filer, PreparedInput& prepared,
                                              const Bytes& uid, const ImportOptions& options,
                                              const std::vector<Staged>& batch,
                                              const std::function<void()>& record_intents,
                                              const std::function<void(std::uint64_t)>& progress) {
  if (prepared.error) std::rethrow_exception(prepared.error);
  const std::string& path = prepared.path;
  ImportOutcome outcome;
  outcome.file = path;
  outcome.size = prepared.size;
  Fd& input = prepared.fd;
  if (::lseek(input.get(), 0, SEEK_SET) < 0) fail_errno("cannot read " + path);

  Archive& archive = session.archive();
  std::string blob_path = archive.blob_path(uid);
  Dir temp_dir = archive.temp_folder();
  std::optional<PdfSummary> summary;
  std::unique_ptr<AtomicFile> blob = AtomicFile::unnamed(temp_dir, 0600, "blob");
  if (!blob) {
    summary = prepared.probe->wait();
    record_intents();  // before the first byte is written
    blob = AtomicFile::named_temp(temp_dir, Archive::temp_blob_name(uid), 0600, "blob");
  }
  SecretBuffer doc_key = new_document_key();
  BlobDigest digest = write_blob(input.get(), *blob, archive.archive_id(), uid, doc_key, options.max_size, progress);
  if (!summary) summary = prepared.probe->wait();  // refused: the unnamed blob goes with `blob`
  outcome.pages = summary->pages;
  const ScanFiling filing = filer.file(summary->json);
  outcome.filed = filed_as(filing);
  const std::int64_t customer_id = filing.customer ? filing.customer->id : 0;  // 0: unassigned
  Bytes tag = session.content_tag(customer_id, digest.content_hash);
  std::optional<std::int64_t> existing;
  std::int64_t twin = 0;  // the document stored beside, none of whose copies has its blob in place
  // Only a document whose blob is in place makes this file a duplicate:
  // when none has, it is stored again, naming one as its twin, and said.
  const DocumentCopies copies(archive, session.index().documents_by_content(customer_id, tag));
  if (const DocumentRow* there = copies.in_place()) {
    existing = there->id;
  } else if (copies.any()) {
    twin = copies.twin();
    outcome.message = copies.stored_again("content");
  }
  for (const auto& other : batch)
    if (other.row.content_tag == tag) existing = 0;  // id known after the commit
  if (existing) {  // the temp file goes with `blob`
    outcome.status = ImportOutcome::Status::duplicate;
    outcome.document_id = *existing;
    outcome.message = "already in the archive as document " + std::to_string(*existing);
    return Duplicate{outcome, tag};
  }
  record_intents();  // before the blob can be named
  Staged staged = make_staged(session, customer_id, filing.kind, *summary, digest, doc_key, uid, outcome, blob_path);
  staged.row.twin_of = twin;
  staged.blob = std::move(blob);
  return staged;
}

Staged make_staged(Session& session, std::int64_t customer_id, const std::string& kind, const PdfSummary& summary,
                   const BlobDigest& digest, const SecretBuffer& doc_key, const Bytes& uid,
                   const ImportOutcome& outcome, const std::string& blob_path) {
  DocumentMeta meta;
  meta.file_name = cleaned_scan_file_name(base_name(outcome.file));
  meta.content_hash = to_hex(digest.content_hash);
  meta.imported_by = session.actor().name;
  meta.summary_json = summary.json;
  Staged staged;
  staged.outcome = outcome;
  staged.outcome.stored_name = meta.file_name;
  staged.blob_path = blob_path;
  staged.row = make_document_row(session, uid, uid, customer_id, kind, summary.pages, digest, doc_key,
                                 seal_document_key(doc_key, session.secrets().box_pk()), meta);
  return staged;
}

ImportOutcome::Status status_of(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::rejected:
      return ImportOutcome::Status::rejected;
    case ErrorKind::not_found:
      return ImportOutcome::Status::not_found;
    case ErrorKind::corrupt:
      return ImportOutcome::Status::refused;
    default:
      return ImportOutcome::Status::failed;
  }
}

ImportOutcome interrupted(const std::string& file) {
  ImportOutcome o;
  o.file = file;
  o.status = ImportOutcome::Status::interrupted;
  o.message = file + " was not stored: the import was interrupted before it";
  return o;
}

}  // namespace

std::vector<ImportOutcome> import_files(Session& session, const std::optional<Customer>& customer,
                                        const std::vector<std::string>& files, const ImportOptions& options) {
  if (!options.kind.empty()) check_document_kind(options.kind);
  ScanFiler filer(session, customer, options.kind);
  std::vector<std::uint64_t> sizes;
  std::uint64_t total = 0;
  for (const auto& file : files) {
    struct stat st {};
    bool regular = ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    sizes.push_back(regular ? static_cast<std::uint64_t>(st.st_size) : 0);
    total += sizes.back();
  }
  // One progress bar for the whole call, by bytes.
  Progress progress(session.archive().observer(),
                    files.size() == 1 ? "importing" : "importing " + std::to_string(files.size()) + " files", total,
                    options.quiet);
  std::uint64_t done_before = 0;
  Archive& archive = session.archive();
  Index& index = archive.index();
  std::vector<ImportOutcome> outcomes;
  // The PDF helper reads the next files while this one is encrypted.
  constexpr size_t k_probes_ahead = 3;
  ProbeService probes(options.limits, k_probes_ahead);
  std::deque<PreparedInput> ahead;
  size_t next_prepared = 0;

  // Group commit: files are taken in batches (at most k_batch_files files or
  // k_batch_bytes bytes). A batch's intents are recorded in one transaction;
  // its blobs are written one after another, each one's fsync running on the
  // sync queue's threads while the next is encrypted; once every fsync of the
  // batch succeeded, the blobs are renamed into place, the touched folders
  // synced (at the same time), and the rows committed in one transaction.
  // Only then is anything reported stored.
  constexpr size_t k_batch_files = 32;
  constexpr std::uint64_t k_batch_bytes = 256ull << 20;
  for (size_t first = 0; first < files.size();) {
    if (options.stop.asked()) {  // what is stored stays stored; the rest is not started
      for (size_t i = first; i < files.size(); ++i) outcomes.push_back(interrupted(files[i]));
      break;
    }
    size_t end = first;
    std::uint64_t batch_bytes = 0;
    while (end < files.size() && end - first < k_batch_files && (end == first || batch_bytes < k_batch_bytes))
      batch_bytes += sizes[end++];
    std::vector<Bytes> uids;
    for (size_t i = first; i < end; ++i) uids.push_back(random_bytes(k_uid_size));
    // Intents are recorded when the batch's first file passed the PDF
    // helper, so a call whose files are all rejected changes nothing.
    bool intents_recorded = false;
    auto record_intents = [&] {
      if (intents_recorded) return;
      index.add_pending(uids, session.now());
      intents_recorded = true;
      fault::point("import.intent");
    };

    std::vector<Staged> staged;
    SyncQueue syncs;  // after `staged`: it is gone (its tasks done) before the blobs its tasks sync
    std::vector<std::pair<size_t, ImportOutcome>> other;  // by position in the batch
    std::vector<std::pair<size_t, Bytes>> batch_duplicates;  // positions in `other`, content tags
    for (size_t i = first; i < end; ++i) {
      if (options.stop.asked()) {  // the batch ends here and is committed
        end = i;
        break;
      }
      while (ahead.size() < k_probes_ahead && next_prepared < files.size())
        ahead.push_back(prepare_input(probes, files[next_prepared++], options));
      PreparedInput prepared = std::move(ahead.front());
      ahead.pop_front();
      try {
        auto result = stage_one(session, filer, prepared, uids[i - first], options, staged, record_intents,
                                [&](std::uint64_t done) { progress.update(done_before + done); });
        if (auto* s = std::get_if<Staged>(&result)) {
          s->position = i - first;
          staged.push_back(std::move(*s));
          syncs.add([blob = staged.back().blob.get()] { blob->sync(); });
        } else {
          auto& dup = std::get<Duplicate>(result);
          if (dup.outcome.document_id == 0) batch_duplicates.emplace_back(other.size(), dup.content_tag);
          other.emplace_back(i - first, dup.outcome);
        }
      } catch (const Error& e) {
        // A signal that cancels the import may also have stopped this file's PDF helper.
        ImportOutcome o = interrupted(files[i]);
        if (!options.stop.asked()) {
          o.status = status_of(e);
          o.message = e.message();
        }
        other.emplace_back(i - first, o);
      }
      done_before += sizes[i];
      progress.update(done_before);
    }

    if (!intents_recorded) {  // every file was refused before anything was written
      for (auto& [pos, o] : other) outcomes.push_back(o);
      first = end;
      continue;
    }
    // Every blob of the batch durable, then named: a file whose fsync or
    // rename failed is not stored, and the others go on.
    {
      const std::vector<std::exception_ptr> synced = syncs.wait();
      std::vector<Staged> placed;
      for (size_t k = 0; k < staged.size(); ++k) {
        Staged& s = staged[k];
        try {
          if (synced[k]) std::rethrow_exception(synced[k]);
          s.blob->place(archive.blob_folder(s.row.uid), Archive::blob_name(s.row.uid));
          placed.push_back(std::move(s));
        } catch (const Error& e) {
          if (s.blob->in_place()) remove_blob(s.blob_path);  // its intent is dropped with the batch's
          s.outcome.status = status_of(e);
          s.outcome.message = e.message();
          other.emplace_back(s.position, s.outcome);
        }
      }
      staged = std::move(placed);
      for (auto& [k, tag] : batch_duplicates) {  // a copy of a file whose blob could not be made durable
        bool original_placed = false;
        for (const auto& st : staged) original_placed = original_placed || st.row.content_tag == tag;
        if (original_placed) continue;
        other[k].second.status = ImportOutcome::Status::failed;
        other[k].second.message = other[k].second.file + " was not stored: the file of the same content before it "
                                                         "could not be written";
      }
    }
    try {
      // The folders the batch's blobs were renamed into, synced at the same time.
      std::set<std::string> folders;
      for (const auto& s : staged) folders.insert(parent_dir(s.blob_path));
      for (const auto& folder : folders) syncs.add([folder] { fsync_dir(folder); });
      for (const std::exception_ptr& error : syncs.wait())
        if (error) std::rethrow_exception(error);
      fault::point("blob.dirsync");
      std::optional<Message> after_commit;  // the batch is saved, but what followed its commit failed
      try {
        session.write([&](Index::Writer& writer) {
          for (auto& s : staged) writer.insert_document(s.row);
          index.remove_pending(uids);
        });
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::partial) throw;
        after_commit = e.message();
      }
      for (auto& s : staged) {
        s.outcome.status = ImportOutcome::Status::stored;
        s.outcome.document_id = s.row.id;
        s.outcome.size = s.row.plain_size;
        if (after_commit) {
          s.outcome.message = *after_commit;
          s.outcome.done_in_part = true;
        }
      }
      for (auto& [k, tag] : batch_duplicates)
        for (const auto& s : staged)
          if (s.row.content_tag == tag) {
            other[k].second.document_id = s.row.id;
            other[k].second.message = "same content as " + s.outcome.file + ", stored as document " + std::to_string(s.row.id);
          }
    } catch (const Error& e) {
      // Nothing of this batch was committed: take its blobs and intents back.
      for (auto& s : staged) {
        remove_blob(s.blob_path);
        s.outcome.status = status_of(e);
        s.outcome.message = e.message();
      }
      for (auto& [k, tag] : batch_duplicates) {  // their original was not stored either
        other[k].second.status = status_of(e);
        other[k].second.message = e.message();
      }
      index.remove_pending(uids);
    }
    // Outcomes in the order the files were given.
    std::vector<std::optional<ImportOutcome>> ordered(end - first);
    for (auto& [pos, o] : other) ordered[pos] = o;
    for (auto& st : staged) ordered[st.position] = st.outcome;
    for (auto& o : ordered) outcomes.push_back(*o);
    first = end;
  }
  return outcomes;
}

}  // namespace kaappi
