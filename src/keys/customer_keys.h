// customer_keys.h — format 2's per-customer and per-document keys
// (docs/FORMAT.md, "Hashes and keys"), so that one person's data, or one
// document's, can be made unreadable on its own by destroying its key.
//
// A customer key is 32 random bytes, stored only wrapped (sealed under the
// archive's customer-key wrapping key, bound to the archive and the
// customer's uid) in that customer's customer_keys row. Unwrapped keys are
// held in one SecretArena, however many customers there are. A customer's
// tag key (their documents' duplicate tags) is derived from their key; a
// document's metadata key from its document key. Not thread-safe to add
// keys to (but see open_into_slot); keys held may be read from several
// threads.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/secret_arena.h"

namespace kaappi {

constexpr std::size_t k_customer_key_size = 32;
constexpr std::size_t k_wrapped_customer_key_size = 24 + 32 + 16;  // nonce ‖ key ‖ Poly1305 tag

class CustomerKeyRing {
 public:
  CustomerKeyRing(SecretBuffer wrapping_key, Bytes archive_id);

  // Makes a new random key for the customer, holds it, and returns it
  // wrapped, for the customer's customer_keys row.
  Bytes make(std::int64_t customer_id, ByteView customer_uid);
  // Opens the customer's wrapped key and holds it. Throws ErrorKind::corrupt
  // when it does not open (altered, or copied from another customer or
  // archive).
  void unwrap(std::int64_t customer_id, ByteView customer_uid, ByteView wrapped);
  // Opening many keys on several threads: take_slots() (on one thread)
  // takes `count` slots in a row and returns the first; open_into_slot()
  // (on any thread, each slot by one) opens a wrapped key into one of them,
  // false when it does not open (unwrap() of it says why); hold_slot() (on
  // one thread again) holds what a slot opened as the customer's key. A slot
  // not held stays unused, wiped.
  std::size_t take_slots(std::size_t count);
  bool open_into_slot(std::size_t slot, ByteView customer_uid, ByteView wrapped);
  void hold_slot(std::int64_t customer_id, std::size_t slot);

  // Keys made since the last keep_made() are forgotten by drop_made() (the
  // write whose rows held them was rolled back) or kept by keep_made().
  void keep_made() { m_made.clear(); }
  void drop_made();

  bool holds(std::int64_t customer_id) const { return slot_of(customer_id) != k_none; }
  std::size_t size() const { return m_held; }
  // The customer's key; ErrorKind::internal when it is not held.
  ByteView key(std::int64_t customer_id) const;
  // The customer's tag key: crypto_kdf_derive_from_key(32, 1, "kaappiCT", key).
  SecretBuffer tag_key(std::int64_t customer_id) const;

 private:
  Bytes associated_data(ByteView customer_uid) const;
  // Opens `wrapped` into `out` (k_customer_key_size bytes); false when it does not open.
  bool open_into(std::uint8_t* out, ByteView customer_uid, ByteView wrapped) const;
  // Which arena slot holds a customer's key. Customer ids are 1, 2, 3, ...:
  // those up to k_dense_ids are looked up in a table by id (a hash lookup
  // per event was a seventh of consent list's time at 100,000 customers),
  // any other in a map.
  static constexpr std::size_t k_none = SIZE_MAX;
  static constexpr std::int64_t k_dense_ids = std::int64_t{1} << 22;
  std::size_t slot_of(std::int64_t customer_id) const;
  void set_slot(std::int64_t customer_id, std::size_t slot);
  void forget_slot(std::int64_t customer_id);
  SecretBuffer m_wrapping_key;
  Bytes m_archive_id;
  SecretArena m_arena{k_customer_key_size};
  std::vector<std::size_t> m_dense;  // by customer id; k_none: not held
  std::unordered_map<std::int64_t, std::size_t> m_sparse;
  std::size_t m_held = 0;
  std::vector<std::int64_t> m_made;
};

// A document's metadata key: crypto_kdf_derive_from_key(32, 1, "kaappiDM",
// document key).
SecretBuffer document_metadata_key(const SecretBuffer& document_key);

// A keyed tag (BLAKE2b-256 under `key`) of a document's content hash: its
// duplicate tag under its customer's tag key or the unassigned tag key.
Bytes duplicate_tag(ByteView key, ByteView content_hash);

}  // namespace kaappi
