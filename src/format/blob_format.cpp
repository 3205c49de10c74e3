// blob_format.cpp — see blob_format.h and docs/FORMAT.md ("Blob").
#include "format/blob_format.h"

#include <sodium.h>

#include <sys/stat.h>

#include <algorithm>

#include "base/chunk_pipeline.h"
#include "base/error.h"

namespace kaappi {
namespace {
constexpr std::string_view k_magic = "KAAPPIB1";
constexpr std::uint8_t k_chunk_log2 = 16;
}  // namespace

Bytes BlobHeader::serialize() const {
  Bytes h;
  put_bytes(h, as_bytes(k_magic));
  put_u8(h, version);
  put_u8(h, k_chunk_log2);
  put_u8(h, 0);
  put_u8(h, 0);
  put_bytes(h, archive_id);
  put_bytes(h, uid);
  put_bytes(h, stream_header);
  return h;
}

bool BlobHeader::parse(ByteView b, BlobHeader& out, std::string& reason) {
  if (b.size() < k_blob_header_size) {
    reason = "blob is shorter than its header";
    return false;
  }
  if (!std::equal(k_magic.begin(), k_magic.end(), b.begin())) {
    reason = "blob header has the wrong magic";
    return false;
  }
  if (b[8] != 1 || b[9] != k_chunk_log2 || b[10] != 0 || b[11] != 0) {
    reason = "blob header has an unknown version or chunk size";
    return false;
  }
  out.version = b[8];
  out.archive_id.assign(b.begin() + 12, b.begin() + 28);
  out.uid.assign(b.begin() + 28, b.begin() + 44);
  out.stream_header.assign(b.begin() + 44, b.begin() + 68);
  return true;
}

BlobHashes::BlobHashes(ByteView blob_header, AlsoFormat1 also_format1, ContentHash content)
    : m_format1(also_format1 == AlsoFormat1::yes), m_plain(content == ContentHash::yes) {
  if (m_format1) {
    crypto_generichash_init(&m_content_v1, nullptr, 0, k_hash_size);
    crypto_generichash_init(&m_blob_v1, nullptr, 0, k_hash_size);
  }
  add_blob(blob_header);
}

void BlobHashes::add_plain(ByteView plain) {
  if (!m_plain) return;
  m_content.add(plain);
  if (m_format1) crypto_generichash_update(&m_content_v1, plain.data(), plain.size());
}

void BlobHashes::add_blob(ByteView bytes) {
  m_blob.add(bytes);
  if (m_format1) crypto_generichash_update(&m_blob_v1, bytes.data(), bytes.size());
}

void BlobHashes::finish(BlobDigest& digest) {
  const Sha256Digest blob = m_blob.finish();
  digest.blob_hash.assign(blob.begin(), blob.end());
  if (m_plain) {
    const Sha256Digest content = m_content.finish();
    digest.content_hash.assign(content.begin(), content.end());
  }
  if (m_format1) {
    digest.blob_hash_v1.resize(k_hash_size);
    if (m_plain) {
      digest.content_hash_v1.resize(k_hash_size);
      crypto_generichash_final(&m_content_v1, digest.content_hash_v1.data(), k_hash_size);
    }
    crypto_generichash_final(&m_blob_v1, digest.blob_hash_v1.data(), k_hash_size);
  }
}

SecretBuffer new_document_key() {
  SecretBuffer key(crypto_secretstream_xchacha20poly1305_KEYBYTES);
  crypto_secretstream_xchacha20poly1305_keygen(key.data());
  return key;
}

Bytes seal_document_key(const SecretBuffer& doc_key, const Bytes& box_pk) {
  Bytes sealed(crypto_box_SEALBYTES + doc_key.size());
  if (crypto_box_seal(sealed.data(), doc_key.data(), doc_key.size(), box_pk.data()) != 0)
    fail(ErrorKind::internal, "could not seal a document key");
  return sealed;
}

BlobDigest write_blob(int in_fd, AtomicFile& out, const Bytes& archive_id, const Bytes& uid,
                      const SecretBuffer& doc_key, std::uint64_t max_plain_size,
                      const std::function<void(std::uint64_t)>& progress, AlsoFormat1 also_format1) {
  crypto_secretstream_xchacha20poly1305_state state;
  BlobHeader header;
  header.archive_id = archive_id;
  header.uid = uid;
  header.stream_header.resize(crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  crypto_secretstream_xchacha20poly1305_init_push(&state, header.stream_header.data(), doc_key.data());
  Bytes head = header.serialize();

  BlobHashes hashes(head, also_format1);
  out.write(head);

  BlobDigest digest;
  digest.blob_size = head.size();
  {
    // This thread reads and encrypts, one batch of up to 16 chunks at a
    // time; one stage hashes the plaintext, the other hashes and writes the
    // ciphertext (docs/FORMAT.md "Blob").
    // A small file needs small buffers: size a batch to the file, up to 16 chunks.
    size_t batch_chunks = k_batch_chunks;
    struct stat st {};
    if (::fstat(in_fd, &st) == 0 && S_ISREG(st.st_mode))
      batch_chunks = std::clamp<size_t>(static_cast<size_t>(st.st_size) / k_chunk_plain_size + 1, 1, k_batch_chunks);
    const size_t batch_plain = batch_chunks * k_chunk_plain_size;
    // A file that fits in one batch is hashed and written on this thread.
    const bool one_batch = batch_chunks < k_batch_chunks;
    ChunkPipeline pipeline(
        4, batch_plain, batch_chunks * k_chunk_cipher_size,
        {[&](ChunkPipeline::Slot& s) { hashes.add_plain(ByteView(s.plain.data(), s.plain_len)); },
         [&](ChunkPipeline::Slot& s) {
           hashes.add_blob(ByteView(s.cipher.data(), s.cipher_len));
           out.write(ByteView(s.cipher.data(), s.cipher_len));
         }},
        one_batch ? ChunkPipeline::Threads::none : ChunkPipeline::Threads::one_per_stage);
    // We must know whether a chunk is the last one before encrypting it, so
    // we read one batch ahead.
    ChunkPipeline::Slot* current = &pipeline.acquire();
    current->plain_len = read_full(in_fd, current->plain.data(), batch_plain, "the input file");
    bool first = true;
    for (;;) {
      ChunkPipeline::Slot* next = nullptr;
      if (current->plain_len == batch_plain) {
        next = &pipeline.acquire();
        next->plain_len = read_full(in_fd, next->plain.data(), batch_plain, "the input file");
        if (next->plain_len == 0) {
          pipeline.unacquire();
          next = nullptr;
        }
      }
      bool last = next == nullptr;
      digest.plain_size += current->plain_len;
      if (digest.plain_size > max_plain_size)
        fail(ErrorKind::rejected,
             "the file is larger than the limit of " + std::to_string(max_plain_size >> 20) + " MiB");
      size_t offset = 0;
      current->cipher_len = 0;
      do {  // runs once for an empty file: one empty final chunk
        size_t n = std::min(k_chunk_plain_size, current->plain_len - offset);
        bool final_chunk = last && offset + n == current->plain_len;
        unsigned long long cipher_len = 0;
        // Header identity (magic .. uid) is the first chunk's associated data.
        crypto_secretstream_xchacha20poly1305_push(
            &state, current->cipher.data() + current->cipher_len, &cipher_len, current->plain.data() + offset, n,
            first ? head.data() : nullptr, first ? 44 : 0,
            final_chunk ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        first = false;
        current->cipher_len += cipher_len;
        offset += n;
      } while (offset < current->plain_len);
      digest.blob_size += current->cipher_len;
      pipeline.publish();
      if (progress) progress(digest.plain_size);
      if (last) break;
      current = next;
    }
    pipeline.finish();
  }
  sodium_memzero(&state, sizeof state);
  hashes.finish(digest);
  return digest;
}

Bytes hash_file_format1(int fd, std::uint64_t max_size, std::uint64_t& size_out,
                const std::function<void(std::uint64_t)>& progress) {
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, k_hash_size);
  Bytes buf(1 << 20);
  size_out = 0;
  while (size_out < max_size) {
    size_t n = read_full(fd, buf.data(), static_cast<size_t>(std::min<std::uint64_t>(buf.size(), max_size - size_out)),
                         "a blob");
    if (n == 0) break;
    crypto_generichash_update(&h, buf.data(), n);
    size_out += n;
    if (progress) progress(size_out);
  }
  Bytes out(k_hash_size);
  crypto_generichash_final(&h, out.data(), out.size());
  return out;
}

}  // namespace kaappi
