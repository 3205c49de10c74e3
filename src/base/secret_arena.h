// secret_arena.h — many secrets of one size (format 2's customer keys) in a
// few locked, wiped chunks rather than one locked allocation each: 100,000
// sodium_malloc calls take seconds (guard pages and an mlock each) and
// overrun the memory-lock limit, while 100,000 keys of 32 bytes fill 3 MiB.
//
// The chunks are SecretBuffers (locked, never swapped, wiped when freed). A
// slot stays at the same address for the arena's life. Not thread-safe to
// add to; slots may be read from several threads while nothing is added.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"

namespace kaappi {

class SecretArena {
 public:
  // Slots of `secret_size` bytes, `per_chunk` slots to a chunk.
  explicit SecretArena(std::size_t secret_size, std::size_t per_chunk = 2048);

  // A new zeroed slot; returns its number (0, 1, 2, …).
  std::size_t add();
  // A new slot holding `secret`, which must be secret_size() bytes.
  std::size_t add(ByteView secret);
  std::uint8_t* slot(std::size_t n);
  ByteView view(std::size_t n) const;

  std::size_t size() const { return m_count; }
  std::size_t secret_size() const { return m_secret_size; }
  // Wipes and frees every chunk; slot numbers start again from 0.
  void clear();

 private:
  const std::uint8_t* at(std::size_t n) const;
  std::size_t m_secret_size, m_per_chunk;
  std::size_t m_count = 0;
  std::vector<SecretBuffer> m_chunks;
};

}  // namespace kaappi
