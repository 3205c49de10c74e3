// bytes.cpp — see bytes.h.
#include "base/bytes.h"

#include <sodium.h>

namespace kaappi {

std::string to_hex(ByteView bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

// Empty text is empty bytes. libsodium's decoders must not be given a null
// output, and an empty vector's data() may be null.
bool from_hex(std::string_view hex, Bytes& out) {
  if (hex.size() % 2 != 0) return false;
  out.assign(hex.size() / 2, 0);
  if (hex.empty()) return true;
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0)
    return false;
  return written == out.size() && end == hex.data() + hex.size();
}

std::string to_base64(ByteView bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);
  return out;
}

bool from_base64(std::string_view text, Bytes& out) {
  out.assign(text.size(), 0);
  if (text.empty()) return true;
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  if (end != text.data() + text.size()) return false;
  out.resize(written);
  return true;
}

void put_u8(Bytes& out, std::uint8_t v) { out.push_back(v); }
void put_u32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_u64(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_bytes(Bytes& out, ByteView v) { out.insert(out.end(), v.begin(), v.end()); }
std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  if (n > 0) randombytes_buf(out.data(), n);  // an empty vector's data() may be null, which libsodium may not take
  return out;
}

}  // namespace kaappi
