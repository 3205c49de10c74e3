// blob_reader.cpp — see blob_reader.h.
#include "keys/blob_reader.h"

#include <sodium.h>

#include <sys/stat.h>

#include <algorithm>
#include <vector>

#include "base/chunk_pipeline.h"
#include "base/error.h"

namespace kaappi {

SecretBuffer open_document_key(const Bytes& sealed, const Bytes& box_pk, const SecretBuffer& box_sk) {
  if (sealed.size() != k_sealed_key_size) fail(ErrorKind::corrupt, "the document key in the index has the wrong size");
  SecretBuffer key(crypto_secretstream_xchacha20poly1305_KEYBYTES);
  if (crypto_box_seal_open(key.data(), sealed.data(), sealed.size(), box_pk.data(), box_sk.data()) != 0)
    fail(ErrorKind::corrupt, "the document key does not open with the archive's key");
  return key;
}

BlobDigest read_blob(int blob_fd, const Bytes& archive_id, const Bytes& uid, const SecretBuffer& doc_key,
                     const std::function<void(ByteView)>& sink,
                     const std::function<void(std::uint64_t)>& progress, AlsoFormat1 also_format1,
                     ContentHash content) {
  Bytes head(k_blob_header_size);
  size_t n = read_full(blob_fd, head.data(), head.size(), "a blob");
  BlobHeader header;
  std::string reason;
  if (n != head.size()) fail(ErrorKind::corrupt, "blob is truncated inside its header");
  if (!BlobHeader::parse(head, header, reason)) fail(ErrorKind::corrupt, reason);
  if (header.archive_id != archive_id) fail(ErrorKind::corrupt, "blob belongs to another archive");
  if (header.uid != uid) fail(ErrorKind::corrupt, "blob belongs to another document (swapped or moved)");

  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, header.stream_header.data(), doc_key.data()) != 0)
    fail(ErrorKind::corrupt, "blob stream header is invalid");
  BlobHashes hashes(head, also_format1, content);

  BlobDigest digest;
  digest.blob_size = head.size();
  {
    // This thread reads and decrypts a batch of chunks at a time; one stage
    // hashes the ciphertext, the other (when there is a plaintext hash or a
    // sink) hashes the plaintext and hands it on.
    std::vector<ChunkPipeline::Stage> stages = {
        [&](ChunkPipeline::Slot& s) { hashes.add_blob(ByteView(s.cipher.data(), s.cipher_len)); }};
    if (hashes.hashes_plain() || sink)
      stages.push_back([&](ChunkPipeline::Slot& s) {
        hashes.add_plain(ByteView(s.plain.data(), s.plain_len));
        if (sink) sink(ByteView(s.plain.data(), s.plain_len));
      });
    // A blob that fits in one batch is hashed (and handed on) on this thread.
    struct stat st {};
    const bool one_batch = ::fstat(blob_fd, &st) == 0 && S_ISREG(st.st_mode) &&
                           static_cast<std::uint64_t>(st.st_size) < k_blob_header_size + k_batch_cipher_size;
    ChunkPipeline pipeline(4, k_batch_plain_size, k_batch_cipher_size, std::move(stages),
                           one_batch ? ChunkPipeline::Threads::none : ChunkPipeline::Threads::one_per_stage);
    bool first = true, final_seen = false;
    std::uint64_t chunk = 0;
    while (!final_seen) {
      ChunkPipeline::Slot& slot = pipeline.acquire();
      slot.cipher_len = read_full(blob_fd, slot.cipher.data(), k_batch_cipher_size, "a blob");
      slot.plain_len = 0;
      size_t offset = 0;
      if (slot.cipher_len == 0)
        fail(ErrorKind::corrupt, "blob is truncated (chunk " + std::to_string(chunk) + " and the final chunk are missing)");
      while (offset < slot.cipher_len) {
        size_t len = std::min(k_chunk_cipher_size, slot.cipher_len - offset);
        if (len < crypto_secretstream_xchacha20poly1305_ABYTES)
          fail(ErrorKind::corrupt, "blob is truncated (chunk " + std::to_string(chunk) + " is cut short)");
        unsigned long long plain_len = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&state, slot.plain.data() + slot.plain_len, &plain_len, &tag,
                                                       slot.cipher.data() + offset, len,
                                                       first ? head.data() : nullptr, first ? 44 : 0) != 0)
          fail(ErrorKind::corrupt, "blob chunk " + std::to_string(chunk) +
                                       " failed authentication (altered, truncated or not for this document)");
        first = false;
        slot.plain_len += plain_len;
        offset += len;
        final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (final_seen) {
          std::uint8_t extra = 0;
          if (offset != slot.cipher_len || read_full(blob_fd, &extra, 1, "a blob") != 0)
            fail(ErrorKind::corrupt, "blob has bytes after its final chunk");
        } else if (len != k_chunk_cipher_size) {
          fail(ErrorKind::corrupt, "blob is truncated after chunk " + std::to_string(chunk));
        }
        ++chunk;
      }
      if (!final_seen && slot.cipher_len != k_batch_cipher_size)
        fail(ErrorKind::corrupt, "blob is truncated (its final chunk is missing)");
      digest.blob_size += slot.cipher_len;
      digest.plain_size += slot.plain_len;
      pipeline.publish();
      if (progress) progress(digest.blob_size);
    }
    pipeline.finish();
  }
  sodium_memzero(&state, sizeof state);
  hashes.finish(digest);
  return digest;
}

}  // namespace kaappi
