// inspection_labels.h — the words of the inspection report in Finnish,
// Swedish and English: its headings and fixed sentences, the customer
// record's field labels, and the names of the values it shows (document
// kinds, consent states, request kinds, access actions, data sources).
// Consent purposes carry their own labels (consent/purposes.h). One table,
// so a missing translation is found by one unit test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

// The label `key` in `lang` (fi, sv or en); `key` itself when there is none
// (a value kaappi does not know, e.g. a newer action, is shown as it is).
std::string inspection_label(std::string_view lang, std::string_view key);
// Every key of the table (for the unit test that each has three languages).
std::vector<std::string> inspection_label_keys();

}  // namespace kaappi
