// secret_arena.cpp — see secret_arena.h.
#include "base/secret_arena.h"

#include <algorithm>

#include "base/error.h"

namespace kaappi {

SecretArena::SecretArena(std::size_t secret_size, std::size_t per_chunk)
    : m_secret_size(secret_size), m_per_chunk(per_chunk) {
  if (secret_size == 0 || per_chunk == 0) fail(ErrorKind::internal, "a secret arena needs a secret size and a chunk size");
}

std::size_t SecretArena::add() {
  if (m_count == m_chunks.size() * m_per_chunk) m_chunks.emplace_back(m_secret_size * m_per_chunk);  // zeroed
  return m_count++;
}

std::size_t SecretArena::add(ByteView secret) {
  if (secret.size() != m_secret_size) fail(ErrorKind::internal, "a secret of the wrong size for its arena");
  const std::size_t n = add();
  std::copy(secret.begin(), secret.end(), slot(n));
  return n;
}

const std::uint8_t* SecretArena::at(std::size_t n) const {
  if (n >= m_count) fail(ErrorKind::internal, "no such slot in a secret arena");
  return m_chunks[n / m_per_chunk].data() + (n % m_per_chunk) * m_secret_size;
}

std::uint8_t* SecretArena::slot(std::size_t n) { return const_cast<std::uint8_t*>(at(n)); }

ByteView SecretArena::view(std::size_t n) const { return {at(n), m_secret_size}; }

void SecretArena::clear() {
  m_chunks.clear();  // each SecretBuffer wipes itself
  m_count = 0;
}

}  // namespace kaappi
