// sealed_reason.cpp — see sealed_reason.h.
#include "store/sealed_reason.h"

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace kaappi {

Bytes seal_reason(const ValueSealer& sealer, std::string_view table, ByteView row_uid, const SealedReason& reason) {
  nlohmann::json value = {{"by", reason.by}, {"reason", reason.reason}};
  if (!reason.subject.empty()) value["subject"] = reason.subject;
  return sealer.seal(table, "reason", row_uid, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

SealedReason open_reason(const ValueSealer& sealer, std::string_view table, ByteView row_uid, ByteView sealed,
                         const std::string& row) {
  std::string text = sealer.open(table, "reason", row_uid, sealed);
  try {
    auto j = nlohmann::json::parse(text);
    return SealedReason{j.at("by").get<std::string>(), j.at("reason").get<std::string>(), j.value("subject", "")};
  } catch (const nlohmann::json::exception&) {
    fail(ErrorKind::corrupt, row + " cannot be read");
  }
}

}  // namespace kaappi
