// loose_keys.h — SecretKeys over key halves a test made itself, without a
// key file: signing with an Ed25519 secret key, or opening what was sealed
// to an X25519 one, or deriving from a master secret (the operations are KeyFileSecrets', the one rule).
#pragma once

#include <algorithm>

#include "keys/secret_keys.h"

namespace kaappi::test {

class LooseKeys final : public SecretKeys {
 public:
  LooseKeys() = default;
  static LooseKeys for_signing(const Bytes& sign_pk, const SecretBuffer& sign_sk) {
    LooseKeys k;
    k.m_key.sign_pk = sign_pk;
    k.m_key.sign_sk = copy(sign_sk);
    return k;
  }
  static LooseKeys for_opening(const Bytes& box_pk, const SecretBuffer& box_sk) {
    LooseKeys k;
    k.m_key.box_pk = box_pk;
    k.m_key.box_sk = copy(box_sk);
    return k;
  }
  static LooseKeys for_deriving(const SecretBuffer& master) {
    LooseKeys k;
    k.m_key.master = copy(master);
    return k;
  }
  const Bytes& box_pk() const override { return m_key.box_pk; }
  const Bytes& sign_pk() const override { return m_key.sign_pk; }
  Bytes sign(ByteView message) const override { return KeyFileSecrets(m_key).sign(message); }
  std::optional<SecretBuffer> open_sealed(ByteView sealed) const override {
    return KeyFileSecrets(m_key).open_sealed(sealed);
  }
  SecretBuffer derive(ArchiveKey which) const override { return KeyFileSecrets(m_key).derive(which); }

 private:
  static SecretBuffer copy(const SecretBuffer& s) {
    SecretBuffer out(s.size());
    std::copy(s.bytes().begin(), s.bytes().end(), out.data());
    return out;
  }
  UnlockedKey m_key;
};

}  // namespace kaappi::test
