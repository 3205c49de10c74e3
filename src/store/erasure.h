// erasure.h — format 2's erasure mechanism (docs/FORMAT.md, "Erasure"): one
// signed transaction sets sealed values NULL and adds one erasures row that
// lists each value with the hash its row's signed hash used, so the signed
// history stays checkable without the values. The index then checkpoints its
// WAL (TRUNCATE); with secure_delete on, the erased bytes are then in neither
// the database file nor its WAL. Which values make up one person or one
// document is the rights layer's to say; this is the mechanism.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/sha256.h"
#include "store/index_rows.h"
#include "store/row_hash.h"
#include "store/sealed_reason.h"

struct sqlite3;

namespace kaappi {

class Session;
class Index;
class ValueSealer;

// One erased value: its table's and column's codes (the table's code, the
// column's position in its table after no seq; docs/FORMAT.md), its row's id
// and the hash of the value (row_hash.h sealed_value_hash).
struct ErasedValue {
  std::uint8_t table = 0;
  std::int64_t row_id = 0;
  std::uint8_t column = 0;
  Sha256Digest hash{};
};
constexpr std::size_t k_erased_record_size = 1 + 8 + 1 + 32;

Bytes encode_erased(const std::vector<ErasedValue>& values);
// Throws ErrorKind::corrupt when the bytes are not whole records.
std::vector<ErasedValue> decode_erased(ByteView bytes);

// A value to erase: table and column by name, the row by id.
struct ErasureTarget {
  std::string table;
  std::int64_t row_id = 0;
  std::string column;
};

// Who erased and why, sealed under the field key in the erasures row.
using ErasureReason = SealedReason;
Bytes seal_erasure_reason(const ValueSealer& sealer, const ErasureRow& row, const ErasureReason& reason);
// Throws ErrorKind::corrupt when the sealed value does not open.
ErasureReason open_erasure_reason(const ValueSealer& sealer, const ErasureRow& row);

// Erases `targets` in one write of `session` (the session's actor and
// `reason` recorded), then checkpoints the WAL. Throws ErrorKind::rejected,
// nothing changed, for a target that is not an erasable column of an
// existing row or is already erased, or a value named twice; after the
// commit, ErrorKind::partial when the WAL could not be emptied.
ErasureRow erase_values(Session& session, const std::vector<ErasureTarget>& targets, const std::string& reason);

// The same in steps, for a caller that adds rows of its own to the
// erasure's transaction (rights/erasure.h): the erasures row to pass to
// Index::Writer::erase (uid, time, who and why sealed, with `subject`), and
// after the commit the WAL emptied (ErrorKind::partial when it cannot be).
ErasureRow new_erasure_row(Session& session, const std::string& reason, const std::string& subject);
void empty_wal_after_erasure(Session& session);

// When the value of `column` of row `row_id` of `table` was erased: the
// erasure row that names it (nullopt: none does).
std::optional<ErasureRow> erasure_of(const Index& index, std::string_view table, std::int64_t row_id,
                                     std::string_view column);

// The erased values of an index by table code and row id (verify): each
// row's erased columns with their hashes.
class ErasedValues {
 public:
  void add(const ErasedValue& v) { m_rows[{v.table, v.row_id}].push_back(v); }
  // Those of one row (nullptr: none).
  const std::vector<ErasedValue>* of_row(std::uint8_t table, std::int64_t row_id) const {
    auto found = m_rows.find({table, row_id});
    return found == m_rows.end() ? nullptr : &found->second;
  }
  // The hashes to hash a row of `columns` values with (row_hash.h): those
  // the erasures list for its erased columns, by position.
  std::vector<ErasedHash> hashes(std::uint8_t table, std::int64_t row_id, std::size_t columns) const;
  bool empty() const { return m_rows.empty(); }
  const std::map<std::pair<std::uint8_t, std::int64_t>, std::vector<ErasedValue>>& rows() const { return m_rows; }

 private:
  std::map<std::pair<std::uint8_t, std::int64_t>, std::vector<ErasedValue>> m_rows;
};

// Every erasure row's list of the index `db` (hash_rows). Throws
// ErrorKind::corrupt for a list that is not whole records.
ErasedValues read_erased_values(sqlite3* db);

}  // namespace kaappi
