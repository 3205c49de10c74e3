// field_cipher.cpp — see field_cipher.h.
#include "keys/field_cipher.h"

#include <sodium.h>

#include "base/error.h"
#include "base/wipe.h"

namespace kaappi {
namespace {
constexpr char k_context[crypto_kdf_CONTEXTBYTES] = {'k', 'a', 'a', 'p', 'p', 'i', 'F', 'K'};
constexpr size_t k_pad_block = 32;

SecretBuffer derive(const SecretBuffer& master, std::uint64_t id) {
  SecretBuffer key(32);
  crypto_kdf_derive_from_key(key.data(), key.size(), id, k_context, master.data());
  return key;
}
}  // namespace

FieldCipher::FieldCipher(const SecretBuffer& master, Bytes archive_id)
    : m_field_key(derive(master, 1)),
      m_index_key(derive(master, 2)),
      m_tag_key(derive(master, 3)),
      m_archive_id(std::move(archive_id)) {}

Bytes FieldCipher::associated_data(std::string_view table, std::string_view column, ByteView row_uid) const {
  Bytes ad;
  ad.reserve(64 + m_archive_id.size() + table.size() + column.size() + row_uid.size());
  put_bytes(ad, as_bytes("kaappi-field-v1"));
  put_bytes(ad, m_archive_id);
  put_u32(ad, static_cast<std::uint32_t>(table.size()));
  put_bytes(ad, as_bytes(table));
  put_u32(ad, static_cast<std::uint32_t>(column.size()));
  put_bytes(ad, as_bytes(column));
  put_u32(ad, static_cast<std::uint32_t>(row_uid.size()));
  put_bytes(ad, row_uid);
  return ad;
}

Bytes FieldCipher::seal(std::string_view table, std::string_view column, ByteView row_uid,
                        std::string_view value) const {
  Bytes padded(value.begin(), value.end());
  padded.resize(value.size() + k_pad_block + 1);
  size_t padded_len = 0;
  if (sodium_pad(&padded_len, padded.data(), value.size(), k_pad_block, padded.size()) != 0)
    fail(ErrorKind::internal, "could not pad a field");
  padded.resize(padded_len);
  Bytes out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + padded_len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  Bytes ad = associated_data(table, column, row_uid);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, nullptr,
                                             padded.data(), padded_len, ad.data(), ad.size(), nullptr, out.data(),
                                             m_field_key.data());
  sodium_memzero(padded.data(), padded.size());
  return out;
}

std::string FieldCipher::open(std::string_view table, std::string_view column, ByteView row_uid,
                              ByteView sealed) const {
  auto where = [&] { return std::string(table) + "." + std::string(column); };
  constexpr size_t overhead = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < overhead + k_pad_block) fail(ErrorKind::corrupt, "encrypted field " + where() + " is too short");
  Bytes plain(sealed.size() - overhead);
  struct WipeAtEnd {
    Bytes& bytes;
    ~WipeAtEnd() { wipe(bytes); }
  } wipe_plain{plain};  // the caller's copy is its own to wipe
  Bytes ad = associated_data(table, column, row_uid);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), nullptr, nullptr,
                                                 sealed.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                 sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                 ad.data(), ad.size(), sealed.data(), m_field_key.data()) != 0)
    fail(ErrorKind::corrupt, "encrypted field " + where() + " does not open: it was altered or copied from another row");
  size_t unpadded = 0;
  if (sodium_unpad(&unpadded, plain.data(), plain.size(), k_pad_block) != 0)
    fail(ErrorKind::corrupt, "encrypted field " + where() + " has bad padding");
  return std::string(plain.begin(), plain.begin() + static_cast<long>(unpadded));
}

Bytes FieldCipher::blind_index(std::string_view domain, std::string_view value) const {
  Bytes msg;
  put_u32(msg, static_cast<std::uint32_t>(domain.size()));
  put_bytes(msg, as_bytes(domain));
  put_bytes(msg, as_bytes(value));
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), msg.data(), msg.size(), m_index_key.data(), m_index_key.size());
  return out;
}

Bytes FieldCipher::content_tag(ByteView content_hash) const {
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), content_hash.data(), content_hash.size(), m_tag_key.data(),
                     m_tag_key.size());
  return out;
}

}  // namespace kaappi
