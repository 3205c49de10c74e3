// table_stream.h — verify's walk of one whole signed table on both cores:
// the table's ids in two halves, each read by its own connection
// (store/parallel_read.h) and checked by check(values,
// row, out) row by row. What each half produces (`Part`: its problems, and
// whatever else the check gathers) comes back in id order, the first half's
// before the second's.
#pragma once

#include <span>
#include <vector>

#include "store/parallel_read.h"
#include "verify/verify_context.h"

namespace kaappi {

// What one half gathers by default: its problems.
struct TablePart {
  std::vector<Problem> problems;
};

// Streams the table of `Row`; `merge(part)` is called for each half in id
// order after both have finished.
template <typename Row, typename Part = TablePart, typename Check, typename Merge>
void stream_table(VerifyContext& c, Check&& check, Merge&& merge) {
  // A pair, not a structured binding: clang 14 (the fuzz build) cannot capture those.
  const auto ids = c.index.id_range<Row>();
  Part parts[2];
  read_in_two_parts(
      c.archive,
      [&](const Index& index, int p) {
        auto [from, to] = half_of(ids.first, ids.second, p);
        index.each_stored<Row>([&](std::span<const SqlValue> values, const Row& row) { check(values, row, parts[p]); },
                               from, to);
      });
  for (auto& part : parts) merge(part);
}

// The same, keeping only the problems.
template <typename Row, typename Check>
void stream_table(VerifyContext& c, Check&& check) {
  stream_table<Row, TablePart>(c, std::forward<Check>(check), [&](TablePart& part) {
    for (auto& problem : part.problems) c.report.problems.push_back(std::move(problem));
  });
}

}  // namespace kaappi
