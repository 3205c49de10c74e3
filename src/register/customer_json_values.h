// customer_json_values.h — a customer's field values given as a JSON object
// instead of on the command line, where every local user could read them in
// /proc/PID/cmdline: {"name": "Oy Esimerkki Ab", "email": "info@esimerkki.fi"}.
// The keys are customer_fields()' keys (the same as the command-line options
// and the CSV columns); every value is a string ("" clears a field in an
// edit). The values are checked later, as values from any other source.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace kaappi {

enum class NumberField { allowed, refused };

// The values of `text`, which must be one JSON object. Refuses, with
// ErrorKind::usage naming Field{"from_json"} and the key (never a value):
// text that is not a JSON object, an unknown key, a value that is not a
// string, a key given twice, and "number" when `number` is NumberField::refused
// (an edit cannot change it).
std::map<std::string, std::string> customer_values_from_json(std::string_view text, NumberField number);

}  // namespace kaappi
