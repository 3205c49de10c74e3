// erasure_check.cpp — see erasure_check.h.
#include "verify/erasure_check.h"

#include <limits>

namespace kaappi {

void ErasureCheck::read(VerifyContext& c) {
  c.index.each<ErasureRow>(
      [&](const ErasureRow& e) {
        try {
          const std::vector<ErasedValue> values = decode_erased(e.erased);
          for (const ErasedValue& v : values) m_erased.add(v);
          std::string note = "erasure " + std::to_string(e.id) + " (change " +
                             std::to_string(c.index.transaction_of_seq(e.seq)) + ") erased " +
                             std::to_string(values.size()) + " value(s)";
          if (c.session) {
            ErasureReason why = open_erasure_reason(c.session->keys().field(), e);
            note += "; by " + why.by + ": " + why.reason;
          }
          c.note(note);
        } catch (const Error& err) {
          c.add({}, "erasure record altered", "erasure row " + std::to_string(e.id) + ": " + err.what());
        }
      },
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
}

void ErasureCheck::check_named_values(VerifyContext& c) const {
  for (const auto& [key, values] : m_erased.rows()) {
    for (const ErasedValue& v : values) {
      std::string problem;
      bool table_known = false;
      for_each_signed_table([&](const auto& table) {
        if (table.code() != v.table) return;
        table_known = true;
        const auto& columns = table.columns();
        if (v.column + 1u >= columns.size())
          problem = std::string("names column number ") + std::to_string(v.column) + " of " + table.name() +
                    ", which it does not have";
        else if (!columns[v.column].erasable)
          problem = std::string("names ") + table.name() + "." + columns[v.column].name + ", which is never erased";
        else if (!c.index.has_row(table.name(), v.row_id))
          problem = std::string("names row ") + std::to_string(v.row_id) + " of " + table.name() +
                    ", which does not exist";
      });
      if (!table_known) problem = "names table code " + std::to_string(v.table) + ", which does not exist";
      if (!problem.empty()) c.add({}, "erasure record altered", "an erasure " + problem);
    }
  }
}

std::int64_t ErasureCheck::erased_customers(const Index& index) const {
  std::int64_t n = 0;
  index.each_customer_key([&](const CustomerKeyRow& row, const Bytes&) {
    n += row.wrapped.empty() && names(table_of<CustomerKeyRow>(), row.id, "wrapped") ? 1 : 0;
  });
  return n;
}

}  // namespace kaappi
