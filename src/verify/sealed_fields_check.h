// sealed_fields_check.h — what only `verify --full` checks in the index:
// every sealed value opens under the key its column names
// (keys/index_keys.h), each customer's number matches its lookup tag, a
// consent event's proof is a document of its customer, each event is
// corrected at most once and only by a later one of its customer
// (verify/decision_check.h). A customer whose key
// does not open is one problem (their rows are not opened one by one); an
// erased value (verify/erasure_check.h) is not opened.
#pragma once

#include "verify/erasure_check.h"
#include "verify/verify_context.h"

namespace kaappi {

// `c.session` must be set; c.documents already read.
void check_sealed_fields(VerifyContext& c, const ErasureCheck& erasures);

}  // namespace kaappi
