// bytes.h — byte strings and their text forms (hex, base64), and
// little-endian packing used by every on-disk format (docs/FORMAT.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(ByteView bytes);
// Returns false on bad input (odd length, non-hex characters).
bool from_hex(std::string_view hex, Bytes& out);

std::string to_base64(ByteView bytes);
bool from_base64(std::string_view text, Bytes& out);

void put_u8(Bytes& out, std::uint8_t v);
void put_u32(Bytes& out, std::uint32_t v);
void put_u64(Bytes& out, std::uint64_t v);
void put_bytes(Bytes& out, ByteView v);
std::uint32_t get_u32(const std::uint8_t* p);
std::uint64_t get_u64(const std::uint8_t* p);

Bytes random_bytes(std::size_t n);

}  // namespace kaappi
