// public_key.h — the archive's public key as text, for scanning stations and
// keyless verification. Contains no secret; linked into kaappi-scan.
//
// Text form: "kaappi-pk1:" + base64(archive_id[16] | box_pk[32] | sign_pk[32]
// | check[4]) where check is the first 4 bytes of BLAKE2b-256 of the rest
// (catches copy/paste damage). See docs/FORMAT.md.
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"

namespace kaappi {

constexpr size_t k_archive_id_size = 16;
constexpr size_t k_box_pk_size = 32;    // X25519, crypto_box
constexpr size_t k_sign_pk_size = 32;   // Ed25519, crypto_sign

struct ArchivePublicKey {
  Bytes archive_id;
  Bytes box_pk;
  Bytes sign_pk;

  std::string to_text() const;
  // Accepts the text itself or surrounding whitespace; throws usage error.
  static ArchivePublicKey from_text(std::string_view text);
};

}  // namespace kaappi
