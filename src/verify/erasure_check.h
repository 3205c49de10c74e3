// erasure_check.h — verify's part of erasure (docs/FORMAT.md, "Erasure"):
// the erasure rows, read before every other row, each a note (with the key:
// who erased and why); the hashes they list for a row's erased values, which
// its row hash is computed with; a value an erasure lists that is still
// stored, or that names no erasable column of an existing row, is a problem;
// and whether an erasure names a given value (an erased document's blob or
// customer's key is then not asked for).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "store/erasure.h"
#include "store/signed_tables.h"
#include "verify/verify_context.h"

namespace kaappi {

class ErasureCheck {
 public:
  // Reads the erasure rows: one note each, a problem for a list that is not
  // whole records.
  void read(VerifyContext& c);

  // The hashes the erasures list for a row's erased values, by column (what
  // its row hash needs); a value they list that is still there is a problem
  // added to `out`.
  template <typename Row>
  std::vector<ErasedHash> hashes(const SignedTable<Row>& table, std::span<const SqlValue> values, const Row& row,
                                 std::vector<Problem>& out) const {
    const std::vector<ErasedValue>* listed = m_erased.of_row(table.code(), row.id);
    if (listed == nullptr) return {};
    for (const ErasedValue& v : *listed)
      if (v.column + 1u < values.size() && values[v.column].type != SqlValue::Type::null)
        out.push_back({{}, table.names().altered,
                       table.label(table.label_values(row)) + ": " + table.columns()[v.column].name +
                           " is still stored, but an erasure row says it was erased"});
    return m_erased.hashes(table.code(), row.id, values.size() - 1);
  }

  // Each erased value the erasures list is an erasable column of an existing row.
  void check_named_values(VerifyContext& c) const;

  // Whether an erasure names `column` of the row `id` of `table`.
  template <typename Row>
  bool names(const SignedTable<Row>& table, std::int64_t id, std::string_view column) const {
    const std::vector<ErasedValue>* listed = m_erased.of_row(table.code(), id);
    if (listed == nullptr) return false;
    for (const ErasedValue& v : *listed)
      if (v.column < table.columns().size() && column == table.columns()[v.column].name) return true;
    return false;
  }

  // Customers whose key an erasure names (a key emptied otherwise is a
  // problem of its row's hash, not an erasure).
  std::int64_t erased_customers(const Index& index) const;

 private:
  ErasedValues m_erased;
};

}  // namespace kaappi
