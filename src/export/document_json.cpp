// document_json.cpp — see document_json.h.
#include "export/document_json.h"

#include "base/dates.h"
#include "export/json_fields.h"

namespace kaappi {

nlohmann::json document_json(const DocumentInfo& info, CustomerName name) {
  const DocumentRow& row = info.row;
  nlohmann::json j = {{"id", row.id},
          {"customer", row.owner() ? nlohmann::json(info.customer_number) : nlohmann::json(nullptr)},
          {"kind", row.current_kind()},
          {"pages", row.pages},
          {"size", row.plain_size},
          {"imported", format_time(row.imported_at)},
          {"file_name", info.file_name},
          {"station", text_or_null(info.station)}};
  if (name == CustomerName::shown)
    j["customer_name"] = row.owner() && !info.customer_name.empty() ? nlohmann::json(info.customer_name)
                                                                     : nlohmann::json(nullptr);  // none, erased or restricted
  return j;
}

}  // namespace kaappi
