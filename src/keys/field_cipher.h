// field_cipher.h — encryption of personal and free-text fields in the index,
// keyed blind indexes for lookups, and keyed content tags for duplicates.
//
// Keys are derived from the key file's master secret with
// crypto_kdf_derive_from_key (context "kaappiFK"): 1 field encryption,
// 2 blind index, 3 content tag. A sealed field is nonce[24] | XChaCha20-
// Poly1305 ciphertext of the value padded to a 32-byte block; its associated
// data names the archive, table, column and row uid, so a value copied to
// another row or column fails to open. Thread-compatible (const methods).
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/secret.h"

namespace kaappi {

class FieldCipher {
 public:
  FieldCipher(const SecretBuffer& master, Bytes archive_id);

  Bytes seal(std::string_view table, std::string_view column, ByteView row_uid, std::string_view value) const;
  // Throws ErrorKind::corrupt naming table/column if the value does not open.
  std::string open(std::string_view table, std::string_view column, ByteView row_uid, ByteView sealed) const;
  // Keyed BLAKE2b-256 of a normalized value within a named domain.
  Bytes blind_index(std::string_view domain, std::string_view value) const;
  // Keyed tag of a document's content hash (duplicate detection).
  Bytes content_tag(ByteView content_hash) const;

 private:
  Bytes associated_data(std::string_view table, std::string_view column, ByteView row_uid) const;
  SecretBuffer m_field_key, m_index_key, m_tag_key;
  Bytes m_archive_id;
};

}  // namespace kaappi
