// stored_values_check.cpp — see stored_values_check.h.
#include "verify/stored_values_check.h"

namespace kaappi {
namespace {

// "customer" for the link column "customer_id".
std::string linked_noun(const std::string& column) {
  constexpr std::string_view k_suffix = "_id";
  if (column.size() > k_suffix.size() && column.compare(column.size() - k_suffix.size(), k_suffix.size(), k_suffix) == 0)
    return column.substr(0, column.size() - k_suffix.size());
  return column;
}

// "document" for the table "documents" (a link names one of its rows).
std::string row_noun(const std::string& table) {
  std::string noun = table;
  if (!noun.empty() && noun.back() == 's') noun.pop_back();
  for (char& c : noun)
    if (c == '_') c = ' ';
  return noun;
}

std::string describe(const StoredValueFault& f) {
  if (f.dangling)
    return linked_noun(f.column) + " link is " + std::to_string(f.link) + ", which is " +
           (f.may_be_empty ? "neither empty nor an existing " : "not an existing ") + row_noun(f.linked);
  return f.column + " is stored as " + f.stored_as + ", where kaappi stores " + f.expected;
}

template <typename Row>
void check_table(const Index& index, const SignedTable<Row>& table, std::vector<Problem>& out) {
  const RowNames& names = table.names();
  index.each_misstored<Row>([&](const Row& row, const std::vector<StoredValueFault>& faults) {
    std::optional<std::int64_t> document;
    if (names.document_column) document = table.value(row, names.document_column);
    for (const auto& f : faults)
      out.push_back({document, names.altered, table.label(table.label_values(row)) + ": " + describe(f)});
  });
}

}  // namespace

std::vector<Problem> stored_value_problems(const Index& index) {
  std::vector<Problem> out;
  for (const auto& fault : index.head_and_archive_faults()) out.push_back({{}, "index altered outside kaappi", fault});
  for (const auto& fault : index.row_hash_list_faults()) out.push_back({{}, "index altered outside kaappi", fault});
  for_each_signed_table([&](const auto& table) { check_table(index, table, out); });
  return out;
}

}  // namespace kaappi
