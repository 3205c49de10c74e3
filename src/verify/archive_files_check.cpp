// archive_files_check.cpp — see archive_files_check.h.
#include "verify/archive_files_check.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/observer.h"
#include "documents/documents.h"
#include "keys/blob_reader.h"
#include "verify/blob_check.h"
#include "verify/station_origin_check.h"

namespace kaappi {
namespace {

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> out;
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return out;
  while (dirent* e = ::readdir(dir)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") out.push_back(n);
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end());
  return out;
}

// Every file in blobs/ and tmp/ is explained by a row or an interrupted import.
void check_folder(VerifyContext& c) {
  std::set<std::string> known;
  for (const auto& d : c.documents) known.insert(c.archive.blob_path(d.uid));
  // An interrupted import's files, named by its (unsigned) intent, wait for
  // the next writer to roll them back (Archive::recover): a note, not a
  // problem. Verify itself never removes anything.
  std::set<std::string> known_temp;
  int interrupted = 0;
  for (const Bytes& uid : c.archive.index().pending()) {
    if (c.archive.index().document_by_uid(uid)) continue;
    known.insert(c.archive.blob_path(uid));
    known_temp.insert(Archive::temp_blob_name(uid));
    ++interrupted;
  }
  if (interrupted > 0)
    c.note(std::to_string(interrupted) +
           " interrupted import(s) not rolled back yet: the next command that writes (or kaappi recover) removes "
           "what they left");
  std::string blobs = c.archive.blobs_dir();
  if (c.blobs_folder_replaced) return;  // said once (check_blobs); nothing is listed through it
  for (const std::string& sub : list_dir(blobs)) {
    std::string sub_path = blobs + "/" + sub;
    struct stat st {};
    if (::lstat(sub_path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      c.add({}, "unexpected file in blobs/", sub_path);
      continue;
    }
    for (const std::string& name : list_dir(sub_path)) {
      std::string path = sub_path + "/" + name;
      if (known.count(path)) continue;
      c.add({}, "blob with no index row", path + " is not explained by any index row or interrupted import");
    }
  }
  for (const std::string& name : list_dir(c.archive.tmp_dir()))
    if (!known_temp.count(name)) c.add({}, "unexplained temporary file", c.archive.tmp_dir() + "/" + name);
}

// Every document's blob, with progress.
class FilesCheck {
 public:
  FilesCheck(VerifyContext& c, const ErasureCheck& erasures) : m_c(c), m_erasures(erasures), m_owners(c.documents) {}

  void check_blobs() {
    // The blobs are read only in the archive's own folder, never through a
    // link (or anything else) planted in its place: writers refuse that too.
    if (std::optional<Problem> replaced = blobs_folder_replaced(m_c.blob_root())) {
      m_c.report.problems.push_back(std::move(*replaced));
      m_c.blobs_folder_replaced = true;
      return;
    }
    // Whether every row checked out so far (their signatures among them): a
    // document's metadata is trusted to say no station sealed it only then.
    m_rows_sound = m_c.report.problems.empty();
    std::uint64_t total = 0;
    for (const auto& d : m_c.documents)
      if (!m_c.options.blob_filter || m_c.options.blob_filter(d))
        total += static_cast<std::uint64_t>(std::max<std::int64_t>(d.blob_size, 0));
    Progress progress(m_c.archive.observer(), m_c.session ? "verifying (full)" : "verifying", total, m_c.options.quiet);
    std::uint64_t before = 0;
    for (const auto& d : m_c.documents) {
      if (m_c.options.blob_filter && !m_c.options.blob_filter(d)) continue;
      ++m_c.report.documents_checked;
      auto on_progress = [&](std::uint64_t done) { progress.update(before + done); };
      check_blob(d, on_progress);
      before += static_cast<std::uint64_t>(std::max<std::int64_t>(d.blob_size, 0));
    }
    progress.finish();
    // A missing blob found in another document's place (checked later, maybe) says where.
    std::map<std::int64_t, const DocumentRow*> by_id;
    for (const auto& d : m_c.documents) by_id[d.id] = &d;
    for (Problem& p : m_c.report.problems)
      if (p.problem == "blob missing" && p.document && by_id.count(*p.document)) {
        const DocumentRow& d = *by_id[*p.document];
        p.detail = blob_missing_detail(d, m_c.blob_path(d.uid), &m_owners);
      }
  }

  void check_blob(const DocumentRow& d, const std::function<void(std::uint64_t)>& on_progress) {
    // A document whose key an erasure names cannot be opened, and its blob
    // need not be there. A key that is empty while no erasure names it was
    // removed outside kaappi (its row's hash says so): what needs no key is
    // still checked.
    const bool key_missing = d.erased();
    if (key_missing && m_erasures.names(table_of<DocumentRow>(), d.id, "sealed_key")) {
      struct stat st {};
      if (::lstat(m_c.blob_path(d.uid).c_str(), &st) == 0)
        m_c.note("document " + std::to_string(d.id) +
                 " was erased; its blob file is still in place but can no longer be opened");
      return;
    }
    if (key_missing && m_c.session)
      m_c.add(d.id, "document key missing",
              "the document's key is empty and no erasure names it, so it cannot be opened");
    std::optional<BlobFile> blob =
        open_checked_blob(m_c.blob_path(d.uid), d, m_c.key.archive_id, m_c.report.problems, &m_owners);
    if (!blob) return;
    if (!m_c.session || key_missing) {
      check_blob_hash(*blob, d, BlobHashFormat::format2, m_c.report, on_progress, &m_owners);
      return;
    }
    const Fd& fd = blob->fd;
    // Full: every chunk is decrypted and authenticated, and the blob's bytes
    // are hashed where anyone but the key holder held the document key (not
    // the plaintext they decrypt to: docs/FORMAT.md, "What verify checks of a
    // blob").
    try {
      SecretBuffer doc_key = open_document_key(m_c.session->secrets(), d.sealed_key);
      const ValueSealer metadata = m_c.session->keys().document(doc_key);
      if (d.owner() != 0) {
        try {
          m_c.session->customer_values(d.owner());  // their key, for the duplicate tag
        } catch (const Error& e) {
          // Erased while a hold keeps the document: its tag is not checked
          // (a key emptied outside kaappi is the signed rows' problem).
          if (e.kind() != ErrorKind::not_found) throw;
        }
      }
      // A sealed metadata that does not open is reported (below) after an altered blob.
      std::optional<DocumentMeta> meta;
      std::exception_ptr meta_error;
      try {
        meta = open_document_meta(metadata, d);
      } catch (const Error&) {
        meta_error = std::current_exception();
      }
      // A document no station sealed had its key made and kept by the key
      // holder alone (import): no one else can encrypt anything under it.
      // Its metadata says so only where its signed row held (a station that
      // knows its scan's key can re-seal the metadata): otherwise it is hashed.
      const BlobHash hash = m_rows_sound && meta && meta->station.empty() ? BlobHash::no : BlobHash::yes;
      BlobDigest digest;
      try {
        digest = authenticate_blob(fd.get(), m_c.key.archive_id, d.blob_uid, doc_key, on_progress, hash);
      } catch (const Error&) {
        // What keyless verify says of it, where it says anything (an altered
        // or swapped blob); otherwise why it did not authenticate.
        const std::size_t before = m_c.report.problems.size();
        check_blob_hash(*blob, d, BlobHashFormat::format2, m_c.report, {}, &m_owners);
        if (m_c.report.problems.size() == before) throw;
        return;
      }
      if (hash == BlobHash::no) digest.blob_hash = d.blob_hash;  // the AEAD fixed every byte the signed hash covers
      m_c.report.bytes_checked += digest.blob_size;
      BlobMismatch mismatch =
          check_read_blob_matches_row(m_c.session->keys(), d, meta ? meta->content_hash : std::string(), digest);
      // A file that is not this document's blob explains every other difference.
      if (mismatch.blob_hash) {
        if (std::optional<std::int64_t> other = m_owners.other(d, d.blob_uid, &digest.blob_hash))
          m_c.report.problems.push_back(
              blob_swapped(d, other, "the two share a blob uid, and its hash is that document's"));
        else
          m_c.add(d.id, "blob altered", blob_altered_detail(BlobHashFormat::format2));
        if (meta_error) std::rethrow_exception(meta_error);
        return;
      }
      if (meta_error) std::rethrow_exception(meta_error);
      if (!meta) {
        m_c.add(d.id, "metadata unreadable", "the document's sealed metadata is not valid");
        return;
      }
      if (mismatch.content_hash)
        m_c.add(d.id, "content hash mismatch",
                "the content hash recorded in the document's metadata does not match its signed duplicate tag");
      if (mismatch.plain_size)
        m_c.add(d.id, "size mismatch", "the decrypted document's size differs from the index");
      if (!m_origins) m_origins.emplace(m_c.index);
      if (std::optional<std::string> why = m_origins->problem(d, *meta))
        m_c.add(d.id, "station does not account for the document", *why);
    } catch (const Error& e) {
      m_c.add(d.id, "blob fails authentication", e.what());
    }
  }

  VerifyContext& m_c;
  const ErasureCheck& m_erasures;
  BlobOwners m_owners;
  std::optional<StationOrigins> m_origins;  // read at the first document opened (full)
  bool m_rows_sound = false;  // no problem was found before the blobs were read
};

}  // namespace

void check_blobs(VerifyContext& c, const ErasureCheck& erasures) { FilesCheck(c, erasures).check_blobs(); }

void check_archive_folder(VerifyContext& c) { check_folder(c); }

}  // namespace kaappi
