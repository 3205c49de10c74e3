// blob_format.h — the encrypted document blob (byte layout: docs/FORMAT.md).
//
// A blob is a 68-byte header (magic, version, chunk size, archive id, document
// uid, secretstream header) followed by XChaCha20-Poly1305 secretstream chunks
// of 64 KiB plaintext; the last chunk carries TAG_FINAL and nothing may follow
// it. The header's identity fields are bound as associated data of the first
// chunk, so a blob moved to another name or archive fails to decrypt.
//
// Writing needs only the archive's public key (the document key is random and
// sealed to the archive's X25519 key), so this half is linked into kaappi-scan.
// Reading (blob_reader.h) needs the document key. Not thread-safe.
#pragma once

#include <sodium.h>

#include <functional>

#include "base/bytes.h"
#include "base/file_io.h"
#include "base/secret.h"
#include "format/file_hash.h"

namespace kaappi {

constexpr size_t k_uid_size = 16;
constexpr size_t k_blob_header_size = 68;
constexpr size_t k_chunk_plain_size = 64 * 1024;
// Work is handed between threads in batches of 16 chunks.
constexpr size_t k_batch_chunks = 16;
constexpr size_t k_batch_plain_size = k_batch_chunks * k_chunk_plain_size;
constexpr size_t k_chunk_cipher_size = k_chunk_plain_size + 17;  // + crypto_secretstream ABYTES
constexpr size_t k_batch_cipher_size = k_batch_chunks * k_chunk_cipher_size;
constexpr size_t k_sealed_key_size = 32 + 48;  // crypto_box_SEALBYTES + key
constexpr size_t k_hash_size = 32;

struct BlobHeader {
  std::uint8_t version = 1;
  Bytes archive_id;   // 16
  Bytes uid;          // 16
  Bytes stream_header;  // 24
  Bytes serialize() const;
  // Returns an empty optional-like: ok=false with a reason on failure.
  static bool parse(ByteView bytes, BlobHeader& out, std::string& reason);
};

// Which format's hashes of a blob: format 2's file hash (SHA-256 by 1 MiB
// segments, format/file_hash.h), or format 1's BLAKE2b-256 of the whole bytes
// (read only: keyless verify of a format-1 archive, the upgrade from it, and
// envelopes of version 1).
enum class BlobHashFormat : std::uint8_t { format1, format2 };

struct BlobDigest {
  std::uint64_t plain_size = 0;
  std::uint64_t blob_size = 0;
  Bytes content_hash;  // format 2: the file hash of the plaintext
  Bytes blob_hash;     // format 2: the file hash of the whole blob file
  // Format 1's BLAKE2b-256 of the same bytes: only when asked for
  // (AlsoFormat1::yes), empty otherwise.
  Bytes content_hash_v1, blob_hash_v1;
};

enum class AlsoFormat1 : bool { no, yes };

// Whether a reader hashes the plaintext too (the content hash), or only the
// blob's bytes: verify --full, where the blob hash fixes every byte, the
// signed row the key, and so the plaintext they decrypt to (docs/FORMAT.md,
// "What verify checks of a blob"). Writers always make both.
enum class ContentHash : bool { no, yes };

// The running hashes of a blob being written or read: format 2's file hash
// of the plaintext (content hash) and of every byte of the blob file (blob
// hash), and, when asked for, format 1's BLAKE2b-256 of both in the same pass.
// ContentHash::no: the plaintext is not hashed (add_plain does nothing; the
// digest's content hashes stay empty).
class BlobHashes {
 public:
  explicit BlobHashes(ByteView blob_header, AlsoFormat1 also_format1 = AlsoFormat1::no,
                      ContentHash content = ContentHash::yes);
  bool hashes_plain() const { return m_plain; }
  void add_plain(ByteView plain);
  void add_blob(ByteView bytes);
  void finish(BlobDigest& digest);

 private:
  FileHash m_content, m_blob;
  bool m_format1, m_plain;
  crypto_generichash_state m_content_v1, m_blob_v1;
};

// A fresh random document key in locked memory.
SecretBuffer new_document_key();
// crypto_box_seal of the document key to the archive's X25519 public key.
Bytes seal_document_key(const SecretBuffer& doc_key, const Bytes& box_pk);

// Encrypts everything readable from in_fd into out (a blob). max_plain_size
// guards against inputs that grow while read; exceeding it is ErrorKind::rejected.
// also_format1: also format 1's hashes (only to seal envelopes of version 1, in tests).
BlobDigest write_blob(int in_fd, AtomicFile& out, const Bytes& archive_id, const Bytes& uid,
                      const SecretBuffer& doc_key, std::uint64_t max_plain_size,
                      const std::function<void(std::uint64_t)>& progress = {},
                      AlsoFormat1 also_format1 = AlsoFormat1::no);

// Format 1's blob hash: BLAKE2b-256 of a file's first max_size bytes (fewer
// at its end), streaming; used by keyless verification of an archive still
// in format 1, which never reads past a blob's signed size. Format 2's is
// hash_file_segments (format/file_hash.h).
Bytes hash_file_format1(int fd, std::uint64_t max_size, std::uint64_t& size_out,
                        const std::function<void(std::uint64_t)>& progress = {});

}  // namespace kaappi
