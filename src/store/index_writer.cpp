// index_writer.cpp — see index.h: the Writer, which inserts rows with the
// next ids and sequence numbers, hashes them, and signs and commits them as
// one transaction.
#include <sqlite3.h>

#include "base/error.h"
#include "base/fault.h"
#include "store/index.h"
#include "store/row_hash_lists.h"
#include "store/statement.h"

namespace kaappi {

void Index::check_writable() const {
  if (!m_schema_problems.empty())
    fail(ErrorKind::corrupt, "the archive index was altered outside kaappi; nothing was changed; run kaappi verify");
  refuse_write_unless_head_holds(head());
}

Index::Writer::Writer(Index& index, const SecretKeys& keys, std::int64_t at)
    : m_index(index), m_keys(keys), m_at(at) {
  if (!index.m_schema_problems.empty()) index.check_writable();  // refused before a transaction is opened
  index.exec("BEGIN IMMEDIATE");
  index.m_erased.reset();  // what this write erases is read again after it
  try {
    m_head = index.head();
    m_last_seq = m_head.last_seq;
    index.refuse_write_unless_head_holds(m_head);  // inside the transaction: the head it builds on
    index.m_own_from = m_last_seq + 1;
  } catch (...) {
    index.exec("ROLLBACK");
    throw;
  }
}

void Index::refuse_write_unless_head_holds(const TransactionRow& head) const {
  // Never build on a head that does not hold: rows beyond it or missing from
  // its end, a head whose digest or signature does not follow, or a number
  // that would overflow.
  if (!head_is_sound(head, archive().sign_pk) || last_signed_seq() != head.last_seq)
    fail(ErrorKind::corrupt, "the archive index does not match its signed head (altered outside kaappi); nothing "
                             "was changed; run kaappi verify");
}

Index::Writer::~Writer() {
  m_index.m_own_from = 0;
  m_inserts.clear();  // finalized before the rollback
  if (!m_done) sqlite3_exec(m_index.m_db, "ROLLBACK", nullptr, nullptr, nullptr);
  m_index.m_erased.reset();
}

// Read once per table and transaction; later ones count on from it.
std::int64_t Index::Writer::next_id(const char* table) {
  auto found = m_next_ids.find(table);
  if (found != m_next_ids.end()) return found->second;
  Statement s(m_index.m_db, std::string("SELECT coalesce(max(id), 0) + 1 FROM ") + table);
  s.step();
  return m_next_ids[table] = s.i64();
}

// Gives the row the next id and sequence number, hashes it into the
// transaction and inserts it.
template <typename Row>
void Index::Writer::insert(Row& row) {
  const auto& table = table_of<Row>();
  if (m_only_log_rows && std::string_view(table.name()) != "reads" && std::string_view(table.name()) != "access_log")
    fail(ErrorKind::internal, std::string("a command that only logs its reads wrote a row of ") + table.name());
  row.id = next_id(table.name());
  row.seq = ++m_last_seq;
  const std::vector<SqlValue> values = table.values(row);
  const Sha256Digest hash = table.row_hash(values, m_index.m_archive_id);
  m_rows.add(hash);
  m_hashes.insert(m_hashes.end(), hash.begin(), hash.end());
  auto& insert = m_inserts[table.name()];
  if (!insert) insert = std::make_unique<Statement>(m_index.m_db, table.insert_sql());
  insert->reset();
  for (const SqlValue& v : values) insert->bind(v);
  insert->run();
  m_next_ids[table.name()] = row.id + 1;
}

void Index::Writer::commit() {
  if (m_rows.count() > 0) {
    TransactionRow t;
    t.tx = m_head.tx + 1;
    t.last_seq = m_last_seq;
    t.at = m_at;
    sign_transaction(t, m_index.m_archive_id, m_head.digest, m_rows.finish(), m_keys);
    insert_transaction(m_index.m_db, t);
    insert_row_hash_list(m_index.m_db, t.tx, m_hashes);
  }
  m_inserts.clear();
  fault::point("index.commit");
  m_index.exec("COMMIT");
  m_done = true;
  m_index.m_own_from = 0;
  fault::point("index.committed");
}

void Index::Writer::insert_customer(CustomerRow& c) { insert(c); }
void Index::Writer::insert_customer_key(CustomerKeyRow& k) { insert(k); }
void Index::Writer::insert_customer_version(CustomerVersionRow& v) { insert(v); }
void Index::Writer::insert_document(DocumentRow& d) { insert(d); }
void Index::Writer::insert_consent_event(ConsentEventRow& e) { insert(e); }
void Index::Writer::insert_station(StationRow& r) { insert(r); }
void Index::Writer::insert_station_revocation(StationRevocationRow& r) { insert(r); }
void Index::Writer::insert_assignment(AssignmentRow& r) { insert(r); }
void Index::Writer::insert_kind_change(DocumentKindRow& r) { insert(r); }
void Index::Writer::insert_access(AccessRow& r) { insert(r); }
void Index::Writer::insert_restore(RestoreRow& r) { insert(r); }
void Index::Writer::insert_request(RequestRow& r) { insert(r); }
void Index::Writer::insert_request_event(RequestEventRow& r) { insert(r); }
void Index::Writer::insert_hold_rule(HoldRuleRow& r) { insert(r); }
void Index::Writer::insert_hold(HoldRow& r) { insert(r); }
void Index::Writer::insert_restriction(RestrictionRow& r) { insert(r); }
void Index::Writer::insert_form_instance(FormInstanceRow& r) { insert(r); }
void Index::Writer::insert_read(ReadRow& r) { insert(r); }

void Index::Writer::erase(const std::vector<ErasureTarget>& targets, ErasureRow& row) {
  if (m_only_log_rows) fail(ErrorKind::internal, "a command that only logs its reads erased values");
  std::vector<ErasedValue> erased;
  for (const ErasureTarget& target : targets) {
    const std::string name = target.table + "." + target.column + " of row " + std::to_string(target.row_id);
    bool found = false;
    for_each_signed_table([&](const auto& table) {
      if (found || target.table != table.name()) return;
      const auto& columns = table.columns();
      for (std::size_t c = 0; c + 1 < columns.size(); ++c) {  // seq, last, is never erased
        if (target.column != columns[c].name) continue;
        if (!columns[c].erasable) fail(ErrorKind::rejected, "cannot erase " + name + ": not an erasable value");
        Statement read(m_index.m_db, std::string("SELECT ") + columns[c].name + " FROM " + table.name() + " WHERE id = ?");
        read.bind(target.row_id);
        if (!read.step()) fail(ErrorKind::rejected, "cannot erase " + name + ": there is no such row");
        const SqlValue value = read.value();
        if (value.type == SqlValue::Type::null) fail(ErrorKind::rejected, "cannot erase " + name + ": already erased");
        ErasedValue v;
        v.table = table.code();
        v.row_id = target.row_id;
        v.column = static_cast<std::uint8_t>(c);
        v.hash = sealed_value_hash(value);
        for (const ErasedValue& e : erased)
          if (e.table == v.table && e.row_id == v.row_id && e.column == v.column)
            fail(ErrorKind::rejected, "cannot erase " + name + " twice");
        erased.push_back(v);
        found = true;
        return;
      }
      fail(ErrorKind::rejected, "cannot erase " + name + ": the table has no such column");
    });
    if (!found) fail(ErrorKind::rejected, "cannot erase " + name + ": there is no such table");
  }
  if (erased.empty()) fail(ErrorKind::rejected, "nothing to erase");
  for (const ErasureTarget& target : targets) {
    Statement update(m_index.m_db, "UPDATE " + target.table + " SET " + target.column + " = NULL WHERE id = ?");
    update.bind(target.row_id);
    update.run();
  }
  row.erased = encode_erased(erased);
  insert(row);
  if (m_index.m_read_check) m_index.m_read_check->forget_erasures();
}

}  // namespace kaappi
