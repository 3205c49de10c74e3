// json_fields.h — small conventions shared by every JSON record: an absent
// id or text is null, times are written as format_time() gives them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace kaappi {

nlohmann::json id_or_null(const std::optional<std::int64_t>& id);
// null for "", else the text.
nlohmann::json text_or_null(const std::string& text);

}  // namespace kaappi
