// field_cipher.h — format 1's sealed fields (one archive-wide field key),
// blind indexes and content tags: what kaappi upgrade opens to seal the
// values anew under format 2's keys (index_keys.h).
//
// Its keys are derived from the key file's master secret (archive_keys.h):
// the field key, the blind-index key and the content-tag key. A field is sealed by keys/sealed_value.h
// under the field key, labelled "kaappi-field-v1". Thread-compatible (const
// methods).
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
  SecretBuffer m_field_key, m_index_key, m_tag_key;
  Bytes m_archive_id;
};

}  // namespace kaappi
