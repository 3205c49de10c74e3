// index_writer.cpp — see index.h: the Writer, which signs rows, chains them
// into the head and commits them in one transaction.
#include <sodium.h>
#include <sqlite3.h>

#include "base/error.h"
#include "base/fault.h"
#include "store/index.h"
#include "store/statement.h"

namespace kaappi {
namespace {

void sign_detached(Bytes& sig, const Bytes& msg, const SecretBuffer& sign_sk) {
  sig.resize(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sign_sk.data());
}

}  // namespace

Index::Writer::Writer(Index& index, const SecretBuffer& sign_sk) : m_index(index), m_sign_sk(sign_sk) {
  if (!index.m_schema_problems.empty())
    fail(ErrorKind::corrupt, "the archive index was altered outside kaappi; nothing was changed; run kaappi verify");
  index.exec("BEGIN IMMEDIATE");
  try {
    m_head = index.head();
  } catch (...) {
    index.exec("ROLLBACK");
    throw;
  }
}

Index::Writer::~Writer() {
  if (!m_done) sqlite3_exec(m_index.m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::int64_t Index::Writer::next_id(const char* table) {
  Statement s(m_index.m_db, std::string("SELECT coalesce(max(id), 0) + 1 FROM ") + table);
  s.step();
  return s.i64();
}

// Gives the row the next id and sequence number, signs it, chains it into
// the head and inserts it.
template <typename Row>
void Index::Writer::insert(Row& row) {
  const auto& table = table_of<Row>();
  row.id = next_id(table.name());
  row.seq = ++m_head.seq;
  sign_detached(row.sig, table.signing_bytes(row, m_index.m_archive_id), m_sign_sk);
  m_head.digest = chain_digest(m_head.digest, row.seq, row.sig);
  Statement s(m_index.m_db, table.insert_sql());
  table.bind(s, row);
  s.run();
}

void Index::Writer::commit() {
  sign_detached(m_head.sig, head_message(m_index.m_archive_id, m_head.seq, m_head.digest), m_sign_sk);
  Statement(m_index.m_db, "UPDATE head SET seq = ?, digest = ?, sig = ? WHERE id = 1")
      .bind(m_head.seq).bind(m_head.digest).bind(m_head.sig).run();
  fault::point("index.commit");
  m_index.exec("COMMIT");
  m_done = true;
  fault::point("index.committed");
}

void Index::Writer::insert_customer(CustomerRow& c, CustomerVersionRow& v) {
  insert(c);
  v.customer_id = c.id;
  insert(v);
}

void Index::Writer::insert_customer_version(CustomerVersionRow& v) { insert(v); }
void Index::Writer::insert_document(DocumentRow& d) { insert(d); }
void Index::Writer::insert_consent_event(ConsentEventRow& e) { insert(e); }
void Index::Writer::insert_station(StationRow& r) { insert(r); }
void Index::Writer::insert_station_revocation(StationRevocationRow& r) { insert(r); }
void Index::Writer::insert_assignment(AssignmentRow& r) { insert(r); }
void Index::Writer::insert_access(AccessRow& r) { insert(r); }
void Index::Writer::insert_restore(RestoreRow& r) { insert(r); }

}  // namespace kaappi
