// languages.h — the languages kaappi prints in (the inspection report, the
// printed forms, the register's texts): Finnish, Swedish and English, and
// the one rule for picking a text in one of them. Tables of texts are kept
// where they are used (export/form_words, export/inspection_labels); this
// is how they are read. Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

// fi, sv, en.
const std::vector<std::string>& print_languages();

// The text for `lang`: sv and en their own, anything else Finnish.
const char* in_language(std::string_view lang, const char* fi, const char* sv, const char* en);

// A text of a table, by its key.
struct Translation {
  const char* key;
  const char* fi;
  const char* sv;
  const char* en;
};
// The entry of `table` with `key`, or nullptr.
const Translation* find_translation(const std::vector<Translation>& table, std::string_view key);
// The keys of `table`, in order (for the unit tests that each is complete).
std::vector<std::string> translation_keys(const std::vector<Translation>& table);

}  // namespace kaappi
