// secret_keys.cpp — see secret_keys.h.
#include "keys/secret_keys.h"

#include <sodium.h>

#include "base/error.h"

namespace kaappi {

Bytes KeyFileSecrets::sign(ByteView message) const {
  if (m_key.sign_sk.size() != crypto_sign_SECRETKEYBYTES) fail(ErrorKind::internal, "no signing key is unlocked");
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), m_key.sign_sk.data());
  return sig;
}

std::optional<SecretBuffer> KeyFileSecrets::open_sealed(ByteView sealed) const {
  if (sealed.size() <= crypto_box_SEALBYTES || m_key.box_pk.size() != crypto_box_PUBLICKEYBYTES ||
      m_key.box_sk.size() != crypto_box_SECRETKEYBYTES)
    return std::nullopt;
  SecretBuffer plain(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), m_key.box_pk.data(), m_key.box_sk.data()) != 0)
    return std::nullopt;
  return plain;
}

SecretBuffer KeyFileSecrets::derive(ArchiveKey which) const { return derive_archive_key(m_key.master, which); }

}  // namespace kaappi
