// sealed_value.cpp — see sealed_value.h.
#include "keys/sealed_value.h"

#include <sodium.h>

#include "base/error.h"
#include "base/wipe.h"

namespace kaappi {
namespace {

constexpr size_t k_pad_block = 32;
constexpr size_t k_nonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t k_tag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

// label ‖ archive id ‖ S(table) ‖ S(column): the part of the associated
// data that names the column.
void put_column_part(Bytes& ad, const SealedValuePlace& p) {
  put_bytes(ad, as_bytes(p.label));
  put_bytes(ad, p.archive_id);
  put_u32(ad, static_cast<std::uint32_t>(p.table.size()));
  put_bytes(ad, as_bytes(p.table));
  put_u32(ad, static_cast<std::uint32_t>(p.column.size()));
  put_bytes(ad, as_bytes(p.column));
}

void put_row_part(Bytes& ad, ByteView row_uid) {
  put_u32(ad, static_cast<std::uint32_t>(row_uid.size()));
  put_bytes(ad, row_uid);
}

Bytes associated_data(const SealedValuePlace& p) {
  Bytes ad;
  ad.reserve(p.label.size() + p.archive_id.size() + 12 + p.table.size() + p.column.size() + p.row_uid.size());
  put_column_part(ad, p);
  put_row_part(ad, p.row_uid);
  return ad;
}

void check_key(ByteView key) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    fail(ErrorKind::internal, "a sealing key of the wrong size");
}

// Opens `sealed` into `plain` (resized to fit) under `ad`; returns the
// value's length in it. Throws ErrorKind::corrupt naming table.column.
std::size_t open_into(ByteView key, std::string_view table, std::string_view column, const Bytes& ad,
                      ByteView sealed, Bytes& plain) {
  check_key(key);
  // Named only when it fails: opening is the inner loop of consent list and search.
  auto where = [&] { return std::string(table) + "." + std::string(column); };
  if (sealed.size() < k_nonce + k_tag + k_pad_block) fail(ErrorKind::corrupt, "encrypted field " + where() + " is too short");
  plain.resize(sealed.size() - k_nonce - k_tag);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), nullptr, nullptr, sealed.data() + k_nonce,
                                                 sealed.size() - k_nonce, ad.data(), ad.size(), sealed.data(),
                                                 key.data()) != 0)
    fail(ErrorKind::corrupt, "encrypted field " + where() + " does not open: it was altered or copied from another row");
  // sodium_pad's padding (0x80, then zeros, in the last block) taken off as
  // sodium_unpad accepts it, but not in constant time: the value has been
  // authenticated (and its length shows in what is done with it), while
  // sodium_unpad's constant time took ~4 % of consent list's work.
  size_t end = plain.size();
  while (end > plain.size() - k_pad_block && plain[end - 1] == 0) --end;
  if (end == plain.size() - k_pad_block || plain[end - 1] != 0x80)
    fail(ErrorKind::corrupt, "encrypted field " + where() + " has bad padding");
  return end - 1;
}

}  // namespace

Bytes seal_value(ByteView key, const SealedValuePlace& place, std::string_view value) {
  check_key(key);
  Bytes padded(value.begin(), value.end());
  padded.resize(value.size() + k_pad_block + 1);
  size_t padded_len = 0;
  if (sodium_pad(&padded_len, padded.data(), value.size(), k_pad_block, padded.size()) != 0)
    fail(ErrorKind::internal, "could not pad a field");
  padded.resize(padded_len);
  Bytes out(k_nonce + padded_len + k_tag);
  randombytes_buf(out.data(), k_nonce);
  const Bytes ad = associated_data(place);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + k_nonce, nullptr, padded.data(), padded_len, ad.data(),
                                             ad.size(), nullptr, out.data(), key.data());
  sodium_memzero(padded.data(), padded.size());
  return out;
}

std::string open_value(ByteView key, const SealedValuePlace& place, ByteView sealed) {
  Bytes plain;
  struct WipeAtEnd {
    Bytes& bytes;
    ~WipeAtEnd() { wipe(bytes); }
  } wipe_plain{plain};  // the caller's copy is its own to wipe
  const std::size_t size = open_into(key, place.table, place.column, associated_data(place), sealed, plain);
  return std::string(plain.begin(), plain.begin() + static_cast<long>(size));
}

ColumnOpener::ColumnOpener(std::string_view label, const Bytes& archive_id, std::string_view table,
                           std::string_view column)
    : m_table(table), m_column(column) {
  put_column_part(m_ad, {label, archive_id, table, column, {}});
  m_fixed = m_ad.size();
}

ColumnOpener::~ColumnOpener() { wipe(m_plain); }

std::string_view ColumnOpener::open(ByteView key, ByteView row_uid, ByteView sealed) {
  m_ad.resize(m_fixed);
  put_row_part(m_ad, row_uid);
  wipe(m_plain);
  const std::size_t size = open_into(key, m_table, m_column, m_ad, sealed, m_plain);
  return {reinterpret_cast<const char*>(m_plain.data()), size};
}

}  // namespace kaappi
