// ingest.cpp — see ingest.h.
#include "intake/ingest.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <deque>
#include <functional>
#include <memory>

#include "format/blob_format.h"
#include "keys/blob_reader.h"
#include "store/blob_file.h"
#include "register/customers.h"
#include "documents/documents.h"
#include "intake/customer_recognition.h"
#include "base/error.h"
#include "base/word_list.h"
#include "base/fault.h"
#include "base/file_io.h"
#include "base/rejected_folder.h"
#include "pdf/pdf_probe.h"

namespace kaappi {
namespace {

// Hands the envelope's blob bytes to `write`, as they are in the envelope.
void copy_envelope_blob(const EnvelopeInfo& info, const std::function<void(ByteView)>& write) {
  const EnvelopeParts& p = info.parts;
  const std::string name = base_name(info.path);
  Fd in = open_envelope(info.path);
  Bytes buf(1 << 20);
  std::uint64_t done = 0;
  while (done < p.blob_size) {
    size_t want = static_cast<size_t>(std::min<std::uint64_t>(buf.size(), p.blob_size - done));
    ssize_t n = ::pread(in.get(), buf.data(), want, static_cast<off_t>(p.blob_offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("cannot read " + name);
    if (n == 0) fail(ErrorKind::rejected, name + " was truncated while it was read");
    write(ByteView(buf.data(), static_cast<size_t>(n)));
    done += static_cast<std::uint64_t>(n);
  }
}

// Decrypts and authenticates a copy of the envelope's blob in full, handing
// the plaintext to `sink`; the blob's header must hold the envelope's uid.
// For an envelope of version 1 format 1's hashes (what its station signed)
// are made in the same pass. Throws ErrorKind::rejected when it does not decrypt.
BlobDigest open_scan(Session& session, const EnvelopeInfo& info, int blob_fd, const std::function<void(ByteView)>& sink) {
  try {
    SecretBuffer doc_key = open_document_key(info.parts.sealed_key, session.key().box_pk, session.key().box_sk);
    return read_blob(blob_fd, session.archive().archive_id(), info.parts.uid, doc_key, sink, {},
                     info.parts.version == EnvelopeVersion::v1 ? AlsoFormat1::yes : AlsoFormat1::no);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::io) throw;
    fail(ErrorKind::rejected, base_name(info.path) + " does not decrypt: " + e.what());
  }
}

// Copies the envelope's blob into blobs/ as document `uid`'s (under its
// intent), then decrypts and authenticates the copy in full, writing the
// plaintext to plain_fd. `written`: a copy was made (a failed ingest removes
// it again).
BlobDigest take_blob(Session& session, const EnvelopeInfo& info, const Bytes& uid, bool& written, int plain_fd) {
  Archive& archive = session.archive();
  {
    AtomicFile blob(archive.blob_folder(uid), Archive::blob_name(uid), archive.temp_folder(),
                    Archive::temp_blob_name(uid), 0600, "blob");
    copy_envelope_blob(info, [&](ByteView bytes) { blob.write(bytes); });
    try {
      blob.commit(Overwrite::no);
    } catch (...) {
      written = blob.in_place();  // renamed, then the folder's sync failed
      throw;
    }
    written = true;
  }
  const auto blob_size = static_cast<std::int64_t>(info.parts.blob_size);
  BlobFile copy = open_blob(archive, uid, blob_size);
  if (copy.state != BlobFile::State::ok)
    fail(ErrorKind::io, "the copied blob of " + base_name(info.path) + " " + copy.problem(blob_size));
  return open_scan(session, info, copy.fd.get(),
                   [&](ByteView plain) { write_full(plain_fd, plain.data(), plain.size(), "the decrypted scan"); });
}

// What the station signed about its scan (sizes and hashes, of its
// envelope's version) must be what the envelope carries, before anything is
// decided on its content: a duplicate too is only removed when it is what it says.
void check_signed_summary(const EnvelopeInfo& info, const BlobDigest& actual, const std::string& envelope) {
  Bytes signed_content;
  from_hex(info.content_hash, signed_content);
  const bool v1 = info.parts.version == EnvelopeVersion::v1;
  std::vector<std::string> wrong;
  if ((v1 ? actual.blob_hash_v1 : actual.blob_hash) != info.parts.blob_hash) wrong.push_back("the encrypted file's hash");
  if ((v1 ? actual.content_hash_v1 : actual.content_hash) != signed_content) wrong.push_back("the scan's hash");
  if (actual.plain_size != info.plain_size) wrong.push_back("the scan's size");
  if (!wrong.empty())
    fail(ErrorKind::rejected, envelope + " does not match what its station signed about it (" + comma_list(wrong) +
                                  "): it was sealed wrongly or altered; it was not taken in and nothing was removed");
}

// One ingest run. Envelopes are taken in inbox order; up to k_ahead of them
// have their blob copied and decrypted and are being read by the PDF helper
// while an earlier one is decided and committed (as import reads ahead).
class Intake {
 public:
  Intake(Session& session, const IngestOptions& options, std::optional<Customer> given)
      : m_session(session), m_options(options), m_given(std::move(given)) {}

  std::vector<IngestOutcome> run() {
    m_inbox.emplace(open_inbox(m_options.inbox));
    const std::vector<std::string> envelopes = inbox_envelopes(*m_inbox);
    try {
      size_t next = 0;
      for (; next < envelopes.size() && !m_options.stop.asked(); ++next) {
        if (m_ahead.size() == k_ahead) finish_next();  // a PDF helper is free for the next
        if (m_options.stop.asked()) break;
        start(envelopes[next]);
      }
      while (!m_ahead.empty() && !m_options.stop.asked()) finish_next();
      if (m_options.stop.asked()) leave_the_rest(envelopes, next);
    } catch (...) {
      for (Taken& t : m_ahead) drop_blob(t);
      throw;
    }
    return m_outcomes;
  }

 private:
  static constexpr size_t k_ahead = 3;

  // An envelope whose blob is in blobs/ (under its intent) and whose
  // decrypted scan the PDF helper is reading.
  struct Taken {
    size_t slot = 0;  // in m_outcomes
    EnvelopeInfo info;
    Bytes uid;  // the document uid the archive chose: its blob's name (the envelope's uid becomes its blob_uid)
    bool written = false;
    bool committed = false;  // its row is saved: its blob is the archive's now, never taken back
    BlobDigest digest;
    Fd plain;
    std::unique_ptr<ProbeJob> probe;
  };

  IngestOutcome& out(size_t slot) { return m_outcomes[slot]; }

  // Asked to stop: the envelopes read ahead are taken back (their blobs and
  // intents), and they and those not started stay in the inbox as they are.
  void leave_the_rest(const std::vector<std::string>& envelopes, size_t next) {
    const std::string why = "not taken in: ingest was stopped before it; it stays in the inbox";
    for (Taken& t : m_ahead) {
      drop_blob(t);
      out(t.slot).status = IngestOutcome::Status::interrupted;
      out(t.slot).message = why;
    }
    m_ahead.clear();
    for (; next < envelopes.size(); ++next) {
      IngestOutcome& o = m_outcomes.emplace_back();
      o.envelope = base_name(envelopes[next]);
      o.status = IngestOutcome::Status::interrupted;
      o.message = why;
    }
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

  // Removes a taken envelope through the held inbox (never by its path
  // again: a folder put in the inbox's place meanwhile is not touched).
  void remove_envelope(const std::string& path) {
    m_inbox->remove(base_name(path));
    m_inbox->sync();
  }

  void duplicate(size_t slot, const std::string& path, std::int64_t document, const std::string& message) {
    remove_envelope(path);
    out(slot).status = IngestOutcome::Status::duplicate;
    out(slot).document_id = document;
    out(slot).message = message;
  }

  void drop_blob(Taken& t) {
    if (t.committed) return;
    std::string blob_path = m_session.archive().blob_path(t.uid);
    if (t.written && ::unlink(blob_path.c_str()) == 0) fsync_dir(parent_dir(blob_path));
    m_session.index().remove_pending({t.uid});
  }

  void start(const std::string& path) {
    const size_t slot = m_outcomes.size();
    m_outcomes.emplace_back();
    out(slot).envelope = base_name(path);
    EnvelopeInfo info = inspect_envelope(m_session, path);
    if (!info.problem.empty()) return reject(slot, path, info.problem);
    out(slot).original_name = info.original_name;
    out(slot).station = info.station->name;
    // Whatever its uid, the envelope is taken in under a uid of the
    // archive's; whether it is a duplicate is decided on its content.
    Taken t;
    t.slot = slot;
    t.info = std::move(info);
    t.uid = random_bytes(k_uid_size);
    m_session.index().add_pending({t.uid}, m_session.now());
    try {
      t.plain = Fd(::memfd_create("kaappi-ingest", MFD_CLOEXEC));
      if (!t.plain.valid()) fail_errno("cannot make room in memory for a decrypted scan");
      t.digest = take_blob(m_session, t.info, t.uid, t.written, t.plain.get());
      if (!m_probes) m_probes.emplace(m_options.limits, k_ahead);
      t.probe = std::make_unique<ProbeJob>(*m_probes, t.plain.get(), out(slot).envelope);
    } catch (const Error& e) {
      drop_blob(t);
      if (e.kind() != ErrorKind::rejected) throw;
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

  // The envelope holds the very blob of document `row`, whose blob file is
  // missing: it is put back from the envelope, and the envelope removed.
  void put_back_blob(size_t slot, const EnvelopeInfo& info, const DocumentRow& row) {
    const std::string document = "document " + std::to_string(row.id);
    Archive& archive = m_session.archive();
    Index& index = m_session.index();
    index.add_pending({row.uid}, m_session.now());
    try {
      AtomicFile blob(archive.blob_folder(row.uid), Archive::blob_name(row.uid), archive.temp_folder(),
                      Archive::temp_blob_name(row.uid), 0600, "blob");
      copy_envelope_blob(info, [&](ByteView bytes) { blob.write(bytes); });
      blob.commit(Overwrite::no);
    } catch (...) {
      index.remove_pending({row.uid});  // a temp file left goes with the next recovery
      throw;
    }
    index.remove_pending({row.uid});
    duplicate(slot, info.path, row.id,
              "already in the archive as " + document + ", whose encrypted file was missing: put back from this "
              "envelope (the very file its row signed); envelope removed");
  }

  void finish_next() {
    Taken t = std::move(m_ahead.front());
    m_ahead.pop_front();
    try {
      finish(t);
    } catch (const Error& e) {
      drop_blob(t);
      if (e.kind() != ErrorKind::rejected) throw;
      reject(t.slot, t.info.path, e.what());
    }
  }

  // The key holder's own reading of the decrypted scan decides its pages,
  // text and customer; what the station claimed is not used.
  void finish(Taken& t) {
    Session& session = m_session;
    Index& index = session.index();
    const EnvelopeInfo& info = t.info;
    IngestOutcome& o = out(t.slot);
    PdfSummary summary = t.probe->wait();
    t.probe.reset();
    t.plain.reset();
    o.pages = summary.pages;
    std::optional<Customer> customer = m_given;
    if (!customer) {
      NamedCustomers named = customers_named_in(session, summary.json);
      o.customers_named = named.customers;
      o.unknown_numbers = named.unknown;
      if (!named.the_one().empty()) {
        customer = require_customer(session, named.the_one());
        o.customer_from_scan = true;
      }
    }
    const std::int64_t customer_id = customer ? customer->id : 0;  // 0: unassigned, kaappi assign later
    if (customer) o.customer = customer->number();
    check_signed_summary(info, t.digest, o.envelope);
    // This very envelope taken in before (an ingest stopped after its commit,
    // before removing it): its uid and its blob, byte for byte, are a
    // document's, whichever customer it was given.
    // A scan stored again beside a document that holds it but has no blob
    // file in place names that one as its twin: the one a customer's lookup
    // found, else the one this envelope became before.
    std::int64_t twin = 0;
    if (auto row = index.document_by_blob(info.parts.uid, t.digest.blob_hash)) {
      BlobFile there = open_blob(session.archive(), row->uid, row->blob_size);
      if (there.state == BlobFile::State::ok) {
        drop_blob(t);
        return duplicate(t.slot, info.path, row->id,
                         "already in the archive as document " + std::to_string(row->id) + "; envelope removed");
      }
      if (there.state == BlobFile::State::missing && same_blob(t, *row)) {
        drop_blob(t);
        return put_back_blob(t.slot, info, *row);
      }
      twin = row->id;
    }
    std::string note;  // said with the outcome
    if (auto row = index.document_by_content(customer_id, session.content_tag(customer_id, t.digest.content_hash))) {
      BlobFile there = open_blob(session.archive(), row->uid, row->blob_size);
      if (there.state == BlobFile::State::ok) {
        drop_blob(t);
        return duplicate(t.slot, info.path, row->id,
                         std::string(customer ? "the customer already has" : "the archive already holds unassigned") +
                             " this document (document " + std::to_string(row->id) + "); envelope removed");
      }
      if (there.state == BlobFile::State::missing && same_blob(t, *row)) {
        drop_blob(t);
        return put_back_blob(t.slot, info, *row);
      }
      note = "document " + std::to_string(row->id) + " holds the same scan, but its encrypted file " +
             there.problem(row->blob_size) + " (run kaappi verify), so this one was stored as well";
      twin = row->id;
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
    DocumentRow row = make_document_row(session, t.uid, info.parts.uid, customer_id, m_options.kind, summary.pages,
                                        t.digest, info.parts.sealed_key, meta);
    row.twin_of = twin;
    std::vector<std::string> after;  // what failed after the commit
    try {
      session.write([&](Index::Writer& writer) {
        writer.insert_document(row);
        index.remove_pending({row.uid});
      });
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::partial) throw;  // nothing saved: the caller takes the blob back
      after.push_back(e.what());
    }
    t.committed = true;
    o.status = IngestOutcome::Status::stored;
    o.document_id = row.id;
    try {
      fault::point("ingest.committed");
      remove_envelope(info.path);
    } catch (const Error& e) {
      after.push_back("its envelope was not removed (" + std::string(e.what()) +
                      "); the next ingest finds it already taken in and removes it");
    }
    o.done_in_part = !after.empty();
    if (!note.empty()) after.insert(after.begin(), note);
    for (const std::string& line : after) o.message += (o.message.empty() ? "" : "; ") + line;
  }

  Session& m_session;
  const IngestOptions& m_options;
  std::optional<Customer> m_given;
  std::optional<Dir> m_inbox, m_rejected;  // the inbox held for the run; rejected/ only once an envelope is refused
  std::optional<ProbeService> m_probes;  // started for the first envelope that gets that far
  std::deque<Taken> m_ahead;
  std::vector<IngestOutcome> m_outcomes;
};

}  // namespace

std::vector<IngestOutcome> ingest_inbox(Session& session, const IngestOptions& options) {
  std::optional<Customer> given;
  if (!options.customer.empty()) given = require_customer(session, options.customer);
  if (std::find(document_kinds().begin(), document_kinds().end(), options.kind) == document_kinds().end())
    fail(ErrorKind::usage, Field{"kind"} + " must be " + or_list(document_kinds()));
  return Intake(session, options, std::move(given)).run();
}

}  // namespace kaappi
