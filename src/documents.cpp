// documents.cpp — see documents.h.
#include "documents.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>

#include "blob_reader.h"
#include "error.h"
#include "fault.h"
#include "progress.h"

namespace kaappi {
namespace {

Fd open_input(const std::string& path, std::uint64_t max_size, std::int64_t& size) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) fail(ErrorKind::rejected, path + " was rejected: no such file");
    fail(ErrorKind::rejected, path + " was rejected: cannot open it (" + std::strerror(errno) + ")");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
    fail(ErrorKind::rejected, path + " was rejected: not a regular file");
  if (st.st_size == 0) fail(ErrorKind::rejected, path + " was rejected: the file is empty");
  if (static_cast<std::uint64_t>(st.st_size) > max_size)
    fail(ErrorKind::rejected, path + " was rejected: it is larger than the limit of " +
                                  std::to_string(max_size >> 20) + " MiB (--max-size)");
  // A PDF starts with %PDF- within its first 1024 bytes.
  std::uint8_t head[1024];
  size_t n = read_full(fd.get(), head, sizeof head, path);
  std::string_view view(reinterpret_cast<const char*>(head), n);
  if (view.find("%PDF-") == std::string_view::npos) fail(ErrorKind::rejected, path + " was rejected: it is not a PDF");
  size = st.st_size;
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

ImportOutcome import_one(Session& session, const Customer& customer, PreparedInput& prepared,
                         const ImportOptions& options, const std::function<void(std::uint64_t)>& progress) {
  if (prepared.error) std::rethrow_exception(prepared.error);
  const std::string& path = prepared.path;
  ImportOutcome outcome;
  outcome.file = path;
  outcome.size = prepared.size;
  PdfSummary summary = prepared.probe->wait();
  outcome.pages = summary.pages;
  Fd& input = prepared.fd;
  if (::lseek(input.get(), 0, SEEK_SET) < 0) fail_errno("cannot read " + path);

  Archive& archive = session.archive();
  Bytes uid = random_bytes(k_uid_size);
  std::string blob_path = archive.blob_path(uid);
  std::string blob_dir = parent_dir(blob_path);
  if (!path_exists(blob_dir)) {  // made at init; recreated if someone removed it
    make_dir(blob_dir, 0700);
    fsync_dir(archive.blobs_dir());
  }
  archive.index().add_pending(uid, now_seconds());
  fault::point("import.intent");
  try {
    SecretBuffer doc_key = new_document_key();
    AtomicFile blob(blob_path, archive.temp_blob_path(uid), 0600, "blob");
    BlobDigest digest = write_blob(input.get(), blob, archive.archive_id(), uid, doc_key, options.max_size, progress);
    Bytes tag = session.cipher().content_tag(digest.content_hash);
    if (auto existing = session.index().document_by_content(customer.id, tag)) {
      archive.index().remove_pending(uid);  // the temp file goes with `blob`
      outcome.status = ImportOutcome::Status::duplicate;
      outcome.document_id = existing->id;
      outcome.message = "already in the archive as document " + std::to_string(existing->id);
      return outcome;
    }
    blob.commit(Overwrite::no);

    DocumentRow row;
    row.uid = uid;
    row.customer_id = customer.id;
    row.kind = options.kind;
    row.pages = summary.pages;
    row.plain_size = static_cast<std::int64_t>(digest.plain_size);
    row.blob_size = static_cast<std::int64_t>(digest.blob_size);
    row.blob_hash = digest.blob_hash;
    row.sealed_key = seal_document_key(doc_key, session.key().box_pk);
    row.content_tag = tag;
    row.imported_at = now_seconds();
    nlohmann::json meta = {{"file_name", base_name(path)},
                           {"content_hash", to_hex(digest.content_hash)},
                           {"imported_by", current_user()},
                           {"pdf", nlohmann::json::parse(summary.json)}};
    row.meta = session.cipher().seal("documents", "meta", uid,
                                     meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    Index::Writer writer(archive.index(), session.key().sign_sk);
    writer.insert_document(row);
    archive.index().remove_pending(uid);
    writer.commit();
    outcome.status = ImportOutcome::Status::stored;
    outcome.size = row.plain_size;
    outcome.document_id = row.id;
    return outcome;
  } catch (...) {
    // Leave nothing behind: the temp file went with `blob`; a renamed blob
    // whose row was not committed is removed with its intent.
    if (!archive.index().document_by_uid(uid)) {
      if (::unlink(blob_path.c_str()) == 0) fsync_dir(blob_dir);
      archive.index().remove_pending(uid);
    }
    throw;
  }
}

}  // namespace

const std::vector<std::string>& document_kinds() {
  static const std::vector<std::string> kinds = {"consent-form", "contract", "other"};
  return kinds;
}

std::vector<ImportOutcome> import_files(Session& session, const Customer& customer,
                                        const std::vector<std::string>& files, const ImportOptions& options) {
  bool known = false;
  for (const auto& k : document_kinds()) known = known || k == options.kind;
  if (!known) fail(ErrorKind::usage, "--kind must be consent-form, contract or other, not '" + options.kind + "'");
  // One progress bar for the whole call, by bytes.
  std::uint64_t total = 0;
  for (const auto& file : files) {
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode)) total += static_cast<std::uint64_t>(st.st_size);
  }
  Progress progress(files.size() == 1 ? "importing" : "importing " + std::to_string(files.size()) + " files", total,
                    options.quiet);
  std::uint64_t done_before = 0;
  std::vector<ImportOutcome> outcomes;
  // The PDF helper reads the next file while this one is encrypted: at most
  // k_probes_ahead helpers run at once.
  constexpr size_t k_probes_ahead = 2;
  ProbeService probes(options.limits, k_probes_ahead);
  std::deque<PreparedInput> ahead;
  size_t next = 0;
  for (const auto& file : files) {
    while (ahead.size() < k_probes_ahead && next < files.size()) ahead.push_back(prepare_input(probes, files[next++], options));
    PreparedInput prepared = std::move(ahead.front());
    ahead.pop_front();
    try {
      outcomes.push_back(import_one(session, customer, prepared, options,
                                    [&](std::uint64_t done) { progress.update(done_before + done); }));
      done_before += static_cast<std::uint64_t>(outcomes.back().size);
      progress.update(done_before);
    } catch (const Error& e) {
      ImportOutcome o;
      o.file = file;
      o.status = e.kind() == ErrorKind::rejected ? ImportOutcome::Status::rejected : ImportOutcome::Status::failed;
      o.message = e.what();
      outcomes.push_back(o);
    }
  }
  session.archive().remember_head();
  return outcomes;
}

DocumentInfo open_document_info(Session& session, const DocumentRow& row) {
  DocumentInfo info;
  info.row = row;
  std::string text = session.cipher().open("documents", "meta", row.uid, row.meta);
  try {
    auto meta = nlohmann::json::parse(text);
    info.file_name = meta.at("file_name").get<std::string>();
    info.content_hash = meta.at("content_hash").get<std::string>();
    info.summary_json = meta.at("pdf").dump();
  } catch (const nlohmann::json::exception&) {
    fail(ErrorKind::corrupt, "document " + std::to_string(row.id) + " has unreadable metadata; run kaappi verify");
  }
  if (auto customer = session.index().customer(row.customer_id)) {
    info.customer_number = load_customer(session, *customer).fields.number;
  }
  return info;
}

std::uint64_t get_document(Session& session, std::int64_t id, const GetOptions& options) {
  if (options.reason.empty() || options.reason.find_first_not_of(" \t") == std::string::npos)
    fail(ErrorKind::usage, "say why you read this document: --reason TEXT (it is recorded in the access log)");
  bool to_stdout = options.output == "-";
  if (options.output.empty()) fail(ErrorKind::usage, "name the output: -o FILE, or -o - for standard output");
  if (to_stdout && ::isatty(STDOUT_FILENO))
    fail(ErrorKind::usage, "refusing to write a PDF to the terminal; redirect it (-o - > FILE) or use -o FILE");
  if (!to_stdout && options.overwrite == Overwrite::no && path_exists(options.output))
    fail(ErrorKind::rejected, options.output + " already exists; use --force to replace it");
  auto row = session.index().document(id);
  if (!row) fail(ErrorKind::not_found, "no document " + std::to_string(id) + " in this archive (see kaappi documents)");
  DocumentInfo info = open_document_info(session, *row);

  Fd blob(::open(session.archive().blob_path(row->uid).c_str(), O_RDONLY | O_CLOEXEC));
  if (!blob.valid())
    fail(ErrorKind::corrupt, "the encrypted file of document " + std::to_string(id) + " is missing; run kaappi verify");
  SecretBuffer doc_key = open_document_key(row->sealed_key, session.key().box_pk, session.key().box_sk);

  // The access is recorded before any plaintext leaves.
  AccessRow access;
  access.uid = random_bytes(k_uid_size);
  access.document_id = id;
  access.at = now_seconds();
  access.action = "get";
  access.reason = session.cipher().seal("access_log", "reason", access.uid, options.reason);
  {
    Index::Writer writer(session.index(), session.key().sign_sk);
    writer.insert_access(access);
    writer.commit();
    session.archive().remember_head();
  }

  const std::string what = "document " + std::to_string(id);
  auto check = [&](const BlobDigest& d) {
    if (d.blob_hash != row->blob_hash || to_hex(d.content_hash) != info.content_hash ||
        session.cipher().content_tag(d.content_hash) != row->content_tag)
      fail(ErrorKind::corrupt, what + " does not match its index entry; nothing was written; run kaappi verify");
  };
  auto fail_corrupt = [&](const Error& e) {
    if (e.kind() == ErrorKind::corrupt)
      fail(ErrorKind::corrupt, what + " failed authentication: " + e.what() + "; nothing was written; run kaappi verify");
    throw e;
  };
  Progress progress("decrypting " + what, static_cast<std::uint64_t>(row->blob_size), options.quiet);
  auto on_progress = [&](std::uint64_t done) { progress.update(done); };
  if (to_stdout) {
    try {
      check(read_blob(blob.get(), session.archive().archive_id(), row->uid, doc_key, [](ByteView) {}, on_progress));
    } catch (const Error& e) {
      fail_corrupt(e);
    }
    progress.finish();
    if (::lseek(blob.get(), 0, SEEK_SET) < 0) fail_errno("cannot read the blob of " + what);
    BlobDigest d = read_blob(blob.get(), session.archive().archive_id(), row->uid, doc_key, [](ByteView plain) {
      write_full(STDOUT_FILENO, plain.data(), plain.size(), "standard output");
    });
    return d.plain_size;
  }
  AtomicFile out(options.output, "", 0600, "get");
  BlobDigest d;
  try {
    d = read_blob(blob.get(), session.archive().archive_id(), row->uid, doc_key,
                  [&](ByteView plain) { out.write(plain); }, on_progress);
    check(d);
  } catch (const Error& e) {
    fail_corrupt(e);
  }
  progress.finish();
  out.commit(options.overwrite);
  return d.plain_size;
}

}  // namespace kaappi
