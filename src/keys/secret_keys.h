// secret_keys.h — what the archive's unlocked secret key does, wherever it
// is held: sign a transaction's digest (Ed25519), open what was sealed to
// the archive (crypto_box_seal: documents' keys, stations' metadata), and
// derive the index's keys from the master secret (archive_keys.h).
//
// The secrets are held in this process (KeyFileSecrets, over a key unlocked
// from its file) or by the unlock agent (agent/agent_client.h), which does
// these operations itself and never hands out the key file's secrets or its
// passphrase. A session asks an UnlockedKeySource (the agent) first and the
// passphrase only when it holds no key for the key file. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/secret.h"
#include "keys/archive_keys.h"
#include "keys/key_file.h"

namespace kaappi {

class SecretKeys {
 public:
  virtual ~SecretKeys() = default;
  virtual const Bytes& box_pk() const = 0;
  virtual const Bytes& sign_pk() const = 0;
  // The Ed25519 signature (64 bytes) of `message`.
  virtual Bytes sign(ByteView message) const = 0;
  // What `sealed` (crypto_box_seal to box_pk) opens to; nothing when it does not open.
  virtual std::optional<SecretBuffer> open_sealed(ByteView sealed) const = 0;
  // One of the keys derived from the master secret.
  virtual SecretBuffer derive(ArchiveKey which) const = 0;
};

// The secrets of a key unlocked in this process (not owned: `key` must
// outlive it).
class KeyFileSecrets final : public SecretKeys {
 public:
  explicit KeyFileSecrets(const UnlockedKey& key) : m_key(key) {}
  const Bytes& box_pk() const override { return m_key.box_pk; }
  const Bytes& sign_pk() const override { return m_key.sign_pk; }
  Bytes sign(ByteView message) const override;
  std::optional<SecretBuffer> open_sealed(ByteView sealed) const override;
  SecretBuffer derive(ArchiveKey which) const override;

 private:
  const UnlockedKey& m_key;
};

// Where a key may already be unlocked (the unlock agent).
class UnlockedKeySource {
 public:
  virtual ~UnlockedKeySource() = default;
  // The secret keys of `file` as held there, or null when it holds none for
  // it (nothing unlocked, another key, nobody to ask).
  virtual std::unique_ptr<SecretKeys> secret_keys_for(const KeyFile& file) = 0;
  // What a command that used it says with -v (one sentence, no secret).
  virtual std::string used_note() const = 0;
};

}  // namespace kaappi
