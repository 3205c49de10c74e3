// read_check.h — checked reads (docs/FORMAT.md, "Rows a command decides
// on"): a command that writes checks each signed row it reads to decide
// against the transaction that added it, so that a row altered outside
// kaappi (a station's key, a revocation, a customer's number tag, a
// document's customer) makes it refuse instead of signing a change built on
// it. A row is accepted when its hash, from what was read, is the one its
// transaction's row hash list (row_hash_lists.h) holds, that list hashes to
// the transaction's `rows`, and that transaction's digest is part of the
// chain the head's signature covers. Lists and the chain are checked once
// per command and transaction. A transaction whose stored list is missing or
// does not hold is checked by rehashing its rows instead.
//
// A row deleted outside kaappi is not seen here (there is nothing to read);
// verify finds the gap it leaves.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "base/bytes.h"
#include "base/sha256.h"
#include "store/erasure.h"
#include "store/signed_tables.h"

struct sqlite3;

namespace kaappi {

class ReadCheck {
 public:
  // `sign_pk`: the key the head must be signed with.
  ReadCheck(sqlite3* db, const Bytes& archive_id, const Bytes& sign_pk);

  // Throws ErrorKind::corrupt (nothing changed, run kaappi verify) when the
  // row, as read, is not what its transaction signed. Rows with seq above
  // `own_from` (>0) are the open write's own and are not checked.
  template <typename Row>
  void check(const Row& row, std::int64_t own_from = 0) {
    if (own_from > 0 && row.seq >= own_from) return;
    const auto& table = table_of<Row>();
    std::vector<SqlValue> values = table.values(row);
    const auto& columns = table.columns();
    // An erasable value read empty is NULL where an erasure names it.
    std::vector<ErasedHash> erased;
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i].erasable && values[i].type == SqlValue::Type::blob && values[i].bytes.empty()) {
        if (erased.empty()) erased = erasures().hashes(table.code(), row.id, columns.size() - 1);
        if (i < erased.size() && erased[i]) values[i] = SqlValue::null();
      }
    const Sha256Digest hash = table.row_hash(values, m_archive_id, erased);
    check_hash(table.name(), row.id, row.seq, hash);
  }

  // After this command erased values: the erasures are read again.
  void forget_erasures() { m_erasures.reset(); }

 private:
  struct Checked {
    std::int64_t tx = 0, first = 0;
    Bytes hashes;  // 32 bytes a row, first..last
  };
  void check_hash(const char* table, std::int64_t id, std::int64_t seq, const Sha256Digest& hash);
  const Checked& transaction_holding(const char* table, std::int64_t id, std::int64_t seq);
  void check_chain(std::int64_t from, std::int64_t to);
  const ErasedValues& erasures();

  sqlite3* m_db;
  Bytes m_archive_id, m_sign_pk;
  std::map<std::int64_t, Checked> m_checked;  // by last seq
  std::int64_t m_chain_from = 0, m_chain_to = 0;  // transactions whose digests are in the signed chain (0: none)
  std::optional<ErasedValues> m_erasures;
};

}  // namespace kaappi
