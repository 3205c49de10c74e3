// key_text.h — what every key printed as text ("kaappi-pk1:…", "kaappi-spk1:…",
// "kaappi-ssk1:…") shares: a 4-byte check that catches a mistyped or
// truncated copy (docs/FORMAT.md, "Public key text").
#pragma once

#include "base/bytes.h"

namespace kaappi {

inline constexpr size_t k_key_text_check_size = 4;

// The first 4 bytes of BLAKE2b-256 of `body`, appended to it before base64.
Bytes key_text_check(ByteView body);

}  // namespace kaappi
