// business_id.h — Finnish business ID (Y-tunnus) validation.
//
// Form NNNNNNN-C: seven digits, a hyphen, a check digit. The check digit is
// computed with weights 7, 9, 10, 5, 8, 4, 2; remainder 0 gives 0, remainder 1
// is never issued, otherwise 11 - remainder. Old six-digit IDs are written
// with a leading zero; we accept them without it and normalize.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kaappi {

// The normalized ID, or nullopt if the text is not a valid Y-tunnus.
std::optional<std::string> normalize_business_id(std::string_view text);

}  // namespace kaappi
