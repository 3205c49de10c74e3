// secret.h — the one owner of secret bytes.
//
// SecretBuffer holds keys, passphrases and decrypted key material in memory
// from sodium_malloc (guard pages, mlock'ed, never swapped, left out of core
// dumps) and wipes it with sodium_memzero when freed. Secrets of up to 64
// bytes (keys) take a slot of a shared locked chunk (guard pages around the
// chunk, not each slot): one sodium_malloc each costs ~70 µs. It cannot be copied, only moved, and offers no
// conversion to std::string, so a secret never lands in ordinary memory by
// accident. Not thread-safe; one owner at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace kaappi {

class SecretBuffer {
 public:
  SecretBuffer() = default;
  explicit SecretBuffer(std::size_t size);
  ~SecretBuffer();
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;

  std::uint8_t* data() { return m_data; }
  const std::uint8_t* data() const { return m_data; }
  std::size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  std::span<const std::uint8_t> bytes() const { return {m_data, m_size}; }

  // Shrinks the logical size (the allocation stays; the tail is wiped).
  void truncate(std::size_t new_size);

 private:
  void release();
  std::uint8_t* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
};

// Constant-time comparison of two secrets of the same length.
bool secret_equal(const SecretBuffer& a, const SecretBuffer& b);

}  // namespace kaappi
