// json_unique_keys.h — the one JSON reader that notices a key given twice.
//
// nlohmann's parser keeps the last of two equal keys in an object, so two
// readers of the same bytes may disagree. Every hostile or user-given JSON
// object kaappi reads (station metadata, `customer --from-json`) goes through
// parse_json_unique_keys(), which reports the first key that appears twice in
// one object at any depth, compared after JSON unescaping ("n\u0061me" is
// "name"). The caller decides what to say about it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace kaappi {

struct JsonWithUniqueKeys {
  nlohmann::json value;                  // is_discarded() when the text is not JSON
  std::optional<std::string> key_twice;  // the first key given twice in one object, unescaped
};

JsonWithUniqueKeys parse_json_unique_keys(std::string_view text);

// A key as a message may show it: control characters as '?', at most 64 bytes.
std::string printable_json_key(const std::string& key);

}  // namespace kaappi
