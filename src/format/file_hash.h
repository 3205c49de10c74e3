// file_hash.h — format 2's hash of a file's bytes (docs/FORMAT.md, "Hashes and
// keys"): SHA-256("kaappi-seg-v2" ‖ u64 length ‖ SHA-256(S_0) ‖ SHA-256(S_1) ‖ …)
// over the consecutive 1 MiB segments S_i of the bytes. The segments hash
// independently, so one large file is hashed on every core. The blob hash is
// the file hash of a blob file, the content hash that of its plaintext.
#pragma once

#include <cstdint>
#include <functional>

#include "base/bytes.h"
#include "base/sha256.h"

namespace kaappi {

constexpr std::size_t k_hash_segment_size = std::size_t{1} << 20;

// The file hash of bytes fed in pieces of any size, in order.
class FileHash {
 public:
  void add(ByteView bytes);
  // The hash of everything added; the hasher is then empty again.
  Sha256Digest finish();
  std::uint64_t size() const { return m_size; }

 private:
  Sha256 m_segment;
  std::size_t m_in_segment = 0;
  std::uint64_t m_size = 0;
  Bytes m_segment_hashes;
};

// The file hash of bytes whose segments were hashed elsewhere (in order).
Sha256Digest file_hash_of_segments(std::uint64_t size, ByteView segment_hashes);

// The file hash of fd's first max_size bytes (fewer where the file ends),
// read with pread (the file offset is not used), segments hashed on up to
// `threads` threads. size_out is the number of bytes hashed. progress, if
// given, is called on the calling thread with the bytes hashed so far, and
// at the end with the total (when any byte was hashed).
Sha256Digest hash_file_segments(int fd, std::uint64_t max_size, std::uint64_t& size_out, unsigned threads,
                                const std::function<void(std::uint64_t)>& progress = {});

}  // namespace kaappi
