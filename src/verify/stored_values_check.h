// stored_values_check.h — verify's check of what the row signatures cannot
// vouch for (store/stored_values.h): every value stored in its column's
// storage class, every link naming an existing row (or, where a link may be
// empty, NULL: never 0), one archive row and one head, the head's values
// stored as kaappi stores them, the row hash lists kept beside the
// transactions (store/row_hash_lists.h) hashing to what each signed. Each fault is a problem naming its row.
#pragma once

#include <vector>

#include "store/index.h"
#include "verify/verifier.h"

namespace kaappi {

std::vector<Problem> stored_value_problems(const Index& index);

}  // namespace kaappi
