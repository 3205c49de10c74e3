// signed_table.h — how one signed table is described once (its columns, how
// each is stored, read, bound and hashed) and what is built from that
// description: the CREATE TABLE statement, column lists, the INSERT, reading
// and binding a row, the row's hash (docs/FORMAT.md, "Row hashes and
// transaction signatures") and, for kaappi upgrade's check of a format-1
// archive, the format-1 signing bytes. The tables themselves are in
// signed_tables.h.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "store/format1.h"
#include "store/index_rows.h"
#include "store/row_hash.h"
#include "store/statement.h"

namespace kaappi {

// How a column is stored: what SqlValue a row's field becomes. The row hash
// encodes what is stored (row_hash.h); format 1 signed these encodings as
// 'i' ‖ u64, 's' ‖ u32 length ‖ bytes, 'b' ‖ u32 length ‖ bytes.
enum class Encoding : std::uint8_t {
  integer,     // INTEGER
  text,        // TEXT
  blob,        // BLOB
  id_or_null,  // INTEGER, NULL where the row holds 0 (no such link); format 1 signed NULL as 0
};

// Whether format 1 signed a column. `first` is the sequence number, which
// came ahead of the signed columns; `absent`: a column format 1 did not have
// (format 2 added it). Format 2 hashes every column.
enum class Signed : std::uint8_t { no, first, yes, absent };

template <typename Row>
struct Column {
  const char* name;
  const char* sql;  // its type and constraints in the CREATE TABLE
  Encoding encoding;
  Signed sign;
  std::int64_t Row::*integer = nullptr;  // integer, id_or_null
  std::string Row::*text = nullptr;
  Bytes Row::*blob = nullptr;
  ColumnRole role = ColumnRole::plain;  // sealed: a sealed value or keyed tag, hashed by its hash
  bool erasable = false;  // sealed and may be NULL where a signed erasure row names it
};

template <typename Row>
Column<Row> int_column(const char* name, const char* sql, std::int64_t Row::*member, Signed sign = Signed::yes) {
  return {name, sql, Encoding::integer, sign, member, nullptr, nullptr};
}
template <typename Row>
Column<Row> id_or_null_column(const char* name, const char* sql, std::int64_t Row::*member, Signed sign = Signed::yes) {
  return {name, sql, Encoding::id_or_null, sign, member, nullptr, nullptr};
}
template <typename Row>
Column<Row> text_column(const char* name, const char* sql, std::string Row::*member) {
  return {name, sql, Encoding::text, Signed::yes, nullptr, member, nullptr};
}
template <typename Row>
Column<Row> blob_column(const char* name, const char* sql, Bytes Row::*member, Signed sign = Signed::yes) {
  return {name, sql, Encoding::blob, sign, nullptr, nullptr, member};
}
// A blob holding a sealed value or a keyed tag (docs/FORMAT.md lists which).
template <typename Row>
Column<Row> sealed_column(const char* name, const char* sql, Bytes Row::*member, Signed sign = Signed::yes) {
  return {name, sql, Encoding::blob, sign, nullptr, nullptr, member, ColumnRole::sealed};
}

// A sealed column that an erasure may set NULL (its SQL allows NULL): the
// values that belong to one person or one document (docs/FORMAT.md, "Erasure").
template <typename Row>
Column<Row> erasable_column(const char* name, const char* sql, Bytes Row::*member, Signed sign = Signed::yes) {
  return {name, sql, Encoding::blob, sign, nullptr, nullptr, member, ColumnRole::sealed, true};
}

// Which format added a table: format 1's tables are checked and read by
// kaappi upgrade and keyless verify of a format-1 archive.
enum class Since : std::uint8_t { format1, format2 };

// How verify names a row and reports one whose signature fails. Patterns name
// integer columns in braces: "customer {customer_id} version {version}".
struct RowNames {
  const char* label;             // a row in chain messages (at most two columns)
  const char* altered;           // the problem when its hash is not the signed one
  const char* signature_detail;  // the detail then
  const char* document_column;   // the column naming the problem's document, or nullptr
};

// Fills the "{column}" places of `pattern` with value(column).
template <typename Value>
std::string fill_pattern(std::string_view pattern, Value&& value) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) {
      out.append(pattern.substr(i));
      break;
    }
    size_t close = pattern.find('}', open);
    out.append(pattern.substr(i, open - i));
    out += std::to_string(value(pattern.substr(open + 1, close - open - 1)));
    i = close + 1;
  }
  return out;
}

template <typename Row>
class SignedTable {
 public:
  using RowType = Row;
  // `columns` in table order, without seq: every signed table ends with it.
  // `code` is the table's code in row hashes (docs/FORMAT.md's table order).
  // `constraints` follow the columns in the CREATE TABLE.
  SignedTable(const char* name, std::uint8_t code, std::vector<Column<Row>> columns, const char* constraints,
              RowNames names, Since since = Since::format1)
      : m_name(name), m_code(code), m_columns(std::move(columns)), m_constraints(constraints), m_names(names),
        m_since(since) {
    for (const auto& c : m_columns) {
      m_roles.push_back(c.role);
      m_column_names.push_back(c.name);
    }
    m_columns.push_back(int_column<Row>("seq", "INTEGER NOT NULL UNIQUE", &Row::seq, Signed::first));
    fill_pattern(names.label, [&](std::string_view column) {
      if (m_label_count == m_label_columns.size()) fail(ErrorKind::internal, "a row label names too many columns");
      m_label_columns[m_label_count++] = integer_column(column).integer;
      return 0;
    });
  }

  const char* name() const { return m_name; }
  std::uint8_t code() const { return m_code; }
  const RowNames& names() const { return m_names; }
  const std::vector<Column<Row>>& columns() const { return m_columns; }
  // Whether format 1 had this table.
  bool in_format1() const { return m_since == Since::format1; }

  std::string ddl() const {
    std::string out = std::string("CREATE TABLE ") + m_name + "(";
    for (size_t i = 0; i < m_columns.size(); ++i)
      out += (i ? ", " : "") + std::string(m_columns[i].name) + " " + m_columns[i].sql;
    if (*m_constraints) out += std::string(", ") + m_constraints;
    return out + ") STRICT";
  }

  // "id, uid, ..." in table order, each column prefixed with `prefix`
  // (format1: only the columns format 1 had).
  std::string column_list(std::string_view prefix = {}, bool format1 = false) const {
    std::string out;
    for (const auto& c : m_columns)
      if (!format1 || c.sign != Signed::absent) (out += out.empty() ? "" : ", ").append(prefix).append(c.name);
    return out;
  }

  // "SELECT <columns> FROM <table><rest>".
  std::string select(std::string_view rest) const {
    return "SELECT " + column_list() + " FROM " + m_name + std::string(rest);
  }

  std::string insert_sql() const {
    std::string marks;
    for (size_t i = 0; i < m_columns.size(); ++i) marks += i ? ", ?" : "?";
    return std::string("INSERT INTO ") + m_name + "(" + column_list() + ") VALUES (" + marks + ")";
  }

  // Reads the columns, in table order, from the statement's current row
  // (format1: the columns of column_list(prefix, true)).
  void read(Statement& s, Row& row, bool format1 = false) const {
    for (const auto& c : m_columns) {
      if (format1 && c.sign == Signed::absent) continue;
      switch (c.encoding) {
        case Encoding::integer:
        case Encoding::id_or_null: row.*c.integer = s.i64(); break;  // NULL reads as 0
        case Encoding::text: s.text_into(row.*c.text); break;
        case Encoding::blob: s.blob_into(row.*c.blob); break;
      }
    }
  }

  // What the row stores, column by column in table order: the one
  // description of how each encoding is stored (id_or_null: NULL for 0).
  std::vector<SqlValue> values(const Row& row) const {
    std::vector<SqlValue> out;
    out.reserve(m_columns.size());
    for (const auto& c : m_columns) {
      switch (c.encoding) {
        case Encoding::integer: out.push_back(SqlValue::of(row.*c.integer)); break;
        case Encoding::id_or_null:
          out.push_back(row.*c.integer == 0 ? SqlValue::null() : SqlValue::of(row.*c.integer));
          break;
        case Encoding::text: out.push_back(SqlValue::of_text(row.*c.text)); break;
        case Encoding::blob: out.push_back(SqlValue::of_blob(row.*c.blob)); break;
      }
    }
    return out;
  }

  void bind(Statement& s, const Row& row) const {
    for (const SqlValue& v : values(row)) s.bind(v);
  }

  // The row a values() list (or one read back) stands for: a NULL reads as
  // 0 or empty, and a value of another storage class as the field's type
  // (its hash, not this row, tells them apart).
  void from_values(std::span<const SqlValue> values, Row& row) const {
    for (size_t i = 0; i < m_columns.size() && i < values.size(); ++i) {
      const auto& c = m_columns[i];
      const SqlValue& v = values[i];
      switch (c.encoding) {
        case Encoding::integer:
        case Encoding::id_or_null: row.*c.integer = v.type == SqlValue::Type::integer || v.type == SqlValue::Type::real ? v.integer : 0; break;
        case Encoding::text: (row.*c.text).assign(v.bytes.begin(), v.bytes.end()); break;
        case Encoding::blob: row.*c.blob = v.bytes; break;
      }
    }
  }

  // The row's hash from what it stores (values(), or the values read back,
  // seq last), a sealed column by its value's hash. Throws
  // ErrorKind::corrupt for what no writer stores (row_hash.h), or a seq that
  // is not an integer.
  Sha256Digest row_hash(std::span<const SqlValue> values, const Bytes& archive_id,
                        const std::vector<ErasedHash>& erased = {}) const {
    if (values.size() != m_columns.size()) fail(ErrorKind::internal, std::string("a row of ") + m_name + " has the wrong number of columns");
    const SqlValue& seq = values.back();
    if (seq.type != SqlValue::Type::integer) fail(ErrorKind::corrupt, "its sequence number is not an integer");
    return kaappi::row_hash({archive_id, m_code, seq.integer, values.first(values.size() - 1), m_roles, m_column_names},
                           erased);
  }

  // Format 1 (kaappi upgrade's check): "kaappi-row-v1" ‖ archive id ‖ table
  // name ‖ seq ‖ the signed columns in table order.
  Bytes format1_signing_bytes(const Row& row, const Bytes& archive_id) const {
    Format1Canonical out(m_name, archive_id);
    for (Signed pass : {Signed::first, Signed::yes})
      for (const auto& c : m_columns) {
        if (c.sign != pass) continue;
        switch (c.encoding) {
          case Encoding::integer: out.add(row.*c.integer); break;
          case Encoding::id_or_null: out.add(row.*c.integer); break;  // a NULL is signed as the integer 0
          case Encoding::text: out.add(std::string_view(row.*c.text)); break;
          case Encoding::blob: out.add(ByteView(row.*c.blob)); break;
        }
      }
    return out.bytes();
  }

  // The values of the label's columns (see RowNames), and the label made of them.
  std::array<std::int64_t, 2> label_values(const Row& row) const {
    std::array<std::int64_t, 2> out{};
    for (size_t i = 0; i < m_label_count; ++i) out[i] = row.*m_label_columns[i];
    return out;
  }
  std::string label(const std::array<std::int64_t, 2>& values) const {
    size_t next = 0;
    return fill_pattern(m_names.label, [&](std::string_view) { return values[next++]; });
  }
  // A pattern filled from the row.
  std::string describe(const Row& row, std::string_view pattern) const {
    return fill_pattern(pattern, [&](std::string_view column) { return row.*(integer_column(column).integer); });
  }
  std::int64_t value(const Row& row, std::string_view column) const { return row.*(integer_column(column).integer); }

 private:
  const Column<Row>& integer_column(std::string_view name) const {
    for (const auto& c : m_columns)
      if (name == c.name && c.integer) return c;
    fail(ErrorKind::internal, std::string("no integer column ") + std::string(name) + " in " + m_name);
  }

  const char* m_name;
  std::uint8_t m_code;
  std::vector<Column<Row>> m_columns;
  std::vector<ColumnRole> m_roles;           // of the columns before seq
  std::vector<const char*> m_column_names;  // the same columns' names (row_hash's messages)
  const char* m_constraints;
  RowNames m_names;
  Since m_since;
  std::array<std::int64_t Row::*, 2> m_label_columns{};
  size_t m_label_count = 0;
};

}  // namespace kaappi
