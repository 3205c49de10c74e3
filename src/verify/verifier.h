// verifier.h — checking an archive.
//
// Keyless (only the public key, which the caller must take from outside the
// archive folder): the schema is exactly the expected one; every row, hashed
// as stored, is part of exactly one signed transaction (sequence numbers
// without gaps), every transaction's digest follows from the one before and
// its Ed25519 signature holds, and the last is the head; the archive continues the head this machine last saw
// (store/head_history.h; accepted restores are notes, not problems); each
// document's blob is present with its size, header (archive id, the
// document's blob_uid) and format 2's file hash (verify/blob_check.h); no
// blob lacks a row; no stray temp file.
// Full (with the unlocked key) additionally decrypts and authenticates every
// blob chunk, checks each content hash and tag, and opens every sealed field.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/session.h"

namespace kaappi {

struct Problem {
  std::optional<std::int64_t> document;
  std::string problem;
  std::string detail;
};

struct VerifyReport {
  std::int64_t documents_checked = 0;
  std::uint64_t bytes_checked = 0;
  std::vector<Problem> problems;
  std::vector<std::string> notes;  // not problems: accepted restores from a backup, copies stored again
  bool ok() const { return problems.empty(); }
};

struct VerifyOptions {
  bool quiet = false;  // report no progress
  // A backup's index, checked in a folder of its own (backup/): its blobs are
  // in `blob_root`/blobs, shared by the backup's generations, so neither the
  // folder check nor this machine's history of the archive applies (the
  // backup's own rules replace them, backup/backup_check.h).
  bool of_backup = false;
  std::string blob_root;  // empty: the archive's own folder
  // Which documents' blobs are read (a sample); none given: every one.
  std::function<bool(const DocumentRow&)> blob_filter;
};

// `session` is null for a keyless check; then box_pk/sign_pk come from the
// caller (key file's public part or --public-key).
VerifyReport verify_archive(Archive& archive, const ArchivePublicKey& key, Session* session,
                            const VerifyOptions& options);

}  // namespace kaappi
