// station_key.cpp — see station_key.h.
#include "format/station_key.h"

#include <sodium.h>

#include "base/error.h"
#include "format/key_text.h"
#include "base/file_io.h"

namespace kaappi {
namespace {

constexpr std::string_view k_public_prefix = k_station_public_prefix;
constexpr std::string_view k_secret_prefix = "kaappi-ssk1:";

std::string to_text(std::string_view prefix, ByteView body) {
  Bytes all(body.begin(), body.end());
  Bytes check = key_text_check(body);
  all.insert(all.end(), check.begin(), check.end());
  std::string out = std::string(prefix) + to_base64(all);
  sodium_memzero(all.data(), all.size());
  return out;
}

// Decodes "prefix:base64(body|check)" into a body of `size` bytes.
bool from_text(std::string_view text, std::string_view prefix, size_t size, Bytes& body) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.substr(0, prefix.size()) != prefix) return false;
  Bytes all;
  if (!from_base64(text.substr(prefix.size()), all) || all.size() != size + 4) return false;
  body.assign(all.begin(), all.begin() + static_cast<long>(size));
  bool ok = key_text_check(body) == Bytes(all.end() - 4, all.end());
  sodium_memzero(all.data(), all.size());
  return ok;
}

}  // namespace

std::string check_station_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  if (!ok) fail(ErrorKind::usage, "a station name is 1 to 64 letters, digits, '.', '_' or '-' (like office-scanner)");
  return std::string(name);
}

std::string station_public_text(const Bytes& public_key) { return to_text(k_public_prefix, public_key); }

Bytes parse_station_public(std::string_view text) {
  Bytes pk;
  if (!from_text(text, k_public_prefix, k_station_pk_size, pk))
    fail(ErrorKind::rejected, "that is not a station public key: expected the kaappi-spk1:... line that "
                           "kaappi-scan init printed, copied whole");
  return pk;
}

StationKey StationKey::generate(const std::string& name) {
  StationKey k;
  k.m_name = check_station_name(name);
  k.m_public.resize(crypto_sign_PUBLICKEYBYTES);
  k.m_secret = SecretBuffer(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(k.m_public.data(), k.m_secret.data());
  return k;
}

void StationKey::save(const std::string& path) const {
  std::string body = "# kaappi scanning station key. Keep it on this station only; it signs the scans\n"
                     "# this station sends. It cannot open anything in the archive.\n"
                     "station: " + m_name + "\npublic: " + station_public_text(m_public) + "\nsecret: ";
  std::string secret = to_text(k_secret_prefix, m_secret.bytes());
  body += secret + "\n";
  sodium_memzero(secret.data(), secret.size());
  make_dirs(parent_dir(path), 0700, PathRole::user_output);  // a link where the key folder belongs is refused
  write_file_atomic(Dir::open(parent_dir(path)), base_name(path), as_bytes(body), 0600, Overwrite::no, "station-key");
  sodium_memzero(body.data(), body.size());
}

StationKey StationKey::load(const std::string& path) {
  Bytes raw = read_file(path, 16384);
  std::string text(raw.begin(), raw.end());
  sodium_memzero(raw.data(), raw.size());
  StationKey k;
  Bytes secret;
  bool have_secret = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (line.substr(0, 9) == "station: ") k.m_name = std::string(line.substr(9));
    if (line.substr(0, 8) == "public: ") from_text(line.substr(8), k_public_prefix, k_station_pk_size, k.m_public);
    if (line.substr(0, 8) == "secret: ")
      have_secret = from_text(line.substr(8), k_secret_prefix, crypto_sign_SECRETKEYBYTES, secret);
    start = end + 1;
  }
  sodium_memzero(text.data(), text.size());
  if (!have_secret || k.m_public.size() != k_station_pk_size || k.m_name.empty()) {
    if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
    fail(ErrorKind::rejected, "the station key file " + path + " is damaged (make a new one with kaappi-scan init)");
  }
  k.m_secret = SecretBuffer(crypto_sign_SECRETKEYBYTES);
  std::copy(secret.begin(), secret.end(), k.m_secret.data());
  sodium_memzero(secret.data(), secret.size());
  Bytes derived(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_ed25519_sk_to_pk(derived.data(), k.m_secret.data());
  if (derived != k.m_public)
    fail(ErrorKind::rejected, "the station key file " + path + " is damaged: its public and secret keys do not match");
  check_station_name(k.m_name);
  return k;
}

Bytes StationKey::sign(ByteView message) const {
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), m_secret.data());
  return sig;
}

bool station_signature_ok(const Bytes& public_key, ByteView message, ByteView signature) {
  return public_key.size() == crypto_sign_PUBLICKEYBYTES && signature.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
}

}  // namespace kaappi
