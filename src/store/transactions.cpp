// transactions.cpp — see transactions.h.
#include "store/transactions.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include "base/error.h"
#include "store/erasure.h"
#include "store/row_hash.h"
#include "store/signed_tables.h"
#include "store/statement.h"

namespace kaappi {
namespace {

Sha256Digest digest_array(const Bytes& b) {
  Sha256Digest out{};
  if (b.size() == out.size()) std::copy(b.begin(), b.end(), out.begin());
  return out;
}

constexpr const char* k_columns = "tx, last_seq, at, rows, digest, sig";

TransactionRow read_transaction(Statement& s) {
  TransactionRow t;
  t.tx = s.i64();
  t.last_seq = s.i64();
  t.at = s.i64();
  t.rows = s.blob();
  t.digest = s.blob();
  t.sig = s.blob();
  return t;
}

}  // namespace

const char* transactions_ddl() {
  return "CREATE TABLE transactions(tx INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL UNIQUE, at INTEGER NOT NULL, "
         "rows BLOB NOT NULL, digest BLOB NOT NULL, sig BLOB NOT NULL) STRICT";
}

Bytes transaction_digest_of(const TransactionRow& t, const Bytes& archive_id, const Bytes& previous) {
  const Sha256Digest prev = digest_array(previous);
  const Sha256Digest rows = digest_array(t.rows);
  Sha256Digest d = transaction_digest({archive_id, t.tx, t.last_seq, t.at, prev, rows});
  return Bytes(d.begin(), d.end());
}

void sign_transaction(TransactionRow& t, const Bytes& archive_id, const Bytes& previous, const Sha256Digest& rows,
                      const SecretKeys& keys) {
  t.rows.assign(rows.begin(), rows.end());
  t.digest = transaction_digest_of(t, archive_id, previous);
  t.sig = keys.sign(t.digest);
  if (t.sig.size() != crypto_sign_BYTES) fail(ErrorKind::internal, "a signature of the wrong size");
}

bool transaction_signature_ok(const TransactionRow& t, const Bytes& sign_pk) {
  return t.sig.size() == crypto_sign_BYTES && sign_pk.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(t.sig.data(), t.digest.data(), t.digest.size(), sign_pk.data()) == 0;
}

bool head_is_sound(sqlite3* db, const TransactionRow& head, const Bytes& archive_id, const Bytes& sign_pk) {
  if (head.tx < 1 || head.last_seq < 1 || head.last_seq > k_max_seq || !transaction_signature_ok(head, sign_pk))
    return false;
  Bytes previous(32, 0);
  if (head.tx > 1) {
    std::optional<TransactionRow> before = transaction(db, head.tx - 1);
    if (!before || before->last_seq >= head.last_seq) return false;
    previous = before->digest;
  }
  return transaction_digest_of(head, archive_id, previous) == head.digest;
}

void insert_transaction(sqlite3* db, const TransactionRow& t) {
  Statement(db, std::string("INSERT INTO transactions(") + k_columns + ") VALUES (?, ?, ?, ?, ?, ?)")
      .bind(t.tx).bind(t.last_seq).bind(t.at).bind(t.rows).bind(t.digest).bind(t.sig).run();
}

std::optional<TransactionRow> last_transaction(sqlite3* db) {
  Statement s(db, std::string("SELECT ") + k_columns + " FROM transactions ORDER BY tx DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  return read_transaction(s);
}

std::optional<TransactionRow> transaction(sqlite3* db, std::int64_t tx) {
  Statement s(db, std::string("SELECT ") + k_columns + " FROM transactions WHERE tx = ?");
  s.bind(tx);
  if (!s.step()) return std::nullopt;
  return read_transaction(s);
}

void each_transaction(sqlite3* db, std::int64_t from, const std::function<void(const TransactionRow&)>& visit) {
  Statement s(db, std::string("SELECT ") + k_columns + " FROM transactions WHERE tx >= ? ORDER BY tx");
  s.bind(from);
  while (s.step()) visit(read_transaction(s));
}

void each_transaction(sqlite3* db, std::int64_t from, std::int64_t to,
                      const std::function<void(const TransactionRow&)>& visit) {
  Statement s(db, std::string("SELECT ") + k_columns + " FROM transactions WHERE tx BETWEEN ? AND ? ORDER BY tx");
  s.bind(from).bind(to);
  while (s.step()) visit(read_transaction(s));
}

std::int64_t transaction_of_seq(sqlite3* db, std::int64_t seq) {
  Statement s(db, "SELECT coalesce(min(tx), 0) FROM transactions WHERE last_seq >= ?");
  s.bind(seq);
  s.step();
  return s.i64();
}

Bytes row_hash_list(sqlite3* db, const Bytes& archive_id, std::int64_t first, std::int64_t last,
                    const ErasedValues& erased) {
  if (first < 1 || last < first || last > k_max_seq)
    fail(ErrorKind::corrupt, "a transaction names rows " + std::to_string(first) + " to " + std::to_string(last) +
                                 ", which no writer adds");
  std::vector<std::pair<std::int64_t, Sha256Digest>> hashes;
  for_each_signed_table([&](const auto& table) {
    Statement s(db, table.select(" WHERE seq BETWEEN ? AND ?"));
    s.bind(first).bind(last);
    const size_t n = table.columns().size();
    std::vector<SqlValue> values(n);
    while (s.step()) {
      for (auto& v : values) v = s.value();
      // Every table's first column is its id.
      hashes.emplace_back(values.back().integer,
                          table.row_hash(values, archive_id, erased.hashes(table.code(), values.front().integer, n - 1)));
    }
  });
  std::sort(hashes.begin(), hashes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (static_cast<std::int64_t>(hashes.size()) != last - first + 1)
    fail(ErrorKind::corrupt, "the rows " + std::to_string(first) + " to " + std::to_string(last) +
                                 " are not one row per sequence number");
  Bytes out;
  out.reserve(hashes.size() * k_sha256_size);
  std::int64_t expected = first;
  for (const auto& [seq, hash] : hashes) {
    if (seq != expected++)
      fail(ErrorKind::corrupt, "the rows " + std::to_string(first) + " to " + std::to_string(last) +
                                   " are not one row per sequence number");
    out.insert(out.end(), hash.begin(), hash.end());
  }
  return out;
}

Sha256Digest hash_rows(sqlite3* db, const Bytes& archive_id, std::int64_t first, std::int64_t last,
                       const ErasedValues& erased) {
  return sha256(row_hash_list(db, archive_id, first, last, erased));
}

}  // namespace kaappi
