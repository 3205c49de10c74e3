// ingest.cpp — see ingest.h.
#include "intake/ingest.h"

#include <sys/mman.h>
#include <unistd.h>

#include <deque>
#include <memory>
#include <set>

#include "format/blob_format.h"
#include "register/customers.h"
#include "documents/document_copies.h"
#include "documents/documents.h"
#include "forms/scan_filing.h"
#include "intake/envelope_blob.h"
#include "intake/envelope_removal.h"
#include "intake/ingest_endings.h"
#include "base/error.h"
#include "base/fault.h"
#include "base/file_version.h"
#include "base/file_io.h"
#include "base/rejected_folder.h"
#include "base/sync_queue.h"
#include "pdf/pdf_probe.h"

namespace kaappi {
namespace {

// One ingest run, in batches as import's (documents/import.cpp). Envelopes
// are taken in inbox order; up to k_ahead of them have their blob copied into
// an unnamed file in tmp/ and decrypted, and are being read by the PDF
// helper, while an earlier one is decided. An accepted envelope joins the
// batch, its blob's fsync handed to the batch's SyncQueue. A batch (at most
// k_batch_files envelopes or k_batch_bytes of blobs) ends with its intents
// recorded, every fsync waited for, the blobs named in blobs/, their folders
// synced side by side, and one signed transaction for all its documents; only
// then are its envelopes removed (the inbox synced once) and anything
// reported stored.
class Intake {
 public:
  Intake(Session& session, const IngestOptions& options, std::optional<Customer> given)
      : m_session(session), m_options(options), m_filer(session, std::move(given), options.kind) {}

  IngestReport run() {
    m_inbox.emplace(open_inbox(m_options.inbox));
    const std::vector<std::string> envelopes = inbox_envelopes(*m_inbox);
    // A write the archive would refuse is refused before any envelope is
    // moved: the inbox stays as it was too.
    if (!envelopes.empty()) m_session.check_writable();
    size_t next = 0;
    try {
      while (!m_options.stop.asked() && (next < envelopes.size() || !m_ahead.empty())) {
        m_batch.emplace();
        while (m_batch->open()) {
          while (m_ahead.size() < k_ahead && next < envelopes.size() && !m_options.stop.asked())
            start(envelopes[next++]);
          if (m_ahead.empty() || m_options.stop.asked()) break;  // asked to stop: the batch ends here, committed
          finish_next();
        }
        commit_batch();
        m_batch.reset();
      }
      if (m_options.stop.asked()) leave_the_rest(envelopes, next);
    } catch (const Error& e) {
      end_on_failure(e, envelopes, next);
    } catch (...) {
      for (Taken& t : m_ahead) drop_blob(t);
      if (m_batch) take_back(*m_batch);
      m_removal.finish();
      throw;
    }
    m_removal.finish();
    return IngestReport{std::move(m_outcomes), std::move(m_failure)};
  }

 private:
  static constexpr size_t k_ahead = 3;
  static constexpr size_t k_batch_files = 32;
  static constexpr std::uint64_t k_batch_bytes = 256ull << 20;

  // An envelope whose blob is copied into a file not yet named and whose
  // decrypted scan the PDF helper is reading.
  struct Taken {
    size_t slot = 0;  // in m_outcomes
    EnvelopeInfo info;
    Bytes uid;  // the document uid the archive chose: its blob's name (the envelope's uid becomes its blob_uid)
    std::unique_ptr<AtomicFile> blob;  // unnamed in tmp/; or tmp/<uid>.tmp under an intent of its own
    bool own_intent = false;
    BlobDigest digest;
    SecretBuffer document_key;  // opened from the envelope's sealed key
    Fd plain;
    std::unique_ptr<ProbeJob> probe;
  };

  // An accepted envelope: its blob's fsync is on the batch's queue, its row
  // waits for the batch's commit.
  struct Staged {
    size_t slot = 0;
    std::string path;  // the envelope, removed after the commit
    FileVersion version;  // of the envelope read: only that file is removed
    DocumentRow row;
    std::unique_ptr<AtomicFile> blob;
    bool own_intent = false;
    std::string note;  // said with the outcome
  };

  // A duplicate whose envelope is removed with the batch's: of a document
  // (then `of` is empty), or of an envelope staged in this batch (its
  // document id known after the commit).
  struct Leaving {
    size_t slot = 0;
    std::string path;
    FileVersion version;  // of the envelope read: only that file is removed
    std::optional<size_t> of;  // in staged
    bool same_blob = false, assigned = false;  // for the message, when `of`
  };

  struct Batch {
    Batch() {}  // declared: the enclosing class is incomplete where it is made (clang)
    size_t envelopes = 0;
    std::uint64_t bytes = 0;
    std::vector<Staged> staged;
    std::vector<Leaving> leaving;
    bool intents = false;  // the staged blobs' intents are recorded
    bool staged_committed = false;  // their rows are saved: never taken back
    SyncQueue syncs;  // after `staged`: gone (its tasks done) before the blobs its tasks sync
    bool open() const { return envelopes < k_batch_files && (envelopes == 0 || bytes < k_batch_bytes); }
  };

  IngestOutcome& out(size_t slot) { return m_outcomes[slot]; }

  // The envelopes read ahead: their slots, in order.
  std::vector<size_t> ahead_slots() const {
    std::vector<size_t> slots;
    for (const Taken& t : m_ahead) slots.push_back(t.slot);
    return slots;
  }

  // Asked to stop: the envelopes read ahead are taken back (their blobs and
  // intents), and they and those not started stay in the inbox as they are
  // (intake/ingest_endings.h).
  void leave_the_rest(const std::vector<std::string>& envelopes, size_t next) {
    for (Taken& t : m_ahead) drop_blob(t);
    mark_interrupted(m_outcomes, UndecidedEnvelopes{ahead_slots(), envelopes, next});
    m_ahead.clear();
  }

  // An error in the batch being made or committed: it is taken back (its
  // blobs and intents; the archive is as it was before it), and no envelope
  // is started after it. Its envelopes are reported failed, those read ahead
  // or not started left (intake/ingest_endings.h); every one of them stays in
  // the inbox as it was. The batches committed before it stay stored, as they
  // were reported.
  void end_on_failure(const Error& e, const std::vector<std::string>& envelopes, size_t next) {
    Message why = e.message();
    try {
      for (Taken& t : m_ahead) drop_blob(t);
      if (m_batch) take_back(*m_batch);
    } catch (const Error& also) {
      why += Message("; taking the batch back failed too (") + also.message() +
             Message("): run kaappi recover once that is fixed");
    }
    m_failure.emplace(e.kind(), why);
    std::vector<size_t> batch;
    if (m_batch && !m_batch->staged_committed) {
      for (const Staged& st : m_batch->staged) batch.push_back(st.slot);
      for (const Leaving& l : m_batch->leaving) batch.push_back(l.slot);
    }
    mark_failed_batch(m_outcomes, batch, m_current, UndecidedEnvelopes{ahead_slots(), envelopes, next});
    m_ahead.clear();
    m_batch.reset();
  }

  // Still being written (or it changed while it was read): left in the inbox
  // as it is, for a later ingest, neither taken in nor refused.
  void wait(size_t slot, const std::string& why) {
    IngestOutcome& o = out(slot);
    o.status = IngestOutcome::Status::waiting;
    o.document_id = 0;
    o.message = "still being written (" + why + "); left in the inbox as it is for a later ingest";
  }

  // Why an envelope that failed a check is waited for rather than refused,
  // or empty when it is refused: it looks unfinished and was modified within
  // the grace (inbox.h), or it changed since it was opened.
  static std::string why_wait(const EnvelopeInfo& info) {
    if (info.being_written)
      return "it is not yet a whole envelope and was modified less than " + std::to_string(k_still_written_seconds) +
             " seconds ago";
    if (info.fd.valid() && envelope_changed(info)) return "it changed while it was read";
    return "";
  }

  // Sets a refused envelope aside in INBOX/rejected/ with its reason
  // (base/rejected_folder.h: whatever the entry is, it is moved as it is,
  // never through a link). When that cannot be done — rejected/ is a link, a
  // file, another user's — the envelope stays in the inbox as it was, and
  // the others are still taken in.
  void reject(size_t slot, const std::string& path, const std::string& reason) {
    IngestOutcome& o = out(slot);
    o.status = IngestOutcome::Status::rejected;
    try {
      if (!m_rejected) m_rejected.emplace(open_rejected_folder(*m_inbox));
      o.moved_to = "rejected/" + set_aside(*m_inbox, *m_rejected, base_name(path), reason);
      o.message = reason + "; moved to " + o.moved_to;
    } catch (const Error& e) {
      o.message = reason + "; left in the inbox as it was, because it cannot be set aside: " + e.what();
    }
  }

  // A duplicate of document `document`: its envelope goes with the batch's.
  void duplicate(size_t slot, const EnvelopeInfo& info, std::int64_t document, const std::string& message) {
    out(slot).status = IngestOutcome::Status::duplicate;
    out(slot).document_id = document;
    out(slot).message = message;
    m_batch->leaving.push_back(Leaving{slot, info.path, info.version, std::nullopt});
  }

  // The unnamed copy goes with its file; a named one (and its own intent) is removed.
  void drop_blob(Taken& t) {
    t.probe.reset();
    t.blob.reset();
    if (t.own_intent) m_session.index().remove_pending({t.uid});
    t.own_intent = false;
  }

  // Nothing of the batch was committed: its blobs (those named too) and intents are taken back.
  void take_back(Batch& b) {
    b.syncs.wait();  // no fsync still running on a blob about to go
    if (b.staged_committed) return;
    std::vector<Bytes> uids;
    bool pending = b.intents;
    for (Staged& s : b.staged) {
      if (s.blob && s.blob->in_place()) {
        const std::string path = m_session.archive().blob_path(s.row.uid);
        if (::unlink(path.c_str()) == 0) fsync_dir(parent_dir(path));
      }
      s.blob.reset();
      uids.push_back(s.row.uid);
      pending = pending || s.own_intent;
    }
    if (pending) m_session.index().remove_pending(uids);
  }

  Dir& temp_folder() {
    if (!m_temp) m_temp.emplace(m_session.archive().temp_folder());
    return *m_temp;
  }

  void start(const std::string& path) {
    const size_t slot = m_outcomes.size();
    m_outcomes.emplace_back();
    m_current = slot;
    out(slot).envelope = base_name(path);
    out(slot).status = IngestOutcome::Status::left;  // until it is decided
    EnvelopeInfo info = inspect_envelope(m_session, path);
    if (!info.problem.empty()) {
      if (std::string why = why_wait(info); !why.empty()) return wait(slot, why);
      return reject(slot, path, info.problem);
    }
    out(slot).original_name = info.original_name;
    out(slot).station = info.station->name;
    // Whatever its uid, the envelope is taken in under a uid of the
    // archive's; whether it is a duplicate is decided on its content.
    Taken t;
    t.slot = slot;
    t.info = std::move(info);
    t.uid = random_bytes(k_uid_size);
    try {
      t.blob = AtomicFile::unnamed(temp_folder(), 0600, "blob");
      if (!t.blob) {  // no unnamed files here: a named temp file, under its intent
        m_session.index().add_pending({t.uid}, m_session.now());
        t.own_intent = true;
        t.blob = AtomicFile::named_temp(temp_folder(), Archive::temp_blob_name(t.uid), 0600, "blob");
      }
      t.plain = Fd(::memfd_create("kaappi-ingest", MFD_CLOEXEC));
      if (!t.plain.valid()) fail_errno("cannot make room in memory for a decrypted scan");
      t.digest = take_blob(m_session, t.info, *t.blob, t.plain.get(), t.document_key);
      if (envelope_changed(t.info)) {  // what was copied may be a half: never taken in
        drop_blob(t);
        return wait(slot, "it changed while it was read");
      }
      if (!m_probes) m_probes.emplace(m_options.limits, k_ahead);
      t.probe = std::make_unique<ProbeJob>(*m_probes, t.plain.get(), out(slot).envelope);
    } catch (const Error& e) {
      drop_blob(t);
      if (e.kind() != ErrorKind::rejected) throw;
      if (std::string why = why_wait(t.info); !why.empty()) return wait(slot, why);
      return reject(slot, t.info.path, e.what());
    }
    m_ahead.push_back(std::move(t));
  }

  // Whether the envelope (taken as `t`) carries byte for byte the blob
  // document `row` signed: the same blob uid, size and hash.
  static bool same_blob(const Taken& t, const DocumentRow& row) {
    return row.blob_uid == t.info.parts.uid && t.digest.blob_hash == row.blob_hash &&
           static_cast<std::int64_t>(t.digest.blob_size) == row.blob_size;
  }

  // The envelope (taken as `t`) holds the very blob of document `row` (same_blob), whose blob file
  // is not in place (`problem`: missing, of the wrong size, not a regular file): the copy made in
  // the read that authenticated it (take_blob) is put in its place, replacing what is there (a
  // link is replaced, not followed), and the envelope removed with the batch's.
  void put_back_blob(Taken& t, const DocumentRow& row, const std::string& problem) {
    Archive& archive = m_session.archive();
    Index& index = m_session.index();
    index.add_pending({row.uid}, m_session.now());
    try {
      t.blob->sync();
      t.blob->place(archive.blob_folder(row.uid), Archive::blob_name(row.uid), Overwrite::yes);
      fsync_dir(parent_dir(archive.blob_path(row.uid)));
      fault::point("blob.dirsync");
    } catch (...) {
      index.remove_pending({row.uid});  // the copy not placed goes with `t` (drop_blob)
      throw;
    }
    index.remove_pending({row.uid});
    drop_blob(t);  // placed: the archive's now; only its own intent, if any, goes
    duplicate(t.slot, t.info, row.id,
              "already in the archive as document " + std::to_string(row.id) +
                  ", whose encrypted file " + problem + ": put back from this envelope (the very file its row signed)");
  }

  void finish_next() {
    Taken t = std::move(m_ahead.front());
    m_ahead.pop_front();
    m_current = t.slot;
    ++m_batch->envelopes;
    try {
      finish(t);
    } catch (const Error& e) {
      drop_blob(t);
      if (e.kind() != ErrorKind::rejected) throw;
      if (std::string why = why_wait(t.info); !why.empty()) return wait(t.slot, why);
      reject(t.slot, t.info.path, e.what());
    }
  }

  // The key holder's own reading of the decrypted scan decides its pages,
  // text and customer; what the station claimed is not used. Decides whether
  // the envelope is a duplicate (of a document, or of an envelope of this
  // batch) or joins the batch.
  void finish(Taken& t) {
    Session& session = m_session;
    Index& index = session.index();
    Batch& batch = *m_batch;
    const EnvelopeInfo& info = t.info;
    IngestOutcome& o = out(t.slot);
    PdfSummary summary = t.probe->wait();
    t.probe.reset();
    t.plain.reset();
    o.pages = summary.pages;
    ScanFiling filing = m_filer.file(summary.json);
    o.filed = filed_as(filing);
    const std::optional<Customer>& customer = filing.customer;
    const std::int64_t customer_id = customer ? customer->id : 0;  // 0: unassigned, kaappi assign later
    check_signed_summary(info, t.digest, o.envelope);
    // This very envelope taken in before (an ingest stopped after its commit,
    // before removing it): its uid and its blob, byte for byte, are a
    // document's, whichever customer it was given.
    // A scan stored again beside documents that hold it, none with its blob
    // file in place, names one as its twin (documents/document_copies.h):
    // of the customer's, else of those this envelope became before.
    std::int64_t twin = 0;
    const DocumentCopies taken(session.archive(), index.documents_by_blob(info.parts.uid, t.digest.blob_hash));
    if (const DocumentRow* row = taken.in_place()) {
      drop_blob(t);
      return duplicate(t.slot, info, row->id, "already in the archive as document " + std::to_string(row->id));
    }
    for (const auto& [row, problem] : taken.repairable())
      if (same_blob(t, *row)) return put_back_blob(t, *row, problem);
    twin = taken.twin();
    // The very envelope (a copy of it) staged in this batch.
    for (size_t k = 0; k < batch.staged.size(); ++k) {
      const DocumentRow& row = batch.staged[k].row;
      if (row.blob_uid == info.parts.uid && row.blob_hash == t.digest.blob_hash) {
        drop_blob(t);
        o.status = IngestOutcome::Status::duplicate;
        batch.leaving.push_back(Leaving{t.slot, info.path, info.version, k, true, customer.has_value()});
        return;
      }
    }
    std::string note;  // said with the outcome
    const Bytes tag = session.content_tag(customer_id, t.digest.content_hash);
    const DocumentCopies copies(session.archive(), index.documents_by_content(customer_id, tag));
    if (const DocumentRow* row = copies.in_place()) {
      drop_blob(t);
      return duplicate(t.slot, info, row->id,
                       std::string(customer ? "the customer already has" : "the archive already holds unassigned") +
                           " this document (document " + std::to_string(row->id) + ")");
    }
    for (const auto& [row, problem] : copies.repairable())
      if (same_blob(t, *row)) return put_back_blob(t, *row, problem);
    if (copies.any()) {
      note = copies.stored_again("scan");
      twin = copies.twin();
    }
    // The same content for the same customer staged in this batch.
    for (size_t k = 0; k < batch.staged.size(); ++k) {
      if (batch.staged[k].row.content_tag == tag) {
        drop_blob(t);
        o.status = IngestOutcome::Status::duplicate;
        batch.leaving.push_back(Leaving{t.slot, info.path, info.version, k, false, customer.has_value()});
        return;
      }
    }
    DocumentMeta meta;
    meta.file_name = info.original_name;
    meta.content_hash = to_hex(t.digest.content_hash);
    if (info.parts.version == EnvelopeVersion::v1) meta.content_hash_v1 = info.content_hash;
    meta.imported_by = session.actor().name;
    meta.summary_json = summary.json;
    meta.station = info.station->name;
    meta.station_key = to_hex(info.parts.station_pk);
    meta.scanned_at = info.scanned_at;
    Staged s;
    s.slot = t.slot;
    s.path = info.path;
    s.version = info.version;
    s.row = make_document_row(session, t.uid, info.parts.uid, customer_id, filing.kind, summary.pages, t.digest,
                              t.document_key, info.parts.sealed_key, meta);
    s.row.twin_of = twin;
    s.note = std::move(note);
    s.own_intent = t.own_intent;
    t.own_intent = false;  // the batch's now
    s.blob = std::move(t.blob);
    batch.bytes += info.parts.blob_size;
    batch.staged.push_back(std::move(s));
    batch.syncs.add([blob = batch.staged.back().blob.get()] { blob->sync(); });
  }

  // Commits the batch (FORMAT.md "Write ordering and recovery"), then removes
  // its envelopes. A failure before the commit throws: run() takes the batch
  // back. One after it never takes anything back: it is said with the outcomes.
  void commit_batch() {
    Batch& b = *m_batch;
    Index& index = m_session.index();
    Archive& archive = m_session.archive();
    std::string after_commit;  // the batch is saved, but what followed its commit failed
    if (!b.staged.empty()) {
      std::vector<Bytes> intents, uids;
      for (const Staged& s : b.staged) {
        uids.push_back(s.row.uid);
        if (!s.own_intent) intents.push_back(s.row.uid);
      }
      // While the blobs' fsyncs run: before the first of them is named.
      index.add_pending(intents, m_session.now());
      b.intents = true;
      fault::point("ingest.intent");
      for (const std::exception_ptr& error : b.syncs.wait())
        if (error) std::rethrow_exception(error);
      std::set<std::string> folders;
      for (Staged& s : b.staged) {
        s.blob->place(archive.blob_folder(s.row.uid), Archive::blob_name(s.row.uid));
        folders.insert(parent_dir(archive.blob_path(s.row.uid)));
      }
      for (const std::string& folder : folders) b.syncs.add([folder] { fsync_dir(folder); });
      for (const std::exception_ptr& error : b.syncs.wait())
        if (error) std::rethrow_exception(error);
      fault::point("blob.dirsync");
      try {
        m_session.write([&](Index::Writer& writer) {
          for (Staged& s : b.staged) writer.insert_document(s.row);
          index.remove_pending(uids);
        });
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::partial) throw;  // nothing saved: the caller takes the batch back
        after_commit = e.what();
      }
      for (Staged& s : b.staged) {
        s.blob.reset();  // the archive's now, never taken back
        out(s.slot).status = IngestOutcome::Status::stored;
        out(s.slot).document_id = s.row.id;
      }
      b.staged_committed = true;
    }
    for (const Leaving& l : b.leaving) {
      if (!l.of) continue;
      const std::string id = std::to_string(b.staged[*l.of].row.id);
      out(l.slot).document_id = b.staged[*l.of].row.id;
      out(l.slot).message = l.same_blob ? "already in the archive as document " + id
                                        : std::string(l.assigned ? "the customer already has"
                                                                 : "the archive already holds unassigned") +
                                              " this document (document " + id + ")";
    }
    remove_envelopes(b, after_commit);
  }

  // The batch's envelopes (stored, or duplicates) are removed, on a thread
  // of their own while the next batch is read, and said with the outcomes
  // once finished (intake/envelope_removal.h).
  void remove_envelopes(Batch& b, const std::string& after_commit) {
    m_removal.finish();
    std::vector<ReadEnvelope> stored, duplicates;
    for (const Staged& s : b.staged) stored.push_back(ReadEnvelope{s.slot, base_name(s.path), s.version});
    for (const Leaving& l : b.leaving) duplicates.push_back(ReadEnvelope{l.slot, base_name(l.path), l.version});
    for (const Staged& s : b.staged) {
      IngestOutcome& o = out(s.slot);
      if (!s.note.empty()) o.message += (o.message.empty() ? "" : "; ") + s.note;
      if (!after_commit.empty()) o.message += (o.message.empty() ? "" : "; ") + after_commit;
      o.done_in_part = !after_commit.empty();
    }
    try {
      if (b.staged_committed) fault::point("ingest.committed");
    } catch (const Error& e) {
      return m_removal.not_started(stored, duplicates, e.what());
    }
    m_removal.start(*m_inbox, std::move(stored), std::move(duplicates));
  }

  Session& m_session;
  const IngestOptions& m_options;
  ScanFiler m_filer;  // where each scan goes: its form's customer, the one given, or the one it names
  std::optional<Dir> m_inbox, m_rejected;  // the inbox held for the run; rejected/ only once an envelope is refused
  std::optional<Dir> m_temp;  // the archive's tmp/, where blobs are copied before their batch names them
  std::optional<ProbeService> m_probes;  // started for the first envelope that gets that far
  std::deque<Taken> m_ahead;
  std::optional<Batch> m_batch;
  std::vector<IngestOutcome> m_outcomes;
  std::optional<size_t> m_current;  // the envelope last started or decided
  std::optional<Error> m_failure;    // what ended the run in a batch
  EnvelopeRemoval m_removal{m_outcomes};  // the last committed batch's envelopes
};

}  // namespace

IngestReport ingest_inbox(Session& session, const IngestOptions& options) {
  std::optional<Customer> given;
  if (!options.customer.empty()) given = require_customer(session, options.customer);
  if (!options.kind.empty()) check_document_kind(options.kind);
  return Intake(session, options, std::move(given)).run();
}

}  // namespace kaappi
