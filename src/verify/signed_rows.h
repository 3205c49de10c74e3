// signed_rows.h — verify's walk of every signed table (store/signed_tables.h),
// on both cores: each row hashed as stored (an erased value by the hash its
// erasure lists: verify/erasure_check.h), the archive row checked against
// the key, and the rules between tables checked with each row. What the
// transactions' check (verify/transaction_check.h) needs of each row is kept:
// its sequence number, hash, and what names it in a problem.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "verify/erasure_check.h"
#include "verify/verify_context.h"

namespace kaappi {

// What the chain check keeps of each signed row (about 64 bytes).
struct RowRef {
  std::int64_t seq = 0;
  Sha256Digest hash{};
  bool hashed = false;                  // false: the row cannot be hashed (a problem said why)
  std::uint8_t table = 0;               // position in signed_tables()
  std::array<std::int64_t, 2> label{};  // the values its table's row label names
  std::int64_t document = 0;            // the document its problems name (0: none)
};

// Every signed row's reference, in sequence-number order, and how each
// table names its rows.
struct SignedRows {
  std::vector<RowRef> refs;
  std::vector<std::function<std::string(const RowRef&)>> labels;  // by table position
  std::vector<const char*> altered;                                // by table position: the problem's name

  std::string describe(const RowRef& r) const { return labels[r.table](r); }
};

// Walks every signed table; the documents are read into c.documents on the way.
SignedRows walk_signed_rows(VerifyContext& c, const ErasureCheck& erasures);

}  // namespace kaappi
