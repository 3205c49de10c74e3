// word_list.cpp — see word_list.h.
#include "base/word_list.h"

namespace kaappi {

std::string comma_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

namespace {

std::string joined_list(const std::vector<std::string>& words, const char* last) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? last : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

std::string or_list(const std::vector<std::string>& words) { return joined_list(words, " or "); }

std::string and_list(const std::vector<std::string>& words) { return joined_list(words, " and "); }

std::string and_list(const std::vector<std::int64_t>& numbers) {
  std::vector<std::string> words;
  for (std::int64_t n : numbers) words.push_back(std::to_string(n));
  return and_list(words);
}

}  // namespace kaappi
