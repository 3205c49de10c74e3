// sha256.h — SHA-256, from OpenSSL's libcrypto. libcrypto is used for this
// hash only (its SHA extensions make it about twice as fast as BLAKE2b here);
// every cipher, signature, key exchange, key derivation and keyed tag is
// libsodium's.
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.h"

namespace kaappi {

constexpr std::size_t k_sha256_size = 32;
using Sha256Digest = std::array<std::uint8_t, k_sha256_size>;

// A running SHA-256. add() any number of times, then finish() once; after
// finish() it starts again from empty.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;

  Sha256& add(ByteView bytes);
  Sha256& add(std::string_view text) { return add(as_bytes(text)); }
  Sha256Digest finish();

 private:
  struct Context;
  Context* m_context;
};

// SHA-256 of bytes in one call.
Sha256Digest sha256(ByteView bytes);

}  // namespace kaappi
