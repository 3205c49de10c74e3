// transaction_check.cpp — see transaction_check.h.
#include "verify/transaction_check.h"

#include <algorithm>
#include <limits>
#include <map>
#include <thread>

#include "store/transactions.h"

namespace kaappi {
namespace {

class TransactionCheck {
 public:
  TransactionCheck(VerifyContext& c, const SignedRows& rows) : m_c(c), m_rows(rows) {}

  // Every transaction: its rows (exactly the sequence numbers after the one
  // before, each once), the hash of their hashes, its digest chained to the
  // one before, and its signature (on both cores). The head is the last.
  void check_transactions(const std::vector<RowRef>& refs) {
    std::vector<TransactionRow> txs;
    m_c.index.each_transaction(std::numeric_limits<std::int64_t>::min(),
                             [&](const TransactionRow& t) { txs.push_back(t); });
    if (txs.empty()) {
      m_c.add({}, "signed head altered", "the index has no signed transaction");
      return;
    }
    std::vector<char> sig_ok(txs.size(), 0);
    {
      auto verify_part = [&](size_t part) {
        for (size_t i = part; i < txs.size(); i += 2) sig_ok[i] = transaction_signature_ok(txs[i], m_c.key.sign_pk);
      };
      std::thread second(verify_part, 1);
      verify_part(0);
      second.join();
    }
    const Bytes& a = m_c.key.archive_id;
    Bytes previous(32, 0);
    std::int64_t first_seq = 1;
    size_t next_ref = 0;
    for (size_t i = 0; i < txs.size(); ++i) {
      const TransactionRow& t = txs[i];
      const bool is_head = i + 1 == txs.size();
      const std::string change = "change " + std::to_string(t.tx);
      if (t.tx != static_cast<std::int64_t>(i) + 1)
        m_c.add({}, "signed transaction deleted",
            "the transactions are not numbered 1, 2, 3, …: " + change + " follows change " + std::to_string(i));
      if (!sig_ok[i])
        m_c.add({}, is_head ? "signed head altered" : "signed transaction altered", change + " does not match its signature");
      if (t.last_seq > k_max_seq) {
        m_c.add({}, "signed transaction altered", change + " names row " + std::to_string(t.last_seq) +
                                                  ", beyond any kaappi writes; the changes from it on are not checked");
        return;
      }
      if (t.last_seq < first_seq)
        m_c.add({}, "signed transaction altered", change + " adds no rows");
      // Its rows.
      RowsHash rows;
      bool complete = true;
      std::vector<const RowRef*> held;
      std::int64_t expected = first_seq;
      for (; next_ref < refs.size() && refs[next_ref].seq <= t.last_seq; ++next_ref) {
        const RowRef& r = refs[next_ref];
        if (r.seq < expected) {
          m_c.add({}, "index row duplicated", m_rows.describe(r) + " reuses sequence number " + std::to_string(r.seq));
          complete = false;
          continue;
        }
        if (expected < r.seq) {
          report_missing(expected, r.seq - 1, change);
          complete = false;
        }
        expected = r.seq + 1;
        complete = complete && r.hashed;
        if (r.hashed) rows.add(r.hash);
        held.push_back(&r);
      }
      if (expected <= t.last_seq) {
        report_missing(expected, t.last_seq, change);
        complete = false;
      }
      if (complete) {
        Sha256Digest hash = rows.finish();
        if (Bytes(hash.begin(), hash.end()) != t.rows) report_altered_rows(t, held);
      }
      if (transaction_digest_of(t, a, previous) != t.digest)
        m_c.add({}, "index does not match its signed head",
            change + " does not follow from the change before it: changes were replaced by other signed changes");
      previous = t.digest;
      first_seq = std::max(first_seq, t.last_seq + 1);
    }
    for (; next_ref < refs.size(); ++next_ref)
      m_c.add({}, "index row not covered by the signed head",
          m_rows.describe(refs[next_ref]) + " (seq " + std::to_string(refs[next_ref].seq) + ") was added outside kaappi");
  }

  // Rows first..last missing from a change: one problem, however many.
  void report_missing(std::int64_t first, std::int64_t last, const std::string& change) {
    if (first == last)
      m_c.add({}, "index row deleted", "the row with sequence number " + std::to_string(first) + " (" + change +
                                       ") is missing");
    else
      m_c.add({}, "index row deleted", "the rows with sequence numbers " + std::to_string(first) + " to " +
                                       std::to_string(last) + " (" + change + ") are missing");
  }

  // The rows of a transaction whose hash is not the signed one: which of
  // them was altered the signature cannot tell. A change of a few rows (one
  // command's) names each table's problem with its rows (each document
  // separately); a larger one (a bulk load, an upgrade's first change) is one
  // problem naming what it holds, so that no innocent document is named.
  void report_altered_rows(const TransactionRow& t, const std::vector<const RowRef*>& held) {
    const std::string change = "change " + std::to_string(t.tx);
    std::map<std::uint8_t, std::vector<const RowRef*>> by_table;
    for (const RowRef* r : held) by_table[r->table].push_back(r);
    auto listed = [&](const std::vector<const RowRef*>& rows) {
      std::string out;
      for (size_t k = 0; k < rows.size() && k < 5; ++k) out += (k ? ", " : "") + m_rows.describe(*rows[k]);
      if (rows.size() > 5) out += " and " + std::to_string(rows.size() - 5) + " more";
      return out;
    };
    if (held.size() > 5) {
      std::string tables;
      for (const auto& [table, rows] : by_table) tables += (tables.empty() ? "" : "; ") + listed(rows);
      m_c.add({}, "index rows altered", change + " does not match its signature: one of its " +
                                        std::to_string(held.size()) + " rows was altered (" + tables + ")");
      return;
    }
    for (const auto& [table, rows] : by_table) {
      const std::string detail = change + " does not match its signature: one of its rows was altered (" +
                                 listed(rows) + ")";
      bool named = false;
      for (const RowRef* r : rows)
        if (r->document != 0) {
          m_c.add(r->document, m_rows.altered[table], detail);
          named = true;
        }
      if (!named) m_c.add({}, m_rows.altered[table], detail);
    }
  }


  VerifyContext& m_c;
  const SignedRows& m_rows;
};

}  // namespace

void check_transactions(VerifyContext& c, const SignedRows& rows) { TransactionCheck(c, rows).check_transactions(rows.refs); }

}  // namespace kaappi
