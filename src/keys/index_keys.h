// index_keys.h — the keys of a format-2 index (docs/FORMAT.md, "Hashes and
// keys"), held by a session once the key is unlocked: the archive's field
// key (values that belong to no one person), the blind-index key (customer
// numbers), the unassigned tag key (duplicate tags of documents without a
// customer) and the customers' keys (CustomerKeyRing, unwrapped as they are
// needed). Which key seals which column is said here, once:
//
//   customer_versions.*, consent_events.event       their customer's key
//   access_log.reason                                the key of its customer_id; without one, the document's metadata key
//   documents.meta                                   the document's metadata key
//   document_assignments.reason, document_kinds.reason
//                                                    the document's metadata key; erased with the
//                                                    document, and a move's with either customer
//                                                    (rights/erasure.cpp)
//   documents.content_tag, document_assignments.content_tag
//                                                    the customer's tag key; without one, the unassigned tag key
//   reads.reason                                     the key of the one customer the row names; naming several, the field key
//   stations.name, restores.reason, reads.customers  the field key
//
// Not movable (sealers view its members). Adding customer keys is not
// thread-safe; everything else is const.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/secret.h"
#include "keys/customer_keys.h"
#include "keys/secret_keys.h"
#include "keys/value_sealer.h"

namespace kaappi {

class IndexKeys {
 public:
  IndexKeys(const SecretKeys& secrets, Bytes archive_id);
  IndexKeys(const IndexKeys&) = delete;
  IndexKeys& operator=(const IndexKeys&) = delete;

  const Bytes& archive_id() const { return m_archive_id; }
  // Station names, restore and erasure reasons, which customers a read showed.
  const ValueSealer& field() const { return m_field; }
  // The blind index of a customer number (customers.number_tag).
  Bytes number_tag(std::string_view number) const;

  CustomerKeyRing& customer_keys() { return m_customers; }
  const CustomerKeyRing& customer_keys() const { return m_customers; }
  // The sealer of one customer's values; their key must be held.
  ValueSealer customer(std::int64_t customer_id) const;
  // A document's duplicate tag: under its customer's tag key (customer_id
  // > 0, whose key must be held) or the unassigned tag key (0).
  Bytes content_tag(std::int64_t customer_id, ByteView content_hash) const;
  // The sealer of a document's metadata, from its (opened) document key.
  ValueSealer document(const SecretBuffer& document_key) const;

 private:
  Bytes m_archive_id;
  ValueSealer m_field;
  SecretBuffer m_index_key, m_unassigned_tag_key;
  CustomerKeyRing m_customers;
};

}  // namespace kaappi
