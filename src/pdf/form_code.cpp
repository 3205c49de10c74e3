// form_code.cpp — see form_code.h.
#include "pdf/form_code.h"

#include <algorithm>

namespace kaappi::form {
namespace {

constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::size_t k_code_bytes = k_authenticated_bytes + k_mac_bytes;

}  // namespace

std::array<std::uint8_t, k_authenticated_bytes> FormCode::authenticated() const {
  std::array<std::uint8_t, k_authenticated_bytes> out{};
  out[0] = k_code_format;
  out[1] = static_cast<std::uint8_t>(template_version);
  out[2] = static_cast<std::uint8_t>(page);
  std::copy(instance.begin(), instance.end(), out.begin() + 3);
  return out;
}

std::string base32(const std::uint8_t* data, std::size_t size) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out += k_alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += k_alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> unbase32(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const char* at = std::find(k_alphabet, k_alphabet + 32, c);
    if (at == k_alphabet + 32) return std::nullopt;
    buffer = (buffer << 5) | static_cast<unsigned>(at - k_alphabet);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // What is left must be padding bits of zero, fewer than a character's.
  if (bits >= 5 || (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string encode_form_code(const FormCode& code) {
  std::array<std::uint8_t, k_code_bytes> bytes{};
  const auto head = code.authenticated();
  std::copy(head.begin(), head.end(), bytes.begin());
  std::copy(code.mac.begin(), code.mac.end(), bytes.begin() + k_authenticated_bytes);
  return k_code_prefix + base32(bytes.data(), bytes.size());
}

std::optional<FormCode> parse_form_code(std::string_view text) {
  const std::string_view prefix = k_code_prefix;
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::optional<std::string> bytes = unbase32(text.substr(prefix.size()));
  if (!bytes || bytes->size() != k_code_bytes) return std::nullopt;
  const auto* b = reinterpret_cast<const std::uint8_t*>(bytes->data());
  if (b[0] != k_code_format || b[1] == 0 || b[2] == 0) return std::nullopt;
  FormCode code;
  code.template_version = b[1];
  code.page = b[2];
  std::copy(b + 3, b + 3 + k_instance_bytes, code.instance.begin());
  std::copy(b + k_authenticated_bytes, b + k_code_bytes, code.mac.begin());
  return code;
}

}  // namespace kaappi::form
