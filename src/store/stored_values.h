// stored_values.h — what is stored otherwise than kaappi stores it, and the
// query that finds it (docs/FORMAT.md, "What verify requires beyond the
// signatures").
//
// Format 2's row hash encodes each value with its storage class, so a value
// stored as another type (the integer 5 as the text '5', a document's empty
// customer link as 0 instead of NULL) already breaks its transaction's
// signature; this check names the row and column. STRICT, NOT NULL and
// CHECK bind only writers that use SQLite honestly, not someone who edits the
// file. Every link (a column whose SQL says REFERENCES) must also name an
// existing row or, where it may be empty, be NULL: that no signature can say.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "store/signed_table.h"

namespace kaappi {

// One value of a row stored otherwise than kaappi stores it.
struct StoredValueFault {
  std::string column;
  std::string stored_as;  // SQLite's typeof() of a value in the wrong storage class, else empty
  std::string expected;   // the storage class kaappi stores the column's values in
  bool dangling = false;  // a link naming no row (stored as an integer)
  std::int64_t link = 0;  // that link's value
  bool may_be_empty = false;
  std::string linked;     // the table the link names rows of ("documents")
};

// SQLite's typeof() of the values kaappi stores with `encoding` (an empty
// id_or_null link is NULL as well).
inline const char* storage_class(Encoding encoding) {
  switch (encoding) {
    case Encoding::integer:
    case Encoding::id_or_null: return "integer";
    case Encoding::text: return "text";
    case Encoding::blob: return "blob";
  }
  return "";
}

// The table a column links to ("customers" for "INTEGER REFERENCES customers(id)"), or empty.
inline std::string linked_table(std::string_view sql) {
  constexpr std::string_view k_references = "REFERENCES ";
  size_t at = sql.find(k_references);
  if (at == std::string_view::npos) return {};
  at += k_references.size();
  return std::string(sql.substr(at, sql.find('(', at) - at));
}

// "SELECT <columns>, typeof(<each column>), <each link names a row> FROM
// <table> t WHERE NOT (<all as kaappi stores them>) ORDER BY t.id"
// (format1: of the columns format 1 had).
template <typename Row>
std::string misstored_rows_select(const SignedTable<Row>& table, bool format1 = false) {
  std::string types, links, stored_right;
  for (const auto& c : table.columns()) {
    if (format1 && c.sign == Signed::absent) continue;
    const std::string value = std::string("t.") + c.name;
    types += ", typeof(" + value + ")";
    std::string right = "typeof(" + value + ") = '" + storage_class(c.encoding) + "'";
    // An erased value is NULL: the row's hash says whether an erasure names it.
    if (c.encoding == Encoding::id_or_null || (c.erasable && !format1)) right = "(" + right + " OR " + value + " IS NULL)";
    stored_right += (stored_right.empty() ? "" : " AND ") + right;
    std::string target = linked_table(c.sql);
    if (target.empty()) {
      if (c.encoding == Encoding::id_or_null)
        fail(ErrorKind::internal, std::string("the link ") + table.name() + "." + c.name + " names no table");
      continue;
    }
    std::string names_a_row =
        "(typeof(" + value + ") <> 'integer' OR EXISTS (SELECT 1 FROM " + target + " r WHERE r.id = " + value + "))";
    links += ", " + names_a_row;
    stored_right += " AND " + names_a_row;
  }
  return "SELECT " + table.column_list("t.", format1) + types + links + " FROM " + table.name() + " t WHERE NOT (" +
         stored_right + ") ORDER BY t.id";
}

// Reads one row of misstored_rows_select() into `row` and its faults.
template <typename Row>
void read_misstored_row(const SignedTable<Row>& table, Statement& s, Row& row, std::vector<StoredValueFault>& faults) {
  table.read(s, row);
  faults.clear();
  for (const auto& c : table.columns()) {
    std::string stored_as = s.text();
    bool right = stored_as == storage_class(c.encoding) ||
                 ((c.encoding == Encoding::id_or_null || c.erasable) && stored_as == "null");
    if (!right) faults.push_back({c.name, stored_as, storage_class(c.encoding), false, 0, false, {}});
  }
  for (const auto& c : table.columns()) {
    std::string linked = linked_table(c.sql);
    if (linked.empty()) continue;
    if (s.i64() == 0)
      faults.push_back({c.name, "", storage_class(c.encoding), true, row.*c.integer, c.encoding == Encoding::id_or_null,
                        std::move(linked)});
  }
}

}  // namespace kaappi
