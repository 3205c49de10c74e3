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

// Opens document `d`'s blob at `path` and checks its file and header; adds
// each problem to `problems`. Returns the blob, positioned at its start,
// when its bytes are to be checked (hashed, or decrypted with --full).
std::optional<BlobFile> open_checked_blob(const std::string& path, const DocumentRow& d, const Bytes& archive_id,
                                          std::vector<Problem>& problems);

// Hashes the blob's bytes with `format`'s blob hash and compares them with
// the signed hash; counts the bytes in `report`.
void check_blob_hash(const BlobFile& blob, const DocumentRow& d, BlobHashFormat format, VerifyReport& report,
                     const std::function<void(std::uint64_t)>& on_progress);

// The problem's detail when a blob's bytes do not match the signed hash.
std::string blob_altered_detail(BlobHashFormat format);

}  // namespace kaappi
