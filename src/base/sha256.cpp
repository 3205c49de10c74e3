// sha256.cpp — see sha256.h.
#include "base/sha256.h"

#include <openssl/evp.h>

#include <utility>

#include "base/error.h"

namespace kaappi {
namespace {

// The algorithm, fetched once: an implicit fetch at every init costs more
// than hashing a short row.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) fail(ErrorKind::internal, "libcrypto has no SHA-256");
    return fetched;
  }();
  return md;
}

void check(int ok) {
  if (ok != 1) fail(ErrorKind::internal, "libcrypto's SHA-256 failed");
}

}  // namespace

struct Sha256::Context {
  EVP_MD_CTX* ctx;
};

Sha256::Sha256() : m_context(new Context{EVP_MD_CTX_new()}) {
  if (m_context->ctx == nullptr) {
    delete m_context;
    fail(ErrorKind::internal, "out of memory for a SHA-256 context");
  }
  check(EVP_DigestInit_ex2(m_context->ctx, sha256_algorithm(), nullptr));
}

Sha256::~Sha256() {
  if (m_context == nullptr) return;
  EVP_MD_CTX_free(m_context->ctx);
  delete m_context;
}

Sha256::Sha256(Sha256&& other) noexcept : m_context(std::exchange(other.m_context, nullptr)) {}

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  std::swap(m_context, other.m_context);
  return *this;
}

Sha256& Sha256::add(ByteView bytes) {
  check(EVP_DigestUpdate(m_context->ctx, bytes.data(), bytes.size()));
  return *this;
}

Sha256Digest Sha256::finish() {
  Sha256Digest out{};
  unsigned int size = 0;
  check(EVP_DigestFinal_ex(m_context->ctx, out.data(), &size));
  if (size != out.size()) fail(ErrorKind::internal, "libcrypto's SHA-256 gave a digest of another size");
  check(EVP_DigestInit_ex2(m_context->ctx, nullptr, nullptr));
  return out;
}

Sha256Digest sha256(ByteView bytes) {
  thread_local Sha256 running;
  return running.add(bytes).finish();
}

}  // namespace kaappi
