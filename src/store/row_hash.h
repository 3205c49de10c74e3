// row_hash.h — what format 2 signs (docs/FORMAT.md, "Row hashes and
// transaction signatures"): the hash of a row over its columns as stored,
// each encoded by its storage class so that no two different stored rows
// hash alike (a NULL never like 0 or an empty value, an integer never like
// text), a sealed value entering only by its hash (so it can later be erased
// while the signed history stays checkable), and the transaction digest that
// one Ed25519 signature covers: the chain of every transaction before it and
// the hashes of the rows it added.
//
// The writer hashes the values it binds and the verifier the values it reads
// back with their storage class, both through this one encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/sha256.h"
#include "store/sql_value.h"

namespace kaappi {

// Whether a column is signed as stored (plain) or by its hash (sealed: a
// sealed value or a keyed tag, which an erasure may later set NULL).
enum class ColumnRole : std::uint8_t { plain, sealed };

// The hash a sealed column's value enters its row's hash by: H(type byte ‖
// bytes), 0x03 for a blob, 0x02 for text. What an erasure row records.
Sha256Digest sealed_value_hash(const SqlValue& value);

// The row's hash. `erased(column)` gives the hash an erasure row lists for a
// sealed column that is NULL. Throws ErrorKind::corrupt, naming the column
// (by its name in `names`, else by its position), for what no writer stores: a real number anywhere, a NULL in
// a sealed column no erasure names, or a sealed value that is neither text
// nor a blob.
struct RowHashInput {
  const Bytes& archive_id;
  std::uint8_t table_code;
  std::int64_t seq;
  std::span<const SqlValue> values;
  std::span<const ColumnRole> roles;  // one per value
  std::span<const char* const> names = {};  // the columns' names, for messages (empty: by position)
};
using ErasedHash = std::optional<Sha256Digest>;
Sha256Digest row_hash(const RowHashInput& row, const std::vector<ErasedHash>& erased = {});

// digest_t = H("kaappi-tx-v2" ‖ archive id ‖ u64 t ‖ u64 last_seq ‖ i64 at ‖
// digest_{t-1} ‖ H(row hashes in seq order)).
struct TransactionDigestInput {
  const Bytes& archive_id;
  std::int64_t tx;
  std::int64_t last_seq;
  std::int64_t at;
  const Sha256Digest& previous;  // all zero for the first transaction
  const Sha256Digest& rows;      // rows_hash() of the rows it added
};
Sha256Digest transaction_digest(const TransactionDigestInput& tx);

// H(h_first ‖ … ‖ h_last), fed one row hash at a time.
class RowsHash {
 public:
  void add(const Sha256Digest& row) { m_hash.add(ByteView(row.data(), row.size())); ++m_count; }
  std::int64_t count() const { return m_count; }
  Sha256Digest finish() { m_count = 0; return m_hash.finish(); }

 private:
  Sha256 m_hash;
  std::int64_t m_count = 0;
};

}  // namespace kaappi
