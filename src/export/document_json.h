// document_json.h — the JSON form of a document's metadata, the same in
// `documents --json` and proof.json: {"id", "customer" (number, or null while
// unassigned), "kind", "pages", "size" (plaintext bytes), "imported",
// "file_name" (as imported), "station" (the scanning station that sent it,
// or null)}.
#pragma once

#include <nlohmann/json.hpp>

#include "documents/documents.h"

namespace kaappi {

nlohmann::json document_json(const DocumentInfo& info);

}  // namespace kaappi
