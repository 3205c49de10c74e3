// ingest.cpp — see ingest.h.
#include "intake/ingest.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <functional>

#include "keys/blob_reader.h"
#include "register/customers.h"
#include "documents/documents.h"
#include "intake/customer_recognition.h"
#include "base/error.h"
#include "base/word_list.h"
#include "base/fault.h"
#include "base/file_io.h"
#include "pdf/pdf_probe.h"

namespace kaappi {
namespace {

// Moves a refused envelope to INBOX/rejected/ with NAME.reason beside it.
void reject_envelope(const std::string& inbox, const std::string& path, const std::string& reason) {
  std::string dir = inbox + "/rejected";
  make_dir(dir, 0700);
  std::string target = dir + "/" + base_name(path);
  write_file_atomic(target + ".reason", as_bytes(reason + "\n"), 0644, Overwrite::yes, "reject");
  if (::rename(path.c_str(), target.c_str()) != 0) fail_errno("cannot move " + path + " to " + dir);
  fsync_dir(dir);
  fsync_dir(inbox);
}

void remove_envelope(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail_errno("cannot remove " + path);
  fsync_dir(parent_dir(path));
}

// Hands the envelope's blob bytes to `write`, as they are in the envelope.
void copy_envelope_blob(const EnvelopeInfo& info, const std::function<void(ByteView)>& write) {
  const EnvelopeParts& p = info.parts;
  const std::string name = base_name(info.path);
  Fd in(::open(info.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!in.valid()) fail_errno("cannot open " + name);
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
// the plaintext to `sink`. Throws ErrorKind::rejected when it does not decrypt.
BlobDigest open_scan(Session& session, const EnvelopeInfo& info, int blob_fd, const std::function<void(ByteView)>& sink) {
  try {
    SecretBuffer doc_key = open_document_key(info.parts.sealed_key, session.key().box_pk, session.key().box_sk);
    return read_blob(blob_fd, session.archive().archive_id(), info.parts.uid, doc_key, sink);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::io) throw;
    fail(ErrorKind::rejected, base_name(info.path) + " does not decrypt: " + e.what());
  }
}

// Copies the envelope's blob into blobs/ (under its intent), then decrypts
// and authenticates the copy in full, writing the plaintext to plain_fd.
BlobDigest take_blob(Session& session, const EnvelopeInfo& info, bool& written, int plain_fd) {
  Archive& archive = session.archive();
  const Bytes& uid = info.parts.uid;
  std::string blob_path = archive.blob_path(uid);
  if (!path_exists(parent_dir(blob_path))) {
    make_dir(parent_dir(blob_path), 0700);
    fsync_dir(archive.blobs_dir());
  }
  {
    AtomicFile blob(blob_path, archive.temp_blob_path(uid), 0600, "blob");
    copy_envelope_blob(info, [&](ByteView bytes) { blob.write(bytes); });
    blob.commit(Overwrite::no);
    written = true;
  }
  Fd fd(::open(blob_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) fail_errno("cannot read back the blob of " + base_name(info.path));
  return open_scan(session, info, fd.get(),
                   [&](ByteView plain) { write_full(plain_fd, plain.data(), plain.size(), "the decrypted scan"); });
}

// The content of an envelope whose document uid is already taken, read from
// an unnamed temp file (nothing of it stays behind, even after a crash).
BlobDigest content_of_colliding(Session& session, const EnvelopeInfo& info) {
  const std::string tmp = session.archive().tmp_dir();
  Fd copy(::open(tmp.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
  if (!copy.valid()) fail_errno("cannot make a temporary file in " + tmp);
  copy_envelope_blob(info, [&](ByteView bytes) { write_full(copy.get(), bytes.data(), bytes.size(), tmp); });
  if (::lseek(copy.get(), 0, SEEK_SET) != 0) fail_errno("cannot read back a temporary file in " + tmp);
  return open_scan(session, info, copy.get(), [](ByteView) {});
}

// The key holder's own reading of the decrypted scan (pages, text layer):
// what the station claimed about it is not used.
PdfSummary read_scan(std::optional<ProbeService>& probes, const ProbeLimits& limits, int plain_fd,
                     const std::string& name) {
  if (!probes) probes.emplace(limits, 1);
  return ProbeJob(*probes, plain_fd, name).wait();
}

// The blob as the envelope's signed summary describes it.
BlobDigest signed_digest(const EnvelopeInfo& info, const Bytes& content_hash) {
  BlobDigest d;
  d.plain_size = info.plain_size;
  d.blob_size = info.parts.blob_size;
  d.content_hash = content_hash;
  d.blob_hash = info.parts.blob_hash;
  return d;
}

}  // namespace

std::vector<IngestOutcome> ingest_inbox(Session& session, const IngestOptions& options) {
  std::optional<Customer> given;
  if (!options.customer.empty()) given = require_customer(session, options.customer);
  if (std::find(document_kinds().begin(), document_kinds().end(), options.kind) == document_kinds().end())
    fail(ErrorKind::usage, Field{"kind"} + " must be " + or_list(document_kinds()));
  std::optional<ProbeService> probes;  // started for the first envelope that gets that far
  std::vector<IngestOutcome> outcomes;
  for (const std::string& path : inbox_envelopes(options.inbox)) {
    IngestOutcome out;
    out.envelope = base_name(path);
    auto reject = [&](const std::string& reason) {
      reject_envelope(options.inbox, path, reason);
      out.status = IngestOutcome::Status::rejected;
      out.message = reason + "; moved to rejected/";
      outcomes.push_back(out);
    };
    auto duplicate_of = [&](std::int64_t document, const std::string& message) {
      remove_envelope(path);
      out.status = IngestOutcome::Status::duplicate;
      out.document_id = document;
      out.message = message;
      outcomes.push_back(out);
    };
    EnvelopeInfo info = inspect_envelope(session, path);
    if (!info.problem.empty()) {
      reject(info.problem);
      continue;
    }
    out.original_name = info.original_name;
    out.station = info.station->name;
    Index& index = session.index();
    // Its uid is taken: the same scan taken in before (an earlier ingest
    // stopped before removing it), or another scan under a uid a station chose.
    if (auto row = index.document_by_uid(info.parts.uid)) {
      try {
        BlobDigest d = content_of_colliding(session, info);
        if (session.cipher().content_tag(d.content_hash) != row->content_tag)
          fail(ErrorKind::rejected, out.envelope + " carries the document id of document " + std::to_string(row->id) +
                                        ", which holds different content: it was not taken in and nothing was removed");
        duplicate_of(row->id, "already in the archive as document " + std::to_string(row->id) + "; envelope removed");
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::rejected) throw;
        reject(e.what());
      }
      continue;
    }

    index.add_pending({info.parts.uid}, session.now());
    std::string blob_path = session.archive().blob_path(info.parts.uid);
    bool written = false;
    auto drop_blob = [&] {
      if (written && ::unlink(blob_path.c_str()) == 0) fsync_dir(parent_dir(blob_path));
      index.remove_pending({info.parts.uid});
    };
    try {
      Fd plain(::memfd_create("kaappi-ingest", MFD_CLOEXEC));
      if (!plain.valid()) fail_errno("cannot make room in memory for a decrypted scan");
      BlobDigest d = take_blob(session, info, written, plain.get());
      PdfSummary summary = read_scan(probes, options.limits, plain.get(), out.envelope);
      plain.reset();
      out.pages = summary.pages;
      std::optional<Customer> customer = given;
      if (!customer) {
        std::string named = customer_named_in(session, summary.json);
        if (!named.empty()) {
          customer = require_customer(session, named);
          out.customer_from_scan = true;
        }
      }
      const std::int64_t customer_id = customer ? customer->id : 0;  // 0: unassigned, kaappi assign later
      if (customer) out.customer = customer->number();
      Bytes tag = session.cipher().content_tag(d.content_hash);
      if (auto row = index.document_by_content(customer_id, tag)) {
        drop_blob();
        duplicate_of(row->id, std::string(customer ? "the customer already has" : "the archive already holds unassigned") +
                                  " this document (document " + std::to_string(row->id) + "); envelope removed");
        continue;
      }
      Bytes content_hash;
      from_hex(info.content_hash, content_hash);
      DocumentMeta meta;
      meta.file_name = info.original_name;
      meta.content_hash = info.content_hash;
      meta.imported_by = session.actor().name;
      meta.summary_json = summary.json;
      meta.station = info.station->name;
      meta.station_key = to_hex(info.parts.station_pk);
      meta.scanned_at = info.scanned_at;
      DocumentRow row = make_document_row(session, info.parts.uid, customer_id, options.kind, summary.pages,
                                          signed_digest(info, content_hash), info.parts.sealed_key, meta);
      if (check_blob_matches_row(session.cipher(), row, meta.content_hash, d).any())
        fail(ErrorKind::rejected, out.envelope + " does not match its signed summary: it was altered");
      session.write([&](Index::Writer& writer) {
        writer.insert_document(row);
        index.remove_pending({row.uid});
      });
      fault::point("ingest.committed");
      remove_envelope(path);
      out.status = IngestOutcome::Status::stored;
      out.document_id = row.id;
      outcomes.push_back(out);
    } catch (const Error& e) {
      drop_blob();
      if (e.kind() != ErrorKind::rejected) throw;
      reject(e.what());
    }
  }
  return outcomes;
}

}  // namespace kaappi
