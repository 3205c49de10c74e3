// document_json.h — the JSON form of a document's metadata, the same in
// `documents --json` and proof.json: {"id", "customer" (number, or null while
// unassigned), "kind", "pages", "size" (plaintext bytes), "imported",
// "file_name" (as imported), "station" (the scanning station that sent it,
// or null)}; with CustomerName::shown also "customer_name" (the customer's
// current name, or null while unassigned), as `documents --names --json`.
#pragma once

#include <nlohmann/json.hpp>

#include "documents/documents.h"

namespace kaappi {

enum class CustomerName { left_out, shown };
nlohmann::json document_json(const DocumentInfo& info, CustomerName name = CustomerName::left_out);

}  // namespace kaappi
