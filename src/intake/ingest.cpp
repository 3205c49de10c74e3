// ingest.cpp — see ingest.h.
#include "intake/ingest.h"

#include <fcntl.h>
#include <unistd.h>


#include "keys/blob_reader.h"
#include "register/customers.h"
#include "documents/documents.h"
#include "intake/customer_recognition.h"
#include "base/error.h"
#include "base/word_list.h"
#include "base/fault.h"
#include "base/file_io.h"

namespace kaappi {
namespace {

// Moves a refused envelope to INBOX/rejected/ with NAME.reason beside it.
// Never through a link planted as the inbox or as rejected/ (see Dir).
void reject_envelope(const std::string& inbox, const std::string& path, const std::string& reason) {
  Dir from = Dir::open(inbox);
  Dir rejected = from.sub("rejected", Create::yes);
  std::string name = base_name(path);
  write_file_atomic(rejected, name + ".reason", as_bytes(reason + "\n"), 0644, Overwrite::yes, "reject");
  from.move(name, rejected, name, Overwrite::yes);
  rejected.sync();
  from.sync();
}

void remove_envelope(const std::string& path) {
  Dir inbox = Dir::open(parent_dir(path));
  inbox.remove(base_name(path));
  inbox.sync();
}

// Copies the envelope's blob into blobs/ (under its intent), then decrypts
// and authenticates the copy in full. Returns its digest; throws
// ErrorKind::rejected when it does not decrypt.
BlobDigest take_blob(Session& session, const EnvelopeInfo& info, bool& written) {
  Archive& archive = session.archive();
  const EnvelopeParts& p = info.parts;
  const std::string name = base_name(info.path);
  Dir blob_dir = archive.blob_folder(p.uid);
  {
    Fd in(::open(info.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!in.valid()) fail_errno("cannot open " + name);
    AtomicFile blob(blob_dir, Archive::blob_name(p.uid), archive.temp_folder(), Archive::temp_blob_name(p.uid), 0600,
                    "blob");
    Bytes buf(1 << 20);
    std::uint64_t done = 0;
    while (done < p.blob_size) {
      size_t want = static_cast<size_t>(std::min<std::uint64_t>(buf.size(), p.blob_size - done));
      ssize_t n = ::pread(in.get(), buf.data(), want, static_cast<off_t>(p.blob_offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_errno("cannot read " + name);
      if (n == 0) fail(ErrorKind::rejected, name + " was truncated while it was read");
      blob.write(ByteView(buf.data(), static_cast<size_t>(n)));
      done += static_cast<std::uint64_t>(n);
    }
    blob.commit(Overwrite::no);
    written = true;
  }
  Fd fd = blob_dir.open_file(Archive::blob_name(p.uid), O_RDONLY);
  if (!fd.valid()) fail_errno("cannot read back the blob of " + name);
  BlobDigest d;
  try {
    SecretBuffer doc_key = open_document_key(p.sealed_key, session.key().box_pk, session.key().box_sk);
    d = read_blob(fd.get(), archive.archive_id(), p.uid, doc_key, [](ByteView) {});
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::io) throw;
    fail(ErrorKind::rejected, name + " does not decrypt: " + e.what());
  }
  return d;
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
  std::vector<IngestOutcome> outcomes;
  for (const std::string& path : inbox_envelopes(options.inbox)) {
    IngestOutcome out;
    out.envelope = base_name(path);
    EnvelopeInfo info = inspect_envelope(session, path);
    if (!info.problem.empty()) {
      reject_envelope(options.inbox, path, info.problem);
      out.status = IngestOutcome::Status::rejected;
      out.message = info.problem + "; moved to rejected/";
      outcomes.push_back(out);
      continue;
    }
    out.original_name = info.original_name;
    out.station = info.station->name;
    out.pages = info.pages;
    // Already taken in (an earlier ingest stopped before removing it)?
    if (auto row = session.index().document_by_uid(info.parts.uid)) {
      remove_envelope(path);
      out.status = IngestOutcome::Status::duplicate;
      out.document_id = row->id;
      out.message = "already in the archive as document " + std::to_string(row->id) + "; envelope removed";
      outcomes.push_back(out);
      continue;
    }
    std::optional<Customer> customer = given;
    if (!customer) {
      std::string named = customer_named_in(session, info.pdf_json);
      if (!named.empty()) {
        customer = require_customer(session, named);
        out.customer_from_scan = true;
      }
    }
    const std::int64_t customer_id = customer ? customer->id : 0;  // 0: unassigned, kaappi assign later
    if (customer) out.customer = customer->number();
    Bytes content_hash;
    from_hex(info.content_hash, content_hash);
    Bytes tag = session.cipher().content_tag(content_hash);
    if (auto row = session.index().document_by_content(customer_id, tag)) {
      remove_envelope(path);
      out.status = IngestOutcome::Status::duplicate;
      out.document_id = row->id;
      out.message = std::string(customer ? "the customer already has" : "the archive already holds unassigned") +
                    " this document (document " + std::to_string(row->id) + "); envelope removed";
      outcomes.push_back(out);
      continue;
    }

    Index& index = session.index();
    index.add_pending({info.parts.uid}, session.now());
    std::string blob_path = session.archive().blob_path(info.parts.uid);
    bool written = false;
    try {
      BlobDigest d = take_blob(session, info, written);
      DocumentMeta meta;
      meta.file_name = info.original_name;
      meta.content_hash = info.content_hash;
      meta.imported_by = session.actor().name;
      meta.summary_json = info.pdf_json;
      meta.station = info.station->name;
      meta.station_key = to_hex(info.parts.station_pk);
      meta.scanned_at = info.scanned_at;
      DocumentRow row = make_document_row(session, info.parts.uid, customer_id, options.kind, info.pages,
                                          signed_digest(info, content_hash), info.parts.sealed_key, meta);
      if (check_blob_matches_row(session.cipher(), row, meta.content_hash, d).any())
        fail(ErrorKind::rejected, base_name(path) + " does not match its signed summary: it was altered");
      session.write([&](Index::Writer& writer) {
        writer.insert_document(row);
        index.remove_pending({row.uid});
      });
      fault::point("ingest.committed");
      remove_envelope(path);
      out.status = IngestOutcome::Status::stored;
      out.document_id = row.id;
    } catch (const Error& e) {
      if (written && ::unlink(blob_path.c_str()) == 0) fsync_dir(parent_dir(blob_path));
      index.remove_pending({info.parts.uid});
      if (e.kind() != ErrorKind::rejected) throw;
      reject_envelope(options.inbox, path, e.what());
      out.status = IngestOutcome::Status::rejected;
      out.message = std::string(e.what()) + "; moved to rejected/";
    }
    outcomes.push_back(out);
  }
  return outcomes;
}

}  // namespace kaappi
