// public_key.cpp — see public_key.h.
#include "format/public_key.h"


#include "base/error.h"
#include "format/key_text.h"

namespace kaappi {
namespace {
constexpr std::string_view k_prefix = "kaappi-pk1:";
}  // namespace

std::string ArchivePublicKey::to_text() const {
  Bytes body;
  put_bytes(body, archive_id);
  put_bytes(body, box_pk);
  put_bytes(body, sign_pk);
  put_bytes(body, key_text_check(body));
  return std::string(k_prefix) + to_base64(body);
}

ArchivePublicKey ArchivePublicKey::from_text(std::string_view text) {
  while (!text.empty() && isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  const std::string bad = "not a kaappi public key (expected the text 'kaappi key public' prints, starting with kaappi-pk1:)";
  if (text.substr(0, k_prefix.size()) != k_prefix) fail(ErrorKind::rejected, bad);
  Bytes body;
  if (!from_base64(text.substr(k_prefix.size()), body) ||
      body.size() != k_archive_id_size + k_box_pk_size + k_sign_pk_size + 4)
    fail(ErrorKind::rejected, bad);
  ByteView content(body.data(), body.size() - 4);
  if (key_text_check(content) != Bytes(body.end() - 4, body.end()))
    fail(ErrorKind::rejected, "the public key text is damaged (checksum mismatch); copy it again from 'kaappi key public'");
  ArchivePublicKey key;
  auto p = body.begin();
  key.archive_id.assign(p, p + k_archive_id_size);
  p += k_archive_id_size;
  key.box_pk.assign(p, p + k_box_pk_size);
  p += k_box_pk_size;
  key.sign_pk.assign(p, p + k_sign_pk_size);
  return key;
}

}  // namespace kaappi
