// blob_reader.cpp — see blob_reader.h.
#include "keys/blob_reader.h"

#include <sodium.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <optional>
#include <cstring>
#include <thread>
#include <vector>

#include "base/chunk_pipeline.h"
#include "base/error.h"
#include "format/file_hash.h"

namespace kaappi {

SecretBuffer open_document_key(const SecretKeys& keys, const Bytes& sealed) {
  if (sealed.size() != k_sealed_key_size) fail(ErrorKind::corrupt, "the document key in the index has the wrong size");
  std::optional<SecretBuffer> key = keys.open_sealed(sealed);
  if (!key || key->size() != crypto_secretstream_xchacha20poly1305_KEYBYTES)
    fail(ErrorKind::corrupt, "the document key does not open with the archive's key");
  return std::move(*key);
}

BlobDigest read_blob(int blob_fd, const Bytes& archive_id, const Bytes& uid, const SecretBuffer& doc_key,
                     const std::function<void(ByteView)>& sink,
                     const std::function<void(std::uint64_t)>& progress, AlsoFormat1 also_format1,
                     ContentHash content, const BlobSpan* span) {
  // The blob's next bytes: the rest of the file, or of the span.
  std::uint64_t position = 0;
  auto read_next = [&](std::uint8_t* data, size_t size) -> size_t {
    if (!span) return read_full(blob_fd, data, size, "a blob");
    size = static_cast<size_t>(std::min<std::uint64_t>(size, span->size - std::min(position, span->size)));
    size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pread(blob_fd, data + done, size - done, static_cast<off_t>(span->offset + position + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_errno("cannot read a blob");
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    position += done;
    return done;
  };
  const bool copied = span && span->copy;
  Bytes head(k_blob_header_size);
  size_t n = read_next(head.data(), head.size());
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
    bool header_copied = false;
    std::vector<ChunkPipeline::Stage> stages = {[&](ChunkPipeline::Slot& s) {
      const ByteView cipher(s.cipher.data(), s.cipher_len);
      hashes.add_blob(cipher);
      if (!copied) return;
      if (header_copied) return span->copy(cipher);
      // The header with the first batch: a small blob is one write.
      Bytes first(head);
      first.insert(first.end(), cipher.begin(), cipher.end());
      span->copy(first);
      header_copied = true;
    }};
    if (hashes.hashes_plain() || sink)
      stages.push_back([&](ChunkPipeline::Slot& s) {
        hashes.add_plain(ByteView(s.plain.data(), s.plain_len));
        if (sink) sink(ByteView(s.plain.data(), s.plain_len));
      });
    // A blob that fits in one batch is hashed (and handed on) on this thread.
    struct stat st {};
    const bool one_batch =
        span ? span->size < k_blob_header_size + k_batch_cipher_size
             : ::fstat(blob_fd, &st) == 0 && S_ISREG(st.st_mode) &&
                   static_cast<std::uint64_t>(st.st_size) < k_blob_header_size + k_batch_cipher_size;
    ChunkPipeline pipeline(4, k_batch_plain_size, k_batch_cipher_size, std::move(stages),
                           one_batch ? ChunkPipeline::Threads::none : ChunkPipeline::Threads::one_per_stage);
    bool first = true, final_seen = false;
    std::uint64_t chunk = 0;
    while (!final_seen) {
      ChunkPipeline::Slot& slot = pipeline.acquire();
      slot.cipher_len = read_next(slot.cipher.data(), k_batch_cipher_size);
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
          if (offset != slot.cipher_len || read_next(&extra, 1) != 0)
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

namespace {

using StreamState = crypto_secretstream_xchacha20poly1305_state;

// libsodium's secretstream after pulling a chunk of tag 0: the 8-byte inner
// nonce (nonce bytes 4..11) XORed with the first 8 bytes of the chunk's MAC
// (its last 16 bytes), the 4-byte counter (nonce bytes 0..3) incremented; the
// key changes only on a REKEY tag or when the counter wraps (2^32 chunks),
// neither of which a blob has (docs/FORMAT.md, "Blob").
constexpr size_t k_counter_bytes = 4, k_inner_nonce_bytes = 8;  // libsodium's, not exported
static_assert(sizeof(StreamState{}.nonce) == k_counter_bytes + k_inner_nonce_bytes);

void advance_past(StreamState& state, const std::uint8_t* mac) {
  for (size_t i = 0; i < k_inner_nonce_bytes; ++i) state.nonce[k_counter_bytes + i] ^= mac[i];
  sodium_increment(state.nonce, k_counter_bytes);
}

bool pread_all(int fd, std::uint8_t* buffer, size_t size, std::uint64_t offset) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buffer + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Decrypts and authenticates chunks [first, end) of a blob of `chunks`
// chunks whose last one is `last_size` bytes, from `state` (the state before
// chunk `first`). False at the first chunk that does not authenticate, has
// the wrong tag or cannot be read: the caller then reads the blob again in
// order, for the reason.
bool authenticate_chunks(int fd, StreamState state, std::uint64_t first, std::uint64_t end, std::uint64_t chunks,
                         size_t last_size, ByteView header, std::atomic<std::uint64_t>& done,
                         const std::atomic<bool>& stop, const std::function<void()>& after_batch = {}) {
  // Buffers for one batch, or for fewer chunks where that is all there is
  // (a small blob's verify allocates, and locks, no more than it reads).
  const std::uint64_t most = std::min<std::uint64_t>(k_batch_chunks, end - first);
  const size_t cipher_size = static_cast<size_t>(most) * k_chunk_cipher_size;
  std::unique_ptr<std::uint8_t[]> cipher(new std::uint8_t[cipher_size]);
  SecretBuffer plain(static_cast<size_t>(most) * k_chunk_plain_size);
  for (std::uint64_t i = first; i < end && !stop;) {
    const std::uint64_t n = std::min<std::uint64_t>(k_batch_chunks, end - i);
    const bool has_last = i + n == chunks;
    const size_t bytes = static_cast<size_t>(n - (has_last ? 1 : 0)) * k_chunk_cipher_size + (has_last ? last_size : 0);
    if (!pread_all(fd, cipher.get(), bytes, k_blob_header_size + i * k_chunk_cipher_size)) return false;
    size_t offset = 0;
    for (std::uint64_t c = i; c < i + n; ++c) {
      const size_t len = c + 1 == chunks ? last_size : k_chunk_cipher_size;
      unsigned long long plain_len = 0;
      unsigned char tag = 0xff;
      const bool first_chunk = c == 0;
      if (crypto_secretstream_xchacha20poly1305_pull(&state, plain.data(), &plain_len, &tag, cipher.get() + offset, len,
                                                     first_chunk ? header.data() : nullptr, first_chunk ? 44 : 0) != 0)
        return false;
      const unsigned char expected = c + 1 == chunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
      if (tag != expected) return false;
      offset += len;
    }
    done += bytes;
    i += n;
    if (after_batch) after_batch();
  }
  sodium_memzero(&state, sizeof state);
  return !stop;
}

}  // namespace

std::optional<BlobDigest> authenticate_blob_on_two_cores(int blob_fd, const Bytes& archive_id, const Bytes& uid,
                                                         const SecretBuffer& doc_key,
                                                         const std::function<void(std::uint64_t)>& progress,
                                                         BlobHash blob_hash) {
  struct stat st {};
  const bool regular = ::fstat(blob_fd, &st) == 0 && S_ISREG(st.st_mode);
  const std::uint64_t size = regular ? static_cast<std::uint64_t>(st.st_size) : 0;
  const auto in_order = std::nullopt;
  if (size < k_blob_header_size + crypto_secretstream_xchacha20poly1305_ABYTES) return in_order;
  Bytes head(k_blob_header_size);
  BlobHeader header;
  std::string reason;
  if (!pread_all(blob_fd, head.data(), head.size(), 0) || !BlobHeader::parse(head, header, reason) ||
      header.archive_id != archive_id || header.uid != uid)
    return in_order;  // for the reason
  const std::uint64_t body = size - k_blob_header_size;
  const std::uint64_t chunks = (body + k_chunk_cipher_size - 1) / k_chunk_cipher_size;
  const size_t last_size = static_cast<size_t>(body - (chunks - 1) * k_chunk_cipher_size);
  if (last_size < crypto_secretstream_xchacha20poly1305_ABYTES) return in_order;

  StreamState start;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&start, header.stream_header.data(), doc_key.data()) != 0)
    return in_order;
  // A blob of fewer than two batches is decrypted on this thread alone.
  const bool two_cores = chunks >= 2 * k_batch_chunks;
  // The second half starts from the state after the first half's chunks,
  // which their MACs give without decrypting them (a MAC that is wrong
  // fails that chunk's own authentication in the first half).
  const std::uint64_t middle = two_cores ? chunks / 2 : chunks;
  StreamState second = start;
  if (two_cores) {
    std::uint8_t mac[crypto_onetimeauth_poly1305_BYTES];
    for (std::uint64_t c = 0; c < middle; ++c) {
      if (!pread_all(blob_fd, mac, sizeof mac, k_blob_header_size + (c + 1) * k_chunk_cipher_size - sizeof mac))
        return in_order;
      advance_past(second, mac);
    }
  }
  // Decryption is half the work where the blob is hashed after it.
  const std::uint64_t share = blob_hash == BlobHash::yes ? 2 : 1;
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> stop{false};
  bool second_ok = !two_cores;
  std::exception_ptr second_error;
  std::thread other;
  if (two_cores)
    other = std::thread([&] {
      try {
        second_ok = authenticate_chunks(blob_fd, second, middle, chunks, chunks, last_size, head, done, stop);
      } catch (...) {
        second_error = std::current_exception();
      }
      if (!second_ok) stop = true;
    });
  bool first_ok = false;
  try {
    first_ok = authenticate_chunks(blob_fd, start, 0, middle, chunks, last_size, head, done, stop, [&] {
      if (progress) progress(done / share);
    });
  } catch (...) {
    stop = true;
    if (other.joinable()) other.join();
    throw;
  }
  if (!first_ok) stop = true;
  if (other.joinable()) other.join();
  sodium_memzero(&start, sizeof start);
  sodium_memzero(&second, sizeof second);
  if (second_error) std::rethrow_exception(second_error);
  if (!first_ok || !second_ok) return in_order;

  BlobDigest digest;
  digest.blob_size = size;
  digest.plain_size = body - chunks * crypto_secretstream_xchacha20poly1305_ABYTES;
  if (blob_hash == BlobHash::no) {
    if (progress) progress(size);
    return digest;
  }
  if (progress) progress(size / 2);
  std::uint64_t hashed = 0;
  const Sha256Digest hash = hash_file_segments(blob_fd, size, hashed, 2, [&](std::uint64_t n) {
    if (progress) progress(size / 2 + n / 2);
  });
  if (hashed != size) return in_order;
  digest.blob_hash.assign(hash.begin(), hash.end());
  return digest;
}

BlobDigest authenticate_blob(int blob_fd, const Bytes& archive_id, const Bytes& uid, const SecretBuffer& doc_key,
                             const std::function<void(std::uint64_t)>& progress, BlobHash blob_hash) {
  // With the blob hash, a smaller blob is decrypted beside its hashing (read_blob).
  constexpr std::uint64_t k_two_cores_from = 16ull << 20;
  struct stat st {};
  if (::fstat(blob_fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (blob_hash == BlobHash::no || static_cast<std::uint64_t>(st.st_size) >= k_two_cores_from))
    if (std::optional<BlobDigest> d = authenticate_blob_on_two_cores(blob_fd, archive_id, uid, doc_key, progress, blob_hash))
      return *d;
  if (::lseek(blob_fd, 0, SEEK_SET) != 0) fail_errno("cannot read a blob");
  BlobDigest digest = read_blob(blob_fd, archive_id, uid, doc_key, {}, progress, AlsoFormat1::no, ContentHash::no);
  if (blob_hash == BlobHash::no) digest.blob_hash.clear();  // as the caller asked, whatever read_blob made
  return digest;
}

}  // namespace kaappi
