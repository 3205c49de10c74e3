// key_file.cpp — see key_file.h and docs/FORMAT.md ("Key file").
#include "keys/key_file.h"
#include "keys/key_file_cost.h"

#include <sodium.h>

#include <cstdlib>
#include <sstream>

#include "base/error.h"
#include "base/file_io.h"

namespace kaappi {
namespace {

constexpr std::string_view k_magic = "kaappiK1";
constexpr std::uint8_t k_kdf_argon2id13 = 2;
constexpr std::uint8_t k_aead_xchacha20poly1305 = 1;
constexpr size_t k_salt_size = crypto_pwhash_SALTBYTES;  // 16
constexpr size_t k_secret_size = 32 + 64 + 32;
constexpr size_t k_header_size = 8 + 1 + 1 + 2 + 8 + 8 + 16 + 8 + 32 + 32;  // 116
constexpr size_t k_record_size = k_header_size + 24 + k_secret_size + 16;  // 284
constexpr std::string_view k_comment = "untrusted comment: kaappi secret key";

// Public key (box) of the throwaway key in keys.example.
constexpr std::string_view k_example_box_pk_hex =
    "2397920ef31906bf279e5bc7465b2a289ae6153e721c5e09aaef84e2a4d03308";

SecretBuffer derive_kek(const SecretBuffer& passphrase, const Bytes& salt, std::uint64_t ops,
                        std::uint64_t mem) {
  SecretBuffer kek(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (crypto_pwhash(kek.data(), kek.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), salt.data(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    fail(ErrorKind::io, "not enough memory to derive the key from the passphrase (Argon2id needs " +
                            std::to_string(mem >> 20) + " MiB)");
  return kek;
}

}  // namespace

KdfCost KdfCost::named(const std::string& name) {
  if (name == "interactive")
    return {name, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
  if (name == "moderate")
    return {name, crypto_pwhash_argon2id_OPSLIMIT_MODERATE, crypto_pwhash_argon2id_MEMLIMIT_MODERATE};
  if (name == "sensitive")
    return {name, crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE, crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE};
  fail(ErrorKind::usage, "unknown KDF cost '" + name + "': use interactive, moderate or sensitive");
}

std::string default_key_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::string base;
  if (xdg != nullptr && *xdg == '/') {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0')
      fail(ErrorKind::usage,
           "cannot find a default key location: set HOME, XDG_CONFIG_HOME or pass " + Field{"key"} + " FILE");
    base = std::string(home) + "/.config";
  }
  return base + "/kaappi/kaappi.key";
}

Bytes KeyFile::header_bytes() const {
  Bytes h;
  put_bytes(h, as_bytes(k_magic));
  put_u8(h, k_kdf_argon2id13);
  put_u8(h, k_aead_xchacha20poly1305);
  put_u8(h, 0);
  put_u8(h, 0);
  put_u64(h, m_opslimit);
  put_u64(h, m_memlimit);
  put_bytes(h, m_salt);
  put_bytes(h, m_key_id);
  put_bytes(h, m_box_pk);
  put_bytes(h, m_sign_pk);
  return h;
}

KeyFile KeyFile::parse(const std::string& text, const std::string& path) {
  const std::string damaged = "key file " + path + " is damaged or not a kaappi key file";
  // Lines starting with '#' and blank lines are documentation (keys.example).
  std::istringstream in(text);
  std::string line, comment, body;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line == "\r") continue;
    if (comment.empty()) comment = line;
    else if (body.empty()) body = line;
  }
  while (!body.empty() && (body.back() == '\r' || body.back() == ' ')) body.pop_back();
  if (comment.rfind("untrusted comment:", 0) != 0) fail(ErrorKind::auth, damaged);
  Bytes rec;
  if (!from_base64(body, rec) || rec.size() != k_record_size) fail(ErrorKind::auth, damaged);
  if (Bytes(rec.begin(), rec.begin() + 8) != Bytes(k_magic.begin(), k_magic.end()))
    fail(ErrorKind::auth, damaged);
  if (rec[8] != k_kdf_argon2id13 || rec[9] != k_aead_xchacha20poly1305)
    fail(ErrorKind::auth, "key file " + path + " uses an algorithm this kaappi does not know");
  KeyFile k;
  k.m_path = path;
  const std::uint8_t* p = rec.data() + 12;
  k.m_opslimit = get_u64(p);
  k.m_memlimit = get_u64(p + 8);
  p += 16;
  auto take = [&](Bytes& dst, size_t n) {
    dst.assign(p, p + n);
    p += n;
  };
  take(k.m_salt, k_salt_size);
  take(k.m_key_id, 8);
  take(k.m_box_pk, 32);
  take(k.m_sign_pk, 32);
  take(k.m_nonce, 24);
  take(k.m_ciphertext, k_secret_size + 16);
  if (k.m_opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || k.m_opslimit > 64 ||
      k.m_memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || k.m_memlimit > (std::uint64_t{8} << 30))
    fail(ErrorKind::auth, damaged + " (implausible KDF parameters)");
  return k;
}

KeyFile KeyFile::load(const std::string& path) {
  if (!path_exists(path))
    fail(ErrorKind::auth, "no key file at " + path +
                              ": pass " + Field{"key"} + " FILE or set KAAPPI_KEY (or create one with kaappi init)");
  Bytes data = read_file(path, 16384);
  return parse(std::string(data.begin(), data.end()), path);
}

KeyFile KeyFile::wrap(const UnlockedKey& key, const SecretBuffer& passphrase, const KdfCost& cost) {
  KeyFile k;
  k.m_opslimit = cost.opslimit;
  k.m_memlimit = cost.memlimit;
  k.m_salt = random_bytes(k_salt_size);
  k.m_key_id = key.key_id;
  k.m_box_pk = key.box_pk;
  k.m_sign_pk = key.sign_pk;
  k.m_nonce = random_bytes(24);
  SecretBuffer plain(k_secret_size);
  std::copy(key.box_sk.data(), key.box_sk.data() + 32, plain.data());
  std::copy(key.sign_sk.data(), key.sign_sk.data() + 64, plain.data() + 32);
  std::copy(key.master.data(), key.master.data() + 32, plain.data() + 96);
  SecretBuffer kek = derive_kek(passphrase, k.m_salt, k.m_opslimit, k.m_memlimit);
  Bytes header = k.header_bytes();
  k.m_ciphertext.resize(k_secret_size + 16);
  crypto_aead_xchacha20poly1305_ietf_encrypt(k.m_ciphertext.data(), nullptr, plain.data(), plain.size(),
                                             header.data(), header.size(), nullptr, k.m_nonce.data(),
                                             kek.data());
  return k;
}

KeyFile KeyFile::generate(const SecretBuffer& passphrase, const KdfCost& cost, UnlockedKey& out) {
  out.key_id = random_bytes(8);
  out.box_pk.resize(32);
  out.sign_pk.resize(32);
  out.box_sk = SecretBuffer(32);
  out.sign_sk = SecretBuffer(64);
  out.master = SecretBuffer(32);
  crypto_box_keypair(out.box_pk.data(), out.box_sk.data());
  crypto_sign_keypair(out.sign_pk.data(), out.sign_sk.data());
  randombytes_buf(out.master.data(), out.master.size());
  return wrap(out, passphrase, cost);
}

UnlockedKey KeyFile::unlock(const SecretBuffer& passphrase) const {
  SecretBuffer kek = derive_kek(passphrase, m_salt, m_opslimit, m_memlimit);
  SecretBuffer plain(k_secret_size);
  Bytes header = header_bytes();
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), nullptr, nullptr, m_ciphertext.data(),
                                                 m_ciphertext.size(), header.data(), header.size(),
                                                 m_nonce.data(), kek.data()) != 0)
    fail(ErrorKind::auth, "wrong passphrase for key file " + m_path);
  UnlockedKey key;
  key.key_id = m_key_id;
  key.box_pk = m_box_pk;
  key.sign_pk = m_sign_pk;
  key.box_sk = SecretBuffer(32);
  key.sign_sk = SecretBuffer(64);
  key.master = SecretBuffer(32);
  std::copy(plain.data(), plain.data() + 32, key.box_sk.data());
  std::copy(plain.data() + 32, plain.data() + 96, key.sign_sk.data());
  std::copy(plain.data() + 96, plain.data() + 128, key.master.data());
  // The public halves in the header must belong to the secrets.
  Bytes check(32);
  crypto_scalarmult_base(check.data(), key.box_sk.data());
  if (sodium_memcmp(check.data(), m_box_pk.data(), 32) != 0 ||
      sodium_memcmp(key.sign_sk.data() + 32, m_sign_pk.data(), 32) != 0)
    fail(ErrorKind::auth, "key file " + m_path + " is damaged: its public and secret keys do not match");
  return key;
}

std::string KeyFile::serialize() const {
  Bytes rec = header_bytes();
  put_bytes(rec, m_nonce);
  put_bytes(rec, m_ciphertext);
  return std::string(k_comment) + " " + to_hex(m_key_id) + " (keep offline; never share)\n" +
         to_base64(rec) + "\n";
}

namespace {

std::string describe_kdf(std::uint64_t opslimit, std::uint64_t memlimit) {
  return "Argon2id13, opslimit " + std::to_string(opslimit) + ", memlimit " + std::to_string(memlimit >> 20) + " MiB";
}

}  // namespace

std::string KeyFile::kdf_description() const { return describe_kdf(m_opslimit, m_memlimit); }

std::optional<KdfCost> named_kdf_cost(const KeyFile& file) {
  for (const char* name : {"interactive", "moderate", "sensitive"}) {
    KdfCost cost = KdfCost::named(name);
    if (describe_kdf(cost.opslimit, cost.memlimit) == file.kdf_description()) return cost;
  }
  return std::nullopt;
}

bool KeyFile::is_example_key() const { return to_hex(m_box_pk) == k_example_box_pk_hex; }

}  // namespace kaappi
