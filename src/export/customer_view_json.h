// customer_view_json.h — the JSON form of one customer's whole view
// (`customer show --all --json`), each section in the JSON form its own
// command gives it:
// {"customer": the record as `customer show --json`,
//  "history": [version, ...] as `customer history --json`'s "versions",
//  "documents": [document, ...] as `documents --json`'s,
//  "consents": {"as_of", "states": [state, ...] as `consent show --json`'s
//               "consents", "events": [event, ...] as `consent history --json`'s},
//  "requests_and_holds": [{"what", "id", "kind", "since", "until", "reason"}, ...]}.
#pragma once

#include <nlohmann/json.hpp>

#include "export/customer_view.h"

namespace kaappi {

nlohmann::json customer_view_json(const CustomerView& view);

}  // namespace kaappi
