// form_code.h — what the QR code on every page of a printed form carries
// (docs/FORMS.md, "The QR code"): the code's format, the form template's
// version, the page number, the form instance's random id and a MAC under a
// key derived from the archive's master secret (forms/form_instances.h
// computes and checks it). Never a name or a customer number.
//
// As text (QR alphanumeric mode): "KAAPPI:" then the 27 bytes in RFC 4648
// base32, upper case, unpadded (44 characters). Plain C++: the PDF helper
// builds this file into itself to learn a page's template and number; what
// it reads there is unauthenticated until kaappi checks the MAC. Pure
// functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kaappi::form {

inline constexpr const char* k_code_prefix = "KAAPPI:";
inline constexpr std::uint8_t k_code_format = 1;
inline constexpr std::size_t k_instance_bytes = 12;
inline constexpr std::size_t k_mac_bytes = 12;
inline constexpr std::size_t k_authenticated_bytes = 3 + k_instance_bytes;  // format, template, page, instance

using InstanceId = std::array<std::uint8_t, k_instance_bytes>;
using CodeMac = std::array<std::uint8_t, k_mac_bytes>;

struct FormCode {
  int template_version = 0;  // 1..255
  int page = 0;              // 1..255
  InstanceId instance{};
  CodeMac mac{};
  // format ‖ template ‖ page ‖ instance: what the MAC covers.
  std::array<std::uint8_t, k_authenticated_bytes> authenticated() const;
};

std::string encode_form_code(const FormCode& code);
// The code `text` holds, or nothing when it is not a kaappi form code of a
// format this build reads (another program's QR code, a damaged one).
std::optional<FormCode> parse_form_code(std::string_view text);

// RFC 4648 base32, upper case, no padding; decoding refuses anything else.
std::string base32(const std::uint8_t* data, std::size_t size);
std::optional<std::string> unbase32(std::string_view text);

}  // namespace kaappi::form
