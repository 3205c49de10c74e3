// word_list.h — a list of allowed values written out for people:
// "consent-form, contract or other". Messages and help texts build their
// lists of values with these from the list the code checks against, so the
// two cannot drift apart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kaappi {

// "a, b, c"
std::string comma_list(const std::vector<std::string>& words);
// "a, b or c" ("a" for one word)
std::string or_list(const std::vector<std::string>& words);
// "a, b and c" ("a" for one word); of numbers: "8, 11 and 14"
std::string and_list(const std::vector<std::string>& words);
std::string and_list(const std::vector<std::int64_t>& numbers);

}  // namespace kaappi
