// restores.h — restore acknowledgements (kaappi accept-restore): who
// accepted a restore from a backup and why, sealed in the restore row's
// `reason` like an access log entry's ({"by": actor, "reason": text}). The
// row itself is written by Session::accept_restore (restores.cpp).
#pragma once

#include <string>

#include "keys/value_sealer.h"
#include "store/sealed_reason.h"
#include "store/index_rows.h"

namespace kaappi {

using RestoreReason = SealedReason;

Bytes seal_restore_reason(const ValueSealer& sealer, const RestoreRow& row, const RestoreReason& reason);
// Throws ErrorKind::corrupt when the sealed value does not open.
RestoreReason open_restore_reason(const ValueSealer& sealer, const RestoreRow& row);

}  // namespace kaappi
