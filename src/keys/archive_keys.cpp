// archive_keys.cpp — see archive_keys.h.
#include "keys/archive_keys.h"

#include <sodium.h>

#include "base/error.h"

namespace kaappi {

SecretBuffer derive_archive_key(const SecretBuffer& master, ArchiveKey which) {
  constexpr char context[crypto_kdf_CONTEXTBYTES] = {'k', 'a', 'a', 'p', 'p', 'i', 'F', 'K'};
  if (master.size() != crypto_kdf_KEYBYTES) fail(ErrorKind::internal, "a master secret of the wrong size");
  SecretBuffer key(32);
  crypto_kdf_derive_from_key(key.data(), key.size(), static_cast<std::uint64_t>(which), context, master.data());
  return key;
}

Bytes blind_index(ByteView key, std::string_view domain, std::string_view value) {
  if (key.size() != crypto_generichash_KEYBYTES) fail(ErrorKind::internal, "a blind-index key of the wrong size");
  Bytes msg;
  put_u32(msg, static_cast<std::uint32_t>(domain.size()));
  put_bytes(msg, as_bytes(domain));
  put_bytes(msg, as_bytes(value));
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), msg.data(), msg.size(), key.data(), key.size());
  return out;
}

}  // namespace kaappi
