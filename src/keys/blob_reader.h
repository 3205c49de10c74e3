// blob_reader.h — decrypting and authenticating a blob (needs the secret key).
//
// read_blob() checks the header against the expected archive id and document
// uid, then decrypts chunk by chunk, handing plaintext to `sink`. It fails with
// ErrorKind::corrupt on any tampering: a bad chunk, a missing final chunk
// (truncation), or bytes after it. Callers that must not release plaintext
// before the whole blob authenticated write to a temp file (get) or run it
// twice (stdout). Never linked into kaappi-scan.
#pragma once

#include <functional>
#include <optional>

#include "format/blob_format.h"
#include "keys/secret_keys.h"

namespace kaappi {

SecretBuffer open_document_key(const SecretKeys& keys, const Bytes& sealed);

// Where read_blob's bytes are, when not the rest of blob_fd from its file
// offset: `size` bytes at `offset` of it (an envelope's blob), read with
// pread. `copy`, when given, is handed every byte read, in order, on a
// pipeline thread (the header with the first batch of chunks): the very
// bytes decrypted and authenticated, so a copy of a blob that read_blob
// accepted is the blob it authenticated, whatever the file does meanwhile.
struct BlobSpan {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::function<void(ByteView)> copy;
};

// `uid` is the uid the blob's header must hold (a document's blob_uid).
// also_format1: format 1's BLAKE2b hashes too, in the same pass (an envelope
// of version 1, the upgrade from format 1). ContentHash::no: the plaintext is
// not hashed (verify --full); with an empty sink it is then not handed on at
// all, and decryption runs beside one hashing thread.
BlobDigest read_blob(int blob_fd, const Bytes& archive_id, const Bytes& uid, const SecretBuffer& doc_key,
                     const std::function<void(ByteView)>& sink,
                     const std::function<void(std::uint64_t)>& progress = {},
                     AlsoFormat1 also_format1 = AlsoFormat1::no, ContentHash content = ContentHash::yes,
                     const BlobSpan* span = nullptr);

// Whether verify --full hashes a blob's bytes as well as authenticating them.
// BlobHash::no only where no one but the key holder ever held the document
// key (a document no station sealed): the AEAD then fixes every byte of the
// blob as the hash would (docs/FORMAT.md, "What verify checks of a blob").
enum class BlobHash : bool { no, yes };

// verify --full's reading of a blob: every chunk decrypted and authenticated
// (the plaintext discarded, not hashed) and, with BlobHash::yes, the blob
// hash computed (with BlobHash::no the digest's blob_hash stays empty). A
// large blob is decrypted on two cores, its second half from the stream
// state that the first half's MACs give (docs/FORMAT.md, "What verify checks
// of a blob"), then hashed on two cores. Whatever fails, the blob is read
// again in order by read_blob, so that the error and its message are
// read_blob's.
BlobDigest authenticate_blob(int blob_fd, const Bytes& archive_id, const Bytes& uid, const SecretBuffer& doc_key,
                             const std::function<void(std::uint64_t)>& progress = {}, BlobHash blob_hash = BlobHash::yes);

// Its part that reads by position (any blob long enough for a final chunk; two
// cores from two batches of chunks on): the digest, or nothing where
// anything did not authenticate or read as expected.
std::optional<BlobDigest> authenticate_blob_on_two_cores(int blob_fd, const Bytes& archive_id, const Bytes& uid,
                                                         const SecretBuffer& doc_key,
                                                         const std::function<void(std::uint64_t)>& progress = {},
                                                         BlobHash blob_hash = BlobHash::yes);

}  // namespace kaappi
