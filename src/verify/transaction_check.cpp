// transaction_check.cpp — see transaction_check.h.
#include "verify/transaction_check.h"

#include <algorithm>
#include <limits>
#include <map>
#include <thread>

#include "store/transactions.h"

namespace kaappi {
namespace {

// Transactions are read and their signatures checked this many at a time:
// what is held stays small however many changes the archive has.
constexpr size_t k_batch = 4096;
// A missing change's rows are told apart from the next change's by trying
// each place they could end, up to this many rows.
constexpr size_t k_most_rows_searched = 4096;

std::string change_name(std::int64_t tx) { return "change " + std::to_string(tx); }

std::string seq_range(std::int64_t first, std::int64_t last) {
  return first == last ? "sequence number " + std::to_string(first)
                       : "sequence numbers " + std::to_string(first) + " to " + std::to_string(last);
}

class TransactionCheck {
 public:
  TransactionCheck(VerifyContext& c, const SignedRows& rows) : m_c(c), m_rows(rows), m_cursor(rows) {}

  void run() {
    std::int64_t head_tx = 0;
    try {
      head_tx = m_c.index.head().tx;
    } catch (const Error&) {
      m_c.add({}, "signed head altered", "the index has no signed transaction");
      return;
    }
    std::vector<TransactionRow> batch;
    batch.reserve(k_batch);
    m_c.index.each_transaction(std::numeric_limits<std::int64_t>::min(), [&](const TransactionRow& t) {
      batch.push_back(t);
      if (batch.size() == k_batch) check_batch(batch, head_tx);
    });
    check_batch(batch, head_tx);
    if (m_stopped) return;
    RowEntry e;
    while (m_cursor.next(std::numeric_limits<std::int64_t>::max(), e))
      m_c.add({}, "index row not covered by the signed head",
              m_rows.describe(m_c.index, e) + " (seq " + std::to_string(e.seq) + ") was added outside kaappi");
  }

 private:
  // The batch's signatures on both cores, then each transaction in order.
  void check_batch(std::vector<TransactionRow>& batch, std::int64_t head_tx) {
    std::vector<char> sig_ok(batch.size(), 0);
    auto verify_part = [&](size_t part) {
      for (size_t i = part; i < batch.size(); i += 2) sig_ok[i] = transaction_signature_ok(batch[i], m_c.key.sign_pk);
    };
    std::thread second(verify_part, 1);
    verify_part(0);
    second.join();
    for (size_t i = 0; i < batch.size() && !m_stopped; ++i) check(batch[i], sig_ok[i] != 0, batch[i].tx == head_tx);
    batch.clear();
  }

  // One transaction: its number, signature, rows and digest.
  void check(const TransactionRow& t, bool signature_ok, bool is_head) {
    const std::string change = change_name(t.tx);
    bool gap = false;  // changes before this one are missing: its rows' start and digest cannot be checked as usual
    if (t.tx > m_next_tx) {
      gap = true;
    } else if (t.tx < m_next_tx) {
      m_c.add({}, "signed transaction deleted",
              "the transactions are not numbered 1, 2, 3, …: " + change + " follows change " +
                  std::to_string(m_next_tx - 1));
    }
    if (!signature_ok)
      m_c.add({}, is_head ? "signed head altered" : "signed transaction altered", change + " does not match its signature");
    if (t.last_seq > k_max_seq) {
      m_c.add({}, "signed transaction altered", change + " names row " + std::to_string(t.last_seq) +
                                                    ", beyond any kaappi writes; the changes from it on are not checked");
      m_stopped = true;
      return;
    }
    if (t.last_seq < m_first_seq) m_c.add({}, "signed transaction altered", change + " adds no rows");
    if (gap) {
      check_after_gap(t);
    } else {
      check_rows(t);
      if (transaction_digest_of(t, m_c.key.archive_id, m_previous) != t.digest)
        m_c.add({}, "index does not match its signed head",
                change + " does not follow from the change before it: changes were replaced by other signed changes");
    }
    m_next_tx = t.tx + 1;
    m_previous = t.digest;
    m_first_seq = std::max(m_first_seq, t.last_seq + 1);
  }

  // Its rows: exactly the sequence numbers after the change before, each
  // once, whose hashes hash to the signed one.
  void check_rows(const TransactionRow& t) {
    const SignedRows::Cursor start = m_cursor;
    RowsHash hash;
    bool complete = true;
    std::int64_t expected = m_first_seq;
    RowEntry e;
    while (m_cursor.next(t.last_seq, e)) {
      if (e.seq < expected) {
        duplicated(e);
        complete = false;
        continue;
      }
      if (expected < e.seq) {
        report_missing(expected, e.seq - 1, t.tx);
        complete = false;
      }
      expected = e.seq + 1;
      complete = complete && e.hashed;
      if (e.hashed) hash.add(*e.hash);
    }
    if (expected <= t.last_seq) {
      report_missing(expected, t.last_seq, t.tx);
      complete = false;
    }
    if (complete) {
      const Sha256Digest h = hash.finish();
      if (Bytes(h.begin(), h.end()) != t.rows) report_altered_rows(t, start);
    }
  }

  void duplicated(const RowEntry& e) {
    m_c.add({}, "index row duplicated",
            m_rows.describe(m_c.index, e) + " reuses sequence number " + std::to_string(e.seq));
  }

  // The change(s) before `t` are missing (their transaction rows deleted,
  // with or without their rows). The rows since the last change present
  // are the missing changes' and then t's: t's are found as the rows at the
  // end whose hashes hash to its signed one. Its digest cannot be checked
  // (the one before is gone); its signature was, and the chain goes on
  // from it.
  void check_after_gap(const TransactionRow& t) {
    std::string missing = t.tx - m_next_tx == 1 ? change_name(m_next_tx) + " is missing"
                                                : "changes " + std::to_string(m_next_tx) + " to " +
                                                      std::to_string(t.tx - 1) + " are missing";
    missing += m_next_tx > 1 ? " between " + change_name(m_next_tx - 1) + " and " + change_name(t.tx)
                             : " before " + change_name(t.tx);
    const bool one = t.tx - m_next_tx == 1;
    // The rows in the range, each once; where the last run without a gap starts.
    std::vector<RowEntry> range;
    bool too_many = false;
    size_t run_start = 0;
    std::int64_t expected = m_first_seq;
    RowEntry e;
    while (m_cursor.next(t.last_seq, e)) {
      if (e.seq < expected) {
        duplicated(e);
        continue;
      }
      if (expected < e.seq) run_start = range.size();
      expected = e.seq + 1;
      if (range.size() < k_batch * 64)
        range.push_back(e);
      else
        too_many = true;
    }
    std::optional<size_t> found;
    if (!too_many && expected > t.last_seq) {
      const size_t last_try = range.size() - run_start > k_most_rows_searched ? run_start + 1 : range.size();
      for (size_t j = run_start; j < last_try && !found; ++j) {
        RowsHash hash;
        bool hashed = true;
        for (size_t k = j; k < range.size() && hashed; ++k) {
          hashed = range[k].hashed;
          if (hashed) hash.add(*range[k].hash);
        }
        const Sha256Digest h = hash.finish();
        if (hashed && Bytes(h.begin(), h.end()) == t.rows) found = j;
      }
    }
    if (!found) {
      m_c.add({}, "signed transaction deleted",
              missing + "; its rows cannot be told apart from " + change_name(t.tx) + "'s, so the rows with " +
                  seq_range(m_first_seq, std::max(m_first_seq, t.last_seq)) + " are not checked");
      return;
    }
    const std::int64_t first = m_first_seq;
    const std::int64_t last = range[*found].seq - 1;
    if (last < first) {
      m_c.add({}, "signed transaction deleted", missing);
      return;
    }
    const auto present = static_cast<std::int64_t>(*found);
    const std::string its = one ? "its" : "their";
    const std::string rows = (first == last ? " row (" : " rows (") + seq_range(first, last) + ")";
    std::string detail = missing;
    if (present == 0)
      detail += ", with " + its + rows;
    else if (present == last - first + 1)
      detail += "; " + its + rows + (first == last ? " is" : " are") +
                " still in the index, no longer covered by a signature";
    else
      detail += ", with some of " + its + rows + ": " + std::to_string(present) +
                " of them are still in the index, no longer covered by a signature";
    m_c.add({}, "signed transaction deleted", detail);
  }

  // Rows first..last missing from a change: one problem, however many.
  void report_missing(std::int64_t first, std::int64_t last, std::int64_t tx) {
    const std::string change = change_name(tx);
    if (first == last)
      m_c.add({}, "index row deleted", "the row with sequence number " + std::to_string(first) + " (" + change +
                                           ") is missing");
    else
      m_c.add({}, "index row deleted", "the rows with sequence numbers " + std::to_string(first) + " to " +
                                           std::to_string(last) + " (" + change + ") are missing");
  }

  // The rows of a transaction whose hash is not the signed one (read again
  // from `start`): which of them was altered the signature cannot tell. A
  // change of a few rows (one command's) names each table's problem with
  // its rows (each document separately); a larger one (a bulk load, an
  // upgrade's first change) is one problem naming what it holds, so that no
  // innocent document is named.
  void report_altered_rows(const TransactionRow& t, SignedRows::Cursor cursor) {
    const std::string change = change_name(t.tx);
    struct TableRows {
      std::vector<RowRef> first;  // up to 5, to name
      size_t count = 0;
    };
    std::map<std::uint8_t, TableRows> by_table;
    size_t total = 0;
    std::int64_t expected = m_first_seq;
    RowEntry e;
    while (cursor.next(t.last_seq, e)) {
      if (e.seq < expected) continue;  // a duplicate: said already
      expected = e.seq + 1;
      TableRows& rows = by_table[e.table];
      if (rows.first.size() < 5) rows.first.push_back(m_rows.ref(m_c.index, e));
      ++rows.count;
      ++total;
    }
    auto listed = [&](const TableRows& rows) {
      std::string out;
      for (size_t k = 0; k < rows.first.size(); ++k) out += (k ? ", " : "") + m_rows.describe(rows.first[k]);
      if (rows.count > 5) out += " and " + std::to_string(rows.count - 5) + " more";
      return out;
    };
    if (total > 5) {
      std::string tables;
      for (const auto& [table, rows] : by_table) tables += (tables.empty() ? "" : "; ") + listed(rows);
      m_c.add({}, "index rows altered", change + " does not match its signature: one of its " + std::to_string(total) +
                                            " rows was altered (" + tables + ")");
      return;
    }
    for (const auto& [table, rows] : by_table) {
      const std::string detail =
          change + " does not match its signature: one of its rows was altered (" + listed(rows) + ")";
      bool named = false;
      for (const RowRef& r : rows.first)
        if (r.document != 0) {
          m_c.add(r.document, m_rows.altered(table), detail);
          named = true;
        }
      if (!named) m_c.add({}, m_rows.altered(table), detail);
    }
  }

  VerifyContext& m_c;
  const SignedRows& m_rows;
  SignedRows::Cursor m_cursor;    // the next row not yet in a change
  Bytes m_previous = Bytes(32, 0);  // the digest of the change before
  std::int64_t m_first_seq = 1;     // the first row of the next change
  std::int64_t m_next_tx = 1;       // the next change's number
  bool m_stopped = false;           // a change named a row beyond any kaappi writes
};

}  // namespace

void check_transactions(VerifyContext& c, const SignedRows& rows) { TransactionCheck(c, rows).run(); }

}  // namespace kaappi
