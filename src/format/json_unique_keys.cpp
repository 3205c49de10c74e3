// json_unique_keys.cpp — see json_unique_keys.h.
#include "format/json_unique_keys.h"

#include <set>
#include <vector>

namespace kaappi {

JsonWithUniqueKeys parse_json_unique_keys(std::string_view text) {
  JsonWithUniqueKeys out;
  std::vector<std::set<std::string>> keys_of_open_objects;
  auto no_key_twice = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys_of_open_objects.emplace_back();
    if (event == Event::object_end && !keys_of_open_objects.empty()) keys_of_open_objects.pop_back();
    if (event == Event::key && !keys_of_open_objects.empty() && !out.key_twice &&
        !keys_of_open_objects.back().insert(parsed.get<std::string>()).second)
      out.key_twice = parsed.get<std::string>();
    return true;
  };
  out.value = nlohmann::json::parse(text, no_key_twice, /*allow_exceptions=*/false);
  return out;
}

std::string printable_json_key(const std::string& key) {
  std::string out = key.substr(0, 64);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace kaappi
