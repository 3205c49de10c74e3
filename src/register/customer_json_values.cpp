// customer_json_values.cpp — see customer_json_values.h.
#include "register/customer_json_values.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <vector>

#include "base/error.h"
#include "base/wipe.h"
#include "base/word_list.h"
#include "register/customer_fields.h"

namespace kaappi {
namespace {

std::string known_keys(NumberField number) {
  std::vector<std::string> keys;
  for (const auto& spec : customer_fields())
    if (number == NumberField::allowed || std::string_view(spec.key) != "number") keys.push_back(spec.key);
  return comma_list(keys);
}

// A key as a message may show it: control characters as '?', at most 64 bytes.
std::string printable_key(const std::string& key) {
  std::string out = key.substr(0, 64);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace

std::map<std::string, std::string> customer_values_from_json(std::string_view text, NumberField number) {
  // A key given twice would silently take its last value: refused, naming it.
  std::vector<std::set<std::string>> keys_of_open_objects;
  std::optional<std::string> twice;
  auto no_key_twice = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys_of_open_objects.emplace_back();
    if (event == Event::object_end && !keys_of_open_objects.empty()) keys_of_open_objects.pop_back();
    if (event == Event::key && !keys_of_open_objects.empty() && !twice &&
        !keys_of_open_objects.back().insert(parsed.get<std::string>()).second)
      twice = parsed.get<std::string>();
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(text, no_key_twice, false);
  if (j.is_discarded() || !j.is_object())
    fail(ErrorKind::usage, Message("the customer fields in ") + Field{"from_json"} +
                               " must be one JSON object, such as {\"name\": \"Oy Esimerkki Ab\"}");
  if (twice)
    fail(ErrorKind::usage, Message("customer field \"") + printable_key(*twice) + "\" is given twice in " + Field{"from_json"} +
                               "; give each field once");
  std::map<std::string, std::string> values;
  for (auto& [key, value] : j.items()) {
    if (key == "number" && number == NumberField::refused)
      fail(ErrorKind::usage, Message("the customer number cannot change; remove \"number\" from ") + Field{"from_json"});
    if (find_customer_field(key) == nullptr)
      fail(ErrorKind::usage, Message("unknown customer field \"") + printable_key(key) + "\" in " + Field{"from_json"} +
                                 " (known: " + known_keys(number) + ")");
    if (!value.is_string())
      fail(ErrorKind::usage, Message("customer field \"") + key + "\" in " + Field{"from_json"} +
                                 " must be a string, not " + value.type_name());
    values[key] = value.get<std::string>();
    wipe(value.get_ref<std::string&>());
  }
  return values;
}

}  // namespace kaappi
