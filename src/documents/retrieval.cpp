// retrieval.cpp — see documents.h (get_document, the access log).
#include "documents/documents.h"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "keys/blob_reader.h"
#include "store/blob_file.h"
#include "base/error.h"
#include "base/observer.h"
#include "base/dates.h"
#include "store/erasure.h"

namespace kaappi {

void check_get_request(const GetOptions& options) {
  if (options.reason.empty() || options.reason.find_first_not_of(" \t") == std::string::npos)
    fail(ErrorKind::usage,
         "say why you read this document: " + Field{"reason"} + " TEXT (it is recorded in the access log)");
  bool to_stdout = options.output == "-";
  if (options.output.empty())
    fail(ErrorKind::usage,
         "name the output: " + Field{"output"} + " FILE, or " + Field{"output"} + " - for standard output");
  if (to_stdout) return;
  check_output_file(options.output);
  if (options.overwrite == Overwrite::no && path_exists(options.output))
    fail(ErrorKind::rejected, options.output + " already exists; use " + Field{"overwrite"} + " to replace it");
}

std::uint64_t get_document(Session& session, std::int64_t id, const GetOptions& options) {
  check_get_request(options);
  bool to_stdout = options.output == "-";
  auto row = session.index().document(id);
  if (!row) fail(ErrorKind::not_found, "no document " + std::to_string(id) + " in this archive (see kaappi documents)");
  if (row->erased())
    fail(ErrorKind::not_found, erased_document_words(session, *row) + "; nothing of it can be read; nothing was written");
  DocumentInfo info = open_document_info(session, *row);

  BlobFile blob = open_blob(session.archive(), row->uid, row->blob_size);
  if (blob.state != BlobFile::State::ok)
    fail(ErrorKind::corrupt, "the encrypted file of document " + std::to_string(id) + " " +
                                 blob.problem(row->blob_size) + "; nothing was written; run kaappi verify");
  SecretBuffer doc_key = session.document_key(*row);
  if (row->owner() != 0 && !info.customer_erased) session.customer_values(row->owner());  // their key, for the duplicate tag
  // An output that cannot be written where named is refused before the access is recorded.
  std::optional<AtomicFile> out;
  if (!to_stdout) out.emplace(options.output, "", 0600, "get", PathRole::user_output);

  // The access is recorded before any plaintext leaves.
  AccessRow access;
  access.uid = random_bytes(k_uid_size);
  access.document_id = id;
  access.customer_id = row->owner();
  access.at = session.now();
  access.action = options.action;
  nlohmann::json entry = {{"by", session.actor().name}, {"reason", options.reason}};
  access.reason = session.access_values(access, *row).seal(
      "access_log", "reason", access.uid, entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  session.write([&](Index::Writer& writer) { writer.insert_access(access); });

  const std::string what = "document " + std::to_string(id);
  auto check = [&](const BlobDigest& d) {
    if (check_blob_matches_row(session.keys(), *row, info.content_hash, d).any())
      fail(ErrorKind::corrupt, what + " does not match its index entry; nothing was written; run kaappi verify");
  };
  auto fail_corrupt = [&](const Error& e) {
    if (e.kind() == ErrorKind::corrupt)
      fail(ErrorKind::corrupt, what + " failed authentication: " + e.what() + "; nothing was written; run kaappi verify");
    throw e;
  };
  Progress progress(session.archive().observer(), "decrypting " + what, static_cast<std::uint64_t>(row->blob_size),
                    options.quiet);
  auto on_progress = [&](std::uint64_t done) { progress.update(done); };
  if (to_stdout) {
    BlobDigest whole;
    try {
      whole = read_blob(blob.fd.get(), session.archive().archive_id(), row->blob_uid, doc_key, [](ByteView) {}, on_progress);
    } catch (const Error& e) {
      fail_corrupt(e);
    }
    check(whole);
    progress.finish();
    if (::lseek(blob.fd.get(), 0, SEEK_SET) < 0) fail_errno("cannot read the blob of " + what);
    BlobDigest d = read_blob(blob.fd.get(), session.archive().archive_id(), row->blob_uid, doc_key, [](ByteView plain) {
      write_full(STDOUT_FILENO, plain.data(), plain.size(), "standard output");
    });
    return d.plain_size;
  }
  BlobDigest d;
  try {
    d = read_blob(blob.fd.get(), session.archive().archive_id(), row->blob_uid, doc_key,
                  [&](ByteView plain) { out->write(plain); }, on_progress);
  } catch (const Error& e) {
    fail_corrupt(e);
  }
  check(d);
  progress.finish();
  out->commit(options.overwrite);
  return d.plain_size;
}

AccessEntry open_access_entry(const ValueSealer& sealer, const AccessRow& row) {
  std::string text = sealer.open("access_log", "reason", row.uid, row.reason);
  AccessEntry e;
  e.id = row.id;
  e.seq = row.seq;
  e.document = row.document_id;
  e.customer = row.customer_id;
  e.at = row.at;
  e.action = row.action;
  try {
    auto j = nlohmann::json::parse(text);
    e.by = j.at("by").get<std::string>();
    e.reason = j.at("reason").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    fail(ErrorKind::corrupt, "access log entry " + std::to_string(row.id) + " cannot be read");
  }
  return e;
}

std::vector<AccessEntry> access_log(Session& session, std::optional<std::int64_t> document) {
  if (document && !session.index().document(*document))
    fail(ErrorKind::not_found, "no document " + std::to_string(*document) + " in this archive (see kaappi documents)");
  std::vector<AccessEntry> out;
  for (const auto& row : session.index().access_rows()) {
    if (document && row.document_id != *document) continue;
    // Who and why erased with the customer or the document: when and what stay.
    auto erased_entry = [&] {
      AccessEntry e;
      e.id = row.id;
      e.seq = row.seq;
      e.document = row.document_id;
      e.customer = row.customer_id;
      e.at = row.at;
      e.action = row.action;
      e.erased = true;
      out.push_back(std::move(e));
    };
    if (row.reason.empty()) {
      erased_entry();
      continue;
    }
    auto read = session.index().document(row.document_id);
    if (!read) fail(ErrorKind::corrupt, "access log entry " + std::to_string(row.id) + " names no document; run kaappi verify");
    if (read->erased() && (row.customer_id == 0 || session.customer_erased(row.customer_id))) {
      // Sealed under the document's own key, which an erasure destroyed
      // (kaappi erase names such reasons too).
      erased_entry();
      continue;
    }
    out.push_back(open_access_entry(session.access_values(row, *read), row));
  }
  return out;
}

}  // namespace kaappi
