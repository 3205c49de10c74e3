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

Bytes associated_data(const SealedValuePlace& p) {
  Bytes ad;
  ad.reserve(p.label.size() + p.archive_id.size() + 12 + p.table.size() + p.column.size() + p.row_uid.size());
  put_bytes(ad, as_bytes(p.label));
  put_bytes(ad, p.archive_id);
  put_u32(ad, static_cast<std::uint32_t>(p.table.size()));
  put_bytes(ad, as_bytes(p.table));
  put_u32(ad, static_cast<std::uint32_t>(p.column.size()));
  put_bytes(ad, as_bytes(p.column));
  put_u32(ad, static_cast<std::uint32_t>(p.row_uid.size()));
  put_bytes(ad, p.row_uid);
  return ad;
}

void check_key(ByteView key) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    fail(ErrorKind::internal, "a sealing key of the wrong size");
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
  check_key(key);
  // Named only when it fails: opening is the inner loop of consent list and search.
  auto where = [&] { return std::string(place.table) + "." + std::string(place.column); };
  if (sealed.size() < k_nonce + k_tag + k_pad_block) fail(ErrorKind::corrupt, "encrypted field " + where() + " is too short");
  Bytes plain(sealed.size() - k_nonce - k_tag);
  struct WipeAtEnd {
    Bytes& bytes;
    ~WipeAtEnd() { wipe(bytes); }
  } wipe_plain{plain};  // the caller's copy is its own to wipe
  const Bytes ad = associated_data(place);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), nullptr, nullptr, sealed.data() + k_nonce,
                                                 sealed.size() - k_nonce, ad.data(), ad.size(), sealed.data(),
                                                 key.data()) != 0)
    fail(ErrorKind::corrupt, "encrypted field " + where() + " does not open: it was altered or copied from another row");
  size_t unpadded = 0;
  if (sodium_unpad(&unpadded, plain.data(), plain.size(), k_pad_block) != 0)
    fail(ErrorKind::corrupt, "encrypted field " + where() + " has bad padding");
  return std::string(plain.begin(), plain.begin() + static_cast<long>(unpadded));
}

}  // namespace kaappi
