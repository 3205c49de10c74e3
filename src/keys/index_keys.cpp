// index_keys.cpp — see index_keys.h.
#include "keys/index_keys.h"

#include "keys/archive_keys.h"

namespace kaappi {

IndexKeys::IndexKeys(const SecretKeys& secrets, Bytes archive_id)
    : m_archive_id(std::move(archive_id)),
      m_field(secrets.derive(ArchiveKey::field), m_archive_id),
      m_index_key(secrets.derive(ArchiveKey::blind_index)),
      m_unassigned_tag_key(secrets.derive(ArchiveKey::content_tag)),
      m_customers(secrets.derive(ArchiveKey::customer_wrap), m_archive_id) {}

Bytes IndexKeys::number_tag(std::string_view number) const {
  return blind_index(m_index_key.bytes(), "customer-number", number);
}

ValueSealer IndexKeys::customer(std::int64_t customer_id) const {
  return ValueSealer(m_customers.key(customer_id), m_archive_id);
}

Bytes IndexKeys::content_tag(std::int64_t customer_id, ByteView content_hash) const {
  if (customer_id == 0) return duplicate_tag(m_unassigned_tag_key.bytes(), content_hash);
  return duplicate_tag(m_customers.tag_key(customer_id).bytes(), content_hash);
}

ValueSealer IndexKeys::document(const SecretBuffer& document_key) const {
  return ValueSealer(document_metadata_key(document_key), m_archive_id);
}

}  // namespace kaappi
