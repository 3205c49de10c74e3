// business_id.cpp — see business_id.h.
#include "register/business_id.h"

#include <cctype>

namespace kaappi {

std::optional<std::string> normalize_business_id(std::string_view text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  auto dash = s.find('-');
  if (dash == std::string::npos || dash + 2 != s.size() || dash < 6 || dash > 7) return std::nullopt;
  std::string digits = s.substr(0, dash);
  if (digits.size() == 6) digits = "0" + digits;
  char check = s.back();
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  if (!std::isdigit(static_cast<unsigned char>(check))) return std::nullopt;
  static constexpr int weights[7] = {7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 7; ++i) sum += (digits[static_cast<size_t>(i)] - '0') * weights[i];
  int remainder = sum % 11;
  if (remainder == 1) return std::nullopt;
  int expected = remainder == 0 ? 0 : 11 - remainder;
  if (check - '0' != expected) return std::nullopt;
  return digits + "-" + check;
}

}  // namespace kaappi
