// secret.cpp — see secret.h.
#include "base/secret.h"

#include <sodium.h>

#include <mutex>
#include <new>
#include <vector>

#include "base/error.h"

namespace kaappi {
namespace {

// Secrets of up to k_small_secret bytes (keys, seeds) share locked chunks:
// a sodium_malloc of its own costs a secret ~70 µs (an mmap, three
// mprotects, an mlock and their undoing when freed), five of them a
// document. Each chunk is one sodium_malloc (guard pages around it, locked,
// left out of core dumps); a slot is wiped when given back and again when
// taken. Chunks live as long as the process.
constexpr std::size_t k_small_secret = 64;
constexpr std::size_t k_slots_per_chunk = 1024;  // 64 KiB a chunk

class SmallSecrets {
 public:
  std::uint8_t* take() {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_free.empty()) {
      auto* chunk = static_cast<std::uint8_t*>(sodium_malloc(k_small_secret * k_slots_per_chunk));
      if (chunk == nullptr) fail(ErrorKind::io, "could not allocate locked memory for a secret");
      m_free.reserve(m_free.size() + k_slots_per_chunk);
      for (std::size_t i = k_slots_per_chunk; i-- > 0;) m_free.push_back(chunk + i * k_small_secret);
    }
    std::uint8_t* slot = m_free.back();
    m_free.pop_back();
    return slot;
  }
  void give_back(std::uint8_t* slot) {
    sodium_memzero(slot, k_small_secret);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_free.push_back(slot);
  }

 private:
  std::mutex m_mutex;
  std::vector<std::uint8_t*> m_free;
};

// Never destroyed: a SecretBuffer of static storage may be freed after it.
SmallSecrets& small_secrets() {
  static SmallSecrets* pool = new SmallSecrets;
  return *pool;
}

}  // namespace

SecretBuffer::SecretBuffer(std::size_t size) : m_size(size), m_capacity(size) {
  if (size <= k_small_secret) {
    m_data = small_secrets().take();
    m_capacity = k_small_secret;
    sodium_memzero(m_data, k_small_secret);
    return;
  }
  m_data = static_cast<std::uint8_t*>(sodium_malloc(size));
  if (m_data == nullptr) fail(ErrorKind::io, "could not allocate locked memory for a secret");
  sodium_memzero(m_data, size);
}

SecretBuffer::~SecretBuffer() { release(); }

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept
    : m_data(other.m_data), m_size(other.m_size), m_capacity(other.m_capacity) {
  other.m_data = nullptr;
  other.m_size = other.m_capacity = 0;
}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept {
  if (this != &other) {
    release();
    m_data = other.m_data;
    m_size = other.m_size;
    m_capacity = other.m_capacity;
    other.m_data = nullptr;
    other.m_size = other.m_capacity = 0;
  }
  return *this;
}

void SecretBuffer::release() {
  if (m_data != nullptr && m_capacity <= k_small_secret)
    small_secrets().give_back(m_data);  // wiped
  else if (m_data != nullptr)
    sodium_free(m_data);  // sodium_free wipes before freeing
  m_data = nullptr;
  m_size = m_capacity = 0;
}

void SecretBuffer::truncate(std::size_t new_size) {
  if (new_size > m_size) fail(ErrorKind::internal, "SecretBuffer::truncate past its size");
  sodium_memzero(m_data + new_size, m_size - new_size);
  m_size = new_size;
}

bool secret_equal(const SecretBuffer& a, const SecretBuffer& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kaappi
