// key_file.h — the passphrase-protected key file (format: docs/FORMAT.md).
//
// A key file holds two key pairs — X25519 to open document keys sealed to the
// archive, Ed25519 to sign the index — and a 32-byte master secret from which
// field-encryption and blind-index keys are derived. The public halves are
// readable without the passphrase (keyless verify); the secrets are encrypted
// with XChaCha20-Poly1305 under a key from Argon2id13 with stored parameters.
#pragma once

#include <string>

#include "base/bytes.h"
#include "base/secret.h"

namespace kaappi {

struct KdfCost {
  std::string name;  // interactive | moderate | sensitive | custom
  std::uint64_t opslimit;
  std::uint64_t memlimit;
  static KdfCost named(const std::string& name);  // throws usage error
};

struct UnlockedKey {
  Bytes key_id;            // 8 bytes, public
  Bytes box_pk, sign_pk;   // public halves
  SecretBuffer box_sk;     // 32
  SecretBuffer sign_sk;    // 64
  SecretBuffer master;     // 32
};

class KeyFile {
 public:
  // Parses the text of a key file. `path` is only used in messages.
  static KeyFile parse(const std::string& text, const std::string& path);
  static KeyFile load(const std::string& path);
  // Makes fresh key pairs and a master secret, wrapped under the passphrase.
  static KeyFile generate(const SecretBuffer& passphrase, const KdfCost& cost, UnlockedKey& out);
  // Rewraps already unlocked secrets under a new passphrase (key passwd).
  static KeyFile wrap(const UnlockedKey& key, const SecretBuffer& passphrase, const KdfCost& cost);

  // Throws ErrorKind::auth "wrong passphrase for key file PATH" on failure.
  UnlockedKey unlock(const SecretBuffer& passphrase) const;
  std::string serialize() const;

  const Bytes& key_id() const { return m_key_id; }
  const Bytes& box_pk() const { return m_box_pk; }
  const Bytes& sign_pk() const { return m_sign_pk; }
  std::string kdf_description() const;
  // True for the throwaway key published in keys.example.
  bool is_example_key() const;
  const std::string& path() const { return m_path; }

 private:
  Bytes header_bytes() const;
  std::string m_path;
  std::uint64_t m_opslimit = 0, m_memlimit = 0;
  Bytes m_salt, m_key_id, m_box_pk, m_sign_pk, m_nonce, m_ciphertext;
};

// Default key file location: $XDG_CONFIG_HOME/kaappi/kaappi.key
// (or ~/.config/kaappi/kaappi.key).
std::string default_key_path();

}  // namespace kaappi
