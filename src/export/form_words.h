// form_words.h — the words printed on a form, in Finnish, Swedish and
// English (base/languages.h; the purposes' and bans' own labels come from
// consent/purposes.h, the register's texts from the key holder's file,
// export/register_texts.h).
// Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

// The word or sentence `key` in `lang` (ErrorKind::internal for an unknown
// key: a bug). Keys: form_words_keys().
std::string form_word(std::string_view lang, std::string_view key);
std::vector<std::string> form_words_keys();

}  // namespace kaappi
