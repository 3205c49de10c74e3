// json_fields.cpp — see json_fields.h.
#include "export/json_fields.h"

namespace kaappi {

nlohmann::json id_or_null(const std::optional<std::int64_t>& id) {
  return id ? nlohmann::json(*id) : nlohmann::json(nullptr);
}

nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace kaappi
