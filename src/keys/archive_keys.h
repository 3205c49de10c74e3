// archive_keys.h — the keys derived from the key file's master secret
// (docs/FORMAT.md, "Hashes and keys"): crypto_kdf_derive_from_key(32, id,
// "kaappiFK", master). Format 1 uses ids 1–3 (its one field key, the blind
// index, the content tag); format 2 adds the customer-key wrapping key and
// the printed forms' code key.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"

#include "base/secret.h"

namespace kaappi {

enum class ArchiveKey : std::uint64_t {
  field = 1,           // values that belong to no one person (format 1: every sealed field)
  blind_index = 2,     // customer numbers
  content_tag = 3,     // duplicate tags (format 2: of documents without a customer)
  customer_wrap = 4,   // format 2: wraps each customer's key
  form_code = 5,       // the MAC of a printed form's QR code (forms/form_instances.h)
  last = form_code,    // the highest id (what the unlock agent derives)
};

SecretBuffer derive_archive_key(const SecretBuffer& master, ArchiveKey which);

// A blind index (customers.number_tag): keyed BLAKE2b-256 under the
// blind-index key of u32 length(domain) ‖ domain ‖ value. Formats 1 and 2.
Bytes blind_index(ByteView key, std::string_view domain, std::string_view value);

}  // namespace kaappi
