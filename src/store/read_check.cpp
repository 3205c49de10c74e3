// read_check.cpp — see read_check.h.
#include "store/read_check.h"

#include <algorithm>
#include <string>

#include "base/error.h"
#include "store/row_hash_lists.h"
#include "store/statement.h"
#include "store/transactions.h"

namespace kaappi {
namespace {

[[noreturn]] void altered(const std::string& what) {
  fail(ErrorKind::corrupt, "the archive index was altered outside kaappi: " + what +
                               "; nothing was changed; run kaappi verify");
}

std::string row_name(const char* table, std::int64_t id) { return std::string(table) + " row " + std::to_string(id); }

}  // namespace

ReadCheck::ReadCheck(sqlite3* db, const Bytes& archive_id, const Bytes& sign_pk)
    : m_db(db), m_archive_id(archive_id), m_sign_pk(sign_pk) {}

void ReadCheck::check_hash(const char* table, std::int64_t id, std::int64_t seq, const Sha256Digest& hash) {
  const Checked& t = transaction_holding(table, id, seq);
  const auto at = t.hashes.begin() + static_cast<std::ptrdiff_t>((seq - t.first) * k_sha256_size);
  if (!std::equal(hash.begin(), hash.end(), at))
    altered(row_name(table, id) + " is not what change " + std::to_string(t.tx) + " signed");
}

const ReadCheck::Checked& ReadCheck::transaction_holding(const char* table, std::int64_t id, std::int64_t seq) {
  auto found = m_checked.lower_bound(seq);
  if (found != m_checked.end() && found->second.first <= seq) return found->second;

  const std::int64_t tx = seq < 1 ? 0 : transaction_of_seq(m_db, seq);
  if (tx == 0) altered(row_name(table, id) + " belongs to no signed change");
  check_chain(std::max<std::int64_t>(1, tx - 1), tx);
  const std::optional<TransactionRow> t = transaction(m_db, tx);
  std::int64_t first = 1;
  if (tx > 1) first = transaction(m_db, tx - 1)->last_seq + 1;  // both in the chain just checked
  if (!t || seq < first || t->last_seq < first) altered(row_name(table, id) + " belongs to no signed change");

  const auto rows = static_cast<std::size_t>(t->last_seq - first + 1);
  const Bytes signed_rows = t->rows;
  auto holds = [&](const Bytes& list) {
    if (list.size() != rows * k_sha256_size) return false;
    const Sha256Digest h = sha256(list);
    return std::equal(h.begin(), h.end(), signed_rows.begin(), signed_rows.end());
  };
  std::optional<Bytes> list = row_hash_list_of(m_db, tx);
  if (!list || !holds(*list)) {
    // The kept list is missing or altered: the rows themselves decide.
    list = row_hash_list(m_db, m_archive_id, first, t->last_seq, erasures());
    if (!holds(*list)) altered("the rows of change " + std::to_string(tx) + " are not what it signed");
  }
  Checked& out = m_checked[t->last_seq];
  out.tx = tx;
  out.first = first;
  out.hashes = std::move(*list);
  return out;
}

// Makes sure the digests of transactions [from, to] are part of the chain
// that the head's signature covers: each digest recomputed from its fields
// and the digest before it, from `from` up to a digest already vouched for
// (the head's, by its signature, or the lowest one checked before).
void ReadCheck::check_chain(std::int64_t from, std::int64_t to) {
  if (m_chain_to != 0 && from >= m_chain_from && to <= m_chain_to) return;
  const std::optional<TransactionRow> head = last_transaction(m_db);
  if (!head || !transaction_signature_ok(*head, m_sign_pk)) altered("the head's signature does not hold");
  if (to > head->tx) altered("change " + std::to_string(to) + " is beyond the head");

  // Walks [lo, hi], each digest following from its fields and the one before.
  auto walk = [&](std::int64_t lo, std::int64_t hi) {
    Bytes previous(32, 0);
    std::int64_t previous_last = 0;
    if (lo > 1) {
      const std::optional<TransactionRow> before = transaction(m_db, lo - 1);
      if (!before) altered("change " + std::to_string(lo - 1) + " is missing");
      previous = before->digest;
      previous_last = before->last_seq;
    }
    std::int64_t expected = lo;
    each_transaction(m_db, lo, hi, [&](const TransactionRow& t) {
      if (t.tx != expected || t.last_seq <= previous_last || t.last_seq > k_max_seq ||
          transaction_digest_of(t, m_archive_id, previous) != t.digest)
        altered("change " + std::to_string(expected) + " does not follow from the one before it");
      previous = t.digest;
      previous_last = t.last_seq;
      ++expected;
    });
    if (expected != hi + 1) altered("change " + std::to_string(expected) + " is missing");
  };
  if (m_chain_to == 0 || m_chain_to > head->tx) {
    walk(from, head->tx);
    m_chain_from = from;
  } else {
    if (from < m_chain_from) walk(from, m_chain_from - 1);
    if (head->tx > m_chain_to) walk(m_chain_to + 1, head->tx);
    m_chain_from = std::min(from, m_chain_from);
  }
  m_chain_to = head->tx;
}

const ErasedValues& ReadCheck::erasures() {
  if (!m_erasures) {
    ErasedValues out;
    const auto& table = table_of<ErasureRow>();
    Statement s(m_db, table.select(" ORDER BY id"));
    ErasureRow row;
    while (s.step()) {
      table.read(s, row);
      check(row);
      for (const ErasedValue& v : decode_erased(row.erased)) out.add(v);
    }
    m_erasures = std::move(out);
  }
  return *m_erasures;
}

}  // namespace kaappi
