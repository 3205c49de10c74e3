// support.cpp — see support.h.
#include "support.h"

#include <sodium.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/error.h"
#include "format/blob_format.h"
#include "format/key_text.h"

namespace kaappi::fuzz {
namespace {

Bytes filled(std::size_t n, std::uint8_t value) { return Bytes(n, value); }

struct Keys {
  ArchivePublicKey archive;
  UnlockedKey key;  // only its X25519 halves
  SecretBuffer doc_key{crypto_secretstream_xchacha20poly1305_KEYBYTES};
  Keys() {
    if (sodium_init() < 0) std::abort();
    archive.archive_id = filled(k_archive_id_size, 0x11);
    archive.box_pk.resize(crypto_box_PUBLICKEYBYTES);
    Bytes seed = filled(crypto_box_SEEDBYTES, 0x22);
    key.box_sk = SecretBuffer(crypto_box_SECRETKEYBYTES);
    crypto_box_seed_keypair(archive.box_pk.data(), key.box_sk.data(), seed.data());
    key.box_pk = archive.box_pk;
    archive.sign_pk = filled(k_sign_pk_size, 0x33);
    std::fill(doc_key.data(), doc_key.data() + doc_key.size(), 0x44);
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

std::string key_text(std::string_view prefix, const Bytes& body) {
  Bytes all = body;
  Bytes check = key_text_check(body);
  all.insert(all.end(), check.begin(), check.end());
  return std::string(prefix) + to_base64(all);
}

// The station key file format (format/station_key.h) with a fixed seed, so
// seed envelopes made once stay signed by the station the targets know.
StationKey make_station() {
  Bytes pk(crypto_sign_PUBLICKEYBYTES), sk(crypto_sign_SECRETKEYBYTES);
  Bytes seed = filled(crypto_sign_SEEDBYTES, 0x55);
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  std::string path = scratch_dir() + "/station.key";
  std::string text = "station: fuzz-station\npublic: " + key_text("kaappi-spk1:", pk) +
                     "\nsecret: " + key_text("kaappi-ssk1:", sk) + "\n";
  write_file_atomic(path, as_bytes(text), 0600, Overwrite::yes, "fuzz");
  return StationKey::load(path);
}

}  // namespace

const ArchivePublicKey& archive_public() { return keys().archive; }
const SecretBuffer& archive_box_secret() { return keys().key.box_sk; }
const SecretKeys& archive_secrets() {
  static const KeyFileSecrets secrets(keys().key);
  return secrets;
}
const SecretBuffer& document_key() { return keys().doc_key; }

const Bytes& document_uid() {
  static const Bytes uid = filled(k_uid_size, 0x66);
  return uid;
}

const StationKey& station() {
  static const StationKey s = make_station();
  return s;
}

const std::string& scratch_dir() {
  static const std::string dir = [] {
    // In memory where there is a tmpfs: targets write files on every input.
    char shm[] = "/dev/shm/kaappi-fuzz-XXXXXX";
    char tmp[] = "/tmp/kaappi-fuzz-XXXXXX";
    char* pattern = ::mkdtemp(shm);
    if (pattern == nullptr) pattern = ::mkdtemp(tmp);
    if (pattern == nullptr) std::abort();
    std::string made = pattern;
    static std::string removed_at_exit;
    removed_at_exit = made;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(removed_at_exit, ignored);
    });
    return made;
  }();
  return dir;
}

Fd file_with(const std::uint8_t* data, std::size_t size) {
  Fd fd(::memfd_create("fuzz-input", MFD_CLOEXEC));
  if (!fd.valid()) std::abort();
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd.get(), data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) std::abort();
  return fd;
}

void expect_refusal_or_success(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::internal) return;
    std::fprintf(stderr, "internal error on fuzz input: %s\n", e.what());
    std::abort();
  }
}

}  // namespace kaappi::fuzz

// libFuzzer calls this once before the first input.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (sodium_init() < 0) std::abort();
  return 0;
}
