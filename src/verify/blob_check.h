// blob_check.h — what verify checks of a document's blob without the key,
// the one rule for a format-2 archive and a format-1 one: the file
// (store/blob_file.h: present, a regular file of its signed size), its
// header (this archive, this document's blob_uid) and, keyless, its hash
// against the signed row: format 2's file hash (hashed on every core), or
// BLAKE2b-256 for an archive still in format 1. --full decrypts the blob
// instead of hashing it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "format/blob_format.h"
#include "store/blob_file.h"
#include "store/index_rows.h"
#include "verify/verifier.h"

namespace kaappi {

// The problem when `root`/blobs is not a folder (a link or a file planted
// there): then no blob is read through it.
std::optional<Problem> blobs_folder_replaced(const std::string& root);

// Which document each blob belongs to (by its blob uid and signed hash),
// and which document's place a blob was found at instead: what lets a blob
// moved or copied to another document's place be named as what it is.
class BlobOwners {
 public:
  explicit BlobOwners(const std::vector<DocumentRow>& documents);
  // A document other than `d` whose blob has `blob_uid` (and, when given,
  // the signed hash `blob_hash`), if any.
  std::optional<std::int64_t> other(const DocumentRow& d, const Bytes& blob_uid,
                                    const Bytes* blob_hash = nullptr) const;
  // The file at document `place`'s place holds the blob of uid `blob_uid`.
  void found_at(const Bytes& blob_uid, std::int64_t place) { m_found.emplace(blob_uid, place); }
  // The place of another document where `d`'s blob was found, if any.
  std::optional<std::int64_t> found(const DocumentRow& d) const;

 private:
  std::multimap<Bytes, const DocumentRow*> m_by_uid;
  std::map<Bytes, std::int64_t> m_found;
};

// Opens document `d`'s blob at `path` and checks its file and header; adds
// each problem to `problems` (naming, when `owners` is given, the document
// whose blob is there instead). Returns the blob, positioned at its start,
// when its bytes are to be checked (hashed, or decrypted with --full).
std::optional<BlobFile> open_checked_blob(const std::string& path, const DocumentRow& d, const Bytes& archive_id,
                                          std::vector<Problem>& problems, BlobOwners* owners = nullptr);

// Hashes the blob's bytes with `format`'s blob hash and compares them with
// the signed hash; counts the bytes in `report`. A hash that is another
// document's (of the same blob uid: `owners`) names that document.
void check_blob_hash(const BlobFile& blob, const DocumentRow& d, BlobHashFormat format, VerifyReport& report,
                     const std::function<void(std::uint64_t)>& on_progress, const BlobOwners* owners = nullptr);

// The problem when the file at `d`'s place holds another document's blob
// (`other`, or one of no document when unset).
Problem blob_swapped(const DocumentRow& d, std::optional<std::int64_t> other, const std::string& why);

// The problem's detail when `d`'s blob is missing from `path`, and was
// found at another document's place (`owners`), if it was.
std::string blob_missing_detail(const DocumentRow& d, const std::string& path, const BlobOwners* owners);

// The problem's detail when a blob's bytes do not match the signed hash.
std::string blob_altered_detail(BlobHashFormat format);

}  // namespace kaappi
