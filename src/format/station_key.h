// station_key.h — a scanning station's own signing key pair.
//
// Anyone may know the archive's public key, so sealing a scan proves nothing
// about who sent it. Each station therefore signs its envelopes with an
// Ed25519 key pair of its own, made by `kaappi-scan init --station NAME` and
// kept on the station (0600); the key holder registers the public half with
// `kaappi station add NAME KEY`. The station key opens nothing in the
// archive: it can only sign.
//
// Key file (text): a comment, then "station: NAME", "public: kaappi-spk1:..."
// and "secret: kaappi-ssk1:..." lines; the texts are base64 of the key and a
// 4-byte BLAKE2b check (docs/FORMAT.md). Linked into kaappi and kaappi-scan.
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/secret.h"

namespace kaappi {

constexpr size_t k_station_pk_size = 32;
constexpr size_t k_station_sig_size = 64;

// A station name: 1-64 of A-Z a-z 0-9 . _ -; throws ErrorKind::usage.
std::string check_station_name(std::string_view name);

// "kaappi-spk1:..." <-> 32-byte Ed25519 public key; throws ErrorKind::usage.
std::string station_public_text(const Bytes& public_key);
Bytes parse_station_public(std::string_view text);
inline constexpr std::string_view k_station_public_prefix = "kaappi-spk1:";

class StationKey {
 public:
  static StationKey generate(const std::string& name);
  // Throws ErrorKind::not_found / ErrorKind::rejected (damaged file).
  static StationKey load(const std::string& path);
  // Writes the key file 0600; never replaces an existing file.
  void save(const std::string& path) const;

  const std::string& name() const { return m_name; }
  const Bytes& public_key() const { return m_public; }
  Bytes sign(ByteView message) const;

 private:
  std::string m_name;
  Bytes m_public;
  SecretBuffer m_secret;  // Ed25519 secret key (64 bytes)
};

// Ed25519 check of a station signature.
bool station_signature_ok(const Bytes& public_key, ByteView message, ByteView signature);

}  // namespace kaappi
