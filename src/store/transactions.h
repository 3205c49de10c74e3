// transactions.h — the transactions table of the index (docs/FORMAT.md, "Row
// hashes and transaction signatures"): one row per write transaction, whose
// Ed25519 signature covers the chain of every transaction before it and the
// hashes of the rows it added. How a transaction row is made, signed,
// checked, stored and read, and the hash of the rows a range of sequence
// numbers holds, are here and nowhere else.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/sha256.h"
#include "keys/secret_keys.h"
#include "store/erasure.h"
#include "store/index_rows.h"

struct sqlite3;

namespace kaappi {

// Its CREATE TABLE statement.
const char* transactions_ddl();

// Transaction `tx`: sets its rows hash, digest (chained to `previous`, 32
// zero bytes for the first) and signature.
void sign_transaction(TransactionRow& t, const Bytes& archive_id, const Bytes& previous,
                      const Sha256Digest& rows, const SecretKeys& keys);
// The digest its fields and `previous` give (what its signature must cover).
Bytes transaction_digest_of(const TransactionRow& t, const Bytes& archive_id, const Bytes& previous);
bool transaction_signature_ok(const TransactionRow& t, const Bytes& sign_pk);

// Whether `head` (the last transaction) is signed with `sign_pk` and its
// digest follows from its fields and the transaction before it: what a writer
// and the history check trust before building on it (verify checks all).
bool head_is_sound(sqlite3* db, const TransactionRow& head, const Bytes& archive_id, const Bytes& sign_pk);

// The highest sequence number a transaction may reach; above it the index
// was altered (and adding to it would overflow).
constexpr std::int64_t k_max_seq = std::int64_t{1} << 53;

void insert_transaction(sqlite3* db, const TransactionRow& t);
// The last transaction (the archive's head), if any.
std::optional<TransactionRow> last_transaction(sqlite3* db);
// Transaction `tx`, if there is one.
std::optional<TransactionRow> transaction(sqlite3* db, std::int64_t tx);
// The transactions with tx >= `from`, in order, streamed.
void each_transaction(sqlite3* db, std::int64_t from, const std::function<void(const TransactionRow&)>& visit);
// Those with tx in [from, to].
void each_transaction(sqlite3* db, std::int64_t from, std::int64_t to,
                      const std::function<void(const TransactionRow&)>& visit);
// The transaction that added the row with sequence number `seq` (0: none).
std::int64_t transaction_of_seq(sqlite3* db, std::int64_t seq);

// The hashes of the signed rows with seq in [first, last], from every table,
// as stored, in seq order: 32 bytes a row (hash_rows hashes this list). The
// same throws as hash_rows.
Bytes row_hash_list(sqlite3* db, const Bytes& archive_id, std::int64_t first, std::int64_t last,
                    const ErasedValues& erased);
// H(row hashes in seq order) of the signed rows with seq in [first, last],
// from every table, as stored (an erased value by the hash `erased` lists:
// read_erased_values of the same index). Throws ErrorKind::corrupt when a
// row cannot be hashed or the range does not hold exactly one row per seq.
Sha256Digest hash_rows(sqlite3* db, const Bytes& archive_id, std::int64_t first, std::int64_t last,
                       const ErasedValues& erased);

}  // namespace kaappi
