// languages.cpp — see languages.h.
#include "base/languages.h"

namespace kaappi {

const std::vector<std::string>& print_languages() {
  static const std::vector<std::string> list{"fi", "sv", "en"};
  return list;
}

const char* in_language(std::string_view lang, const char* fi, const char* sv, const char* en) {
  return lang == "sv" ? sv : lang == "en" ? en : fi;
}

const Translation* find_translation(const std::vector<Translation>& table, std::string_view key) {
  for (const Translation& t : table)
    if (key == t.key) return &t;
  return nullptr;
}

std::vector<std::string> translation_keys(const std::vector<Translation>& table) {
  std::vector<std::string> out;
  for (const Translation& t : table) out.emplace_back(t.key);
  return out;
}

}  // namespace kaappi
