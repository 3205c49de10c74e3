// sealed_reason.h — who did something and why, as a row records it sealed in
// its `reason` column: the JSON {"by": actor, "reason": text} (restore
// acknowledgements, erasures; docs/FORMAT.md).
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "keys/value_sealer.h"

namespace kaappi {

struct SealedReason {
  std::string by, reason;
  std::string subject;  // empty: none (not in the JSON)
};

Bytes seal_reason(const ValueSealer& sealer, std::string_view table, ByteView row_uid, const SealedReason& reason);
// Throws ErrorKind::corrupt when the value does not open or is not such a
// JSON object; the message names `row` ("restore row 3").
SealedReason open_reason(const ValueSealer& sealer, std::string_view table, ByteView row_uid, ByteView sealed,
                         const std::string& row);

}  // namespace kaappi
