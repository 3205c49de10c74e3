// customer_json_values.cpp — see customer_json_values.h.
#include "register/customer_json_values.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.h"
#include "base/wipe.h"
#include "base/word_list.h"
#include "format/json_unique_keys.h"
#include "register/customer_fields.h"

namespace kaappi {
namespace {

std::string known_keys(NumberField number) {
  std::vector<std::string> keys;
  for (const auto& spec : customer_fields())
    if (number == NumberField::allowed || std::string_view(spec.key) != "number") keys.push_back(spec.key);
  return comma_list(keys);
}

}  // namespace

std::map<std::string, std::string> customer_values_from_json(std::string_view text, NumberField number) {
  // A key given twice would silently take its last value: refused, naming it.
  JsonWithUniqueKeys parsed = parse_json_unique_keys(text);
  nlohmann::json& j = parsed.value;
  if (j.is_discarded() || !j.is_object())
    fail(ErrorKind::usage, Message("the customer fields in ") + Field{"from_json"} +
                               " must be one JSON object, such as {\"name\": \"Oy Esimerkki Ab\"}");
  if (parsed.key_twice)
    fail(ErrorKind::usage, Message("customer field \"") + printable_json_key(*parsed.key_twice) + "\" is given twice in " + Field{"from_json"} +
                               "; give each field once");
  std::map<std::string, std::string> values;
  for (auto& [key, value] : j.items()) {
    if (key == "number" && number == NumberField::refused)
      fail(ErrorKind::usage, Message("the customer number cannot change; remove \"number\" from ") + Field{"from_json"});
    if (find_customer_field(key) == nullptr)
      fail(ErrorKind::usage, Message("unknown customer field \"") + printable_json_key(key) + "\" in " + Field{"from_json"} +
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
