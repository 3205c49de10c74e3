// customer_keys.cpp — see customer_keys.h.
#include "keys/customer_keys.h"

#include <algorithm>

#include <sodium.h>

#include "base/error.h"

namespace kaappi {
namespace {

constexpr std::size_t k_nonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

SecretBuffer derive_subkey(ByteView key, const char (&context)[crypto_kdf_CONTEXTBYTES + 1]) {
  if (key.size() != crypto_kdf_KEYBYTES) fail(ErrorKind::internal, "a key of the wrong size to derive from");
  SecretBuffer out(32);
  crypto_kdf_derive_from_key(out.data(), out.size(), 1, context, key.data());
  return out;
}

}  // namespace

CustomerKeyRing::CustomerKeyRing(SecretBuffer wrapping_key, Bytes archive_id)
    : m_wrapping_key(std::move(wrapping_key)), m_archive_id(std::move(archive_id)) {
  static_assert(k_wrapped_customer_key_size ==
                k_nonce + k_customer_key_size + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  if (m_wrapping_key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    fail(ErrorKind::internal, "a customer-key wrapping key of the wrong size");
}

Bytes CustomerKeyRing::associated_data(ByteView customer_uid) const {
  Bytes ad;
  put_bytes(ad, as_bytes("kaappi-ckey-v2"));
  put_bytes(ad, m_archive_id);
  put_bytes(ad, customer_uid);
  return ad;
}

Bytes CustomerKeyRing::make(std::int64_t customer_id, ByteView customer_uid) {
  if (holds(customer_id)) fail(ErrorKind::internal, "a customer was given a second key");
  const std::size_t slot = m_arena.add();
  randombytes_buf(m_arena.slot(slot), k_customer_key_size);
  set_slot(customer_id, slot);
  m_made.push_back(customer_id);
  Bytes wrapped(k_wrapped_customer_key_size);
  randombytes_buf(wrapped.data(), k_nonce);
  const Bytes ad = associated_data(customer_uid);
  crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped.data() + k_nonce, nullptr, m_arena.slot(slot),
                                             k_customer_key_size, ad.data(), ad.size(), nullptr, wrapped.data(),
                                             m_wrapping_key.data());
  return wrapped;
}

bool CustomerKeyRing::open_into(std::uint8_t* out, ByteView customer_uid, ByteView wrapped) const {
  if (wrapped.size() != k_wrapped_customer_key_size) return false;
  const Bytes ad = associated_data(customer_uid);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, nullptr, nullptr, wrapped.data() + k_nonce,
                                                 wrapped.size() - k_nonce, ad.data(), ad.size(), wrapped.data(),
                                                 m_wrapping_key.data()) == 0)
    return true;
  sodium_memzero(out, k_customer_key_size);
  return false;
}

void CustomerKeyRing::unwrap(std::int64_t customer_id, ByteView customer_uid, ByteView wrapped) {
  if (holds(customer_id)) return;
  if (wrapped.size() != k_wrapped_customer_key_size)
    fail(ErrorKind::corrupt, "the key of customer row " + std::to_string(customer_id) + " has the wrong size");
  const std::size_t slot = m_arena.add();
  if (!open_into(m_arena.slot(slot), customer_uid, wrapped))  // the slot stays, unused (wiped)
    fail(ErrorKind::corrupt, "the key of customer row " + std::to_string(customer_id) +
                                 " does not open: it was altered or copied from another customer");
  set_slot(customer_id, slot);
}

std::size_t CustomerKeyRing::take_slots(std::size_t count) {
  const std::size_t first = m_arena.size();
  for (std::size_t i = 0; i < count; ++i) m_arena.add();
  return first;
}

bool CustomerKeyRing::open_into_slot(std::size_t slot, ByteView customer_uid, ByteView wrapped) {
  return open_into(m_arena.slot(slot), customer_uid, wrapped);
}

void CustomerKeyRing::hold_slot(std::int64_t customer_id, std::size_t slot) {
  if (holds(customer_id)) {  // a second key row of one customer: the first one counts
    sodium_memzero(m_arena.slot(slot), k_customer_key_size);
    return;
  }
  set_slot(customer_id, slot);
}

void CustomerKeyRing::drop_made() {
  for (std::int64_t id : m_made) {
    const std::size_t slot = slot_of(id);
    if (slot == k_none) continue;
    sodium_memzero(m_arena.slot(slot), k_customer_key_size);  // the slot stays, unused
    forget_slot(id);
  }
  m_made.clear();
}

ByteView CustomerKeyRing::key(std::int64_t customer_id) const {
  const std::size_t slot = slot_of(customer_id);
  if (slot == k_none) fail(ErrorKind::internal, "no key is held for customer row " + std::to_string(customer_id));
  return m_arena.view(slot);
}

std::size_t CustomerKeyRing::slot_of(std::int64_t customer_id) const {
  if (customer_id > 0 && customer_id < k_dense_ids) {
    const auto i = static_cast<std::size_t>(customer_id);
    return i < m_dense.size() ? m_dense[i] : k_none;
  }
  auto it = m_sparse.find(customer_id);
  return it == m_sparse.end() ? k_none : it->second;
}

void CustomerKeyRing::set_slot(std::int64_t customer_id, std::size_t slot) {
  if (customer_id > 0 && customer_id < k_dense_ids) {
    const auto i = static_cast<std::size_t>(customer_id);
    if (i >= m_dense.size()) m_dense.resize(std::max(i + 1, m_dense.size() * 2), k_none);
    m_dense[i] = slot;
  } else {
    m_sparse[customer_id] = slot;
  }
  ++m_held;
}

void CustomerKeyRing::forget_slot(std::int64_t customer_id) {
  if (customer_id > 0 && customer_id < k_dense_ids)
    m_dense[static_cast<std::size_t>(customer_id)] = k_none;
  else
    m_sparse.erase(customer_id);
  --m_held;
}

SecretBuffer CustomerKeyRing::tag_key(std::int64_t customer_id) const { return derive_subkey(key(customer_id), "kaappiCT"); }

SecretBuffer document_metadata_key(const SecretBuffer& document_key) {
  return derive_subkey(document_key.bytes(), "kaappiDM");
}

Bytes duplicate_tag(ByteView key, ByteView content_hash) {
  if (key.size() != crypto_generichash_KEYBYTES) fail(ErrorKind::internal, "a tag key of the wrong size");
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), content_hash.data(), content_hash.size(), key.data(), key.size());
  return out;
}

}  // namespace kaappi
