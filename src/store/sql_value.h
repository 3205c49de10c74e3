// sql_value.h — one column's value as SQLite stores it: its storage class
// (sqlite3_column_type) and its value. What a signed table binds for a row
// (SignedTable::values) and, in format 2, what a row's hash is computed over
// (row_hash.h), by the writer from what it binds and by the verifier from
// what it reads back.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"

namespace kaappi {

struct SqlValue {
  enum class Type : std::uint8_t { null, integer, real, text, blob };
  Type type = Type::null;
  std::int64_t integer = 0;
  Bytes bytes;  // text or blob

  static SqlValue null() { return {}; }
  static SqlValue of(std::int64_t v) { return {Type::integer, v, {}}; }
  static SqlValue of_text(std::string_view v) { return {Type::text, 0, Bytes(v.begin(), v.end())}; }
  static SqlValue of_blob(ByteView v) { return {Type::blob, 0, Bytes(v.begin(), v.end())}; }
  bool operator==(const SqlValue&) const = default;
};

}  // namespace kaappi
