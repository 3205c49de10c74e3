// field_cipher.cpp — see field_cipher.h.
#include "keys/field_cipher.h"

#include <sodium.h>

#include "base/error.h"
#include "keys/archive_keys.h"
#include "keys/customer_keys.h"
#include "keys/sealed_value.h"

namespace kaappi {
namespace {
constexpr std::string_view k_label = "kaappi-field-v1";
}  // namespace

FieldCipher::FieldCipher(const SecretBuffer& master, Bytes archive_id)
    : m_field_key(derive_archive_key(master, ArchiveKey::field)),
      m_index_key(derive_archive_key(master, ArchiveKey::blind_index)),
      m_tag_key(derive_archive_key(master, ArchiveKey::content_tag)),
      m_archive_id(std::move(archive_id)) {}

Bytes FieldCipher::seal(std::string_view table, std::string_view column, ByteView row_uid,
                        std::string_view value) const {
  return seal_value(m_field_key.bytes(), {k_label, m_archive_id, table, column, row_uid}, value);
}

std::string FieldCipher::open(std::string_view table, std::string_view column, ByteView row_uid,
                              ByteView sealed) const {
  return open_value(m_field_key.bytes(), {k_label, m_archive_id, table, column, row_uid}, sealed);
}

Bytes FieldCipher::blind_index(std::string_view domain, std::string_view value) const {
  return kaappi::blind_index(m_index_key.bytes(), domain, value);
}

Bytes FieldCipher::content_tag(ByteView content_hash) const { return duplicate_tag(m_tag_key.bytes(), content_hash); }

}  // namespace kaappi
