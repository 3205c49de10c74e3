// secret.cpp — see secret.h.
#include "base/secret.h"

#include <sodium.h>

#include <new>

#include "base/error.h"

namespace kaappi {

SecretBuffer::SecretBuffer(std::size_t size) : m_size(size), m_capacity(size) {
  // sodium_malloc(0) is allowed but we keep one byte so data() is valid.
  m_data = static_cast<std::uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
  if (m_data == nullptr) fail(ErrorKind::io, "could not allocate locked memory for a secret");
  sodium_memzero(m_data, size == 0 ? 1 : size);
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
  if (m_data != nullptr) sodium_free(m_data);  // sodium_free wipes before freeing
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
