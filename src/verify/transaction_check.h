// transaction_check.h — verify's check of the signed history (docs/FORMAT.md,
// "Row hashes and transaction signatures"): every transaction's rows are
// exactly the sequence numbers after the one before, each once; the hash of
// their hashes is the signed one; its digest follows from the one before; its
// signature holds (checked on both cores); the last is the head; no row lies
// beyond it.
#pragma once

#include "verify/signed_rows.h"
#include "verify/verify_context.h"

namespace kaappi {

void check_transactions(VerifyContext& c, const SignedRows& rows);

}  // namespace kaappi
