// duration.cpp — see duration.h.
#include "base/duration.h"

namespace kaappi {

std::optional<std::int64_t> parse_duration(std::string_view text) {
  constexpr std::int64_t k_max = 100LL * 24 * 3600;
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  bool any_unit = false;
  while (i < text.size()) {
    std::int64_t n = 0;
    std::size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      n = n * 10 + (text[i] - '0');
      if (n > k_max) return std::nullopt;
    }
    if (digits == 0) return std::nullopt;
    std::int64_t unit = 60;  // a bare number: minutes
    if (i < text.size()) {
      switch (text[i]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 24 * 3600; break;
        default: return std::nullopt;
      }
      ++i;
      any_unit = true;
    } else if (any_unit) {
      return std::nullopt;  // "1h30": say what the 30 is
    }
    total += n * unit;
    if (total > k_max) return std::nullopt;
  }
  return total;
}

std::string describe_duration(std::int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + " s";
  std::int64_t h = seconds / 3600, m = (seconds % 3600) / 60;
  if (h == 0) return std::to_string(m) + " min";
  return std::to_string(h) + " h" + (m ? " " + std::to_string(m) + " min" : "");
}

}  // namespace kaappi
