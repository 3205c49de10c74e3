// index_queries.cpp — see index.h: reading the index. Signed rows are read
// with the columns of their table's description (signed_tables.h).
#include <limits>

#include "base/error.h"
#include "store/index.h"
#include "store/statement.h"
#include "store/transactions.h"

namespace kaappi {
namespace {

// The rows `rest` (a WHERE and ORDER clause) selects, with its parameters bound.
template <typename Row, typename... Params>
std::vector<Row> read_rows(sqlite3* db, std::string_view rest, const Params&... params) {
  const auto& table = table_of<Row>();
  Statement s(db, table.select(rest));
  (s.bind(params), ...);
  std::vector<Row> out;
  while (s.step()) table.read(s, out.emplace_back());
  return out;
}

template <typename Row, typename... Params>
std::optional<Row> read_one(sqlite3* db, std::string_view rest, const Params&... params) {
  auto rows = read_rows<Row>(db, std::string(rest) + " LIMIT 1", params...);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// All rows, or those whose `column` equals `value`, in id order.
template <typename Row>
std::vector<Row> read_where(sqlite3* db, const char* column, std::optional<std::int64_t> value) {
  if (!value) return read_rows<Row>(db, " ORDER BY id");
  return read_rows<Row>(db, std::string(" WHERE ") + column + " = ? ORDER BY id", *value);
}

// Documents with the customer a later assignment gave them (if any).
std::string document_select() {
  return "SELECT " + table_of<DocumentRow>().column_list("d.") +
         ", coalesce(a.customer_id, 0) FROM documents d LEFT JOIN document_assignments a ON a.document_id = d.id";
}
// A stored 0 is read as the signature reads it: no customer (verify reports it).
constexpr const char* k_document_owner = "coalesce(nullif(d.customer_id, 0), a.customer_id, 0)";

template <typename... Params>
std::vector<DocumentRow> read_documents(sqlite3* db, const std::string& rest, const Params&... params) {
  Statement s(db, document_select() + rest);
  (s.bind(params), ...);
  std::vector<DocumentRow> out;
  while (s.step()) {
    DocumentRow& row = out.emplace_back();
    table_of<DocumentRow>().read(s, row);
    row.assigned_to = s.i64();
  }
  return out;
}

std::optional<DocumentRow> first_of(std::vector<DocumentRow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// The latest version of every customer with an id in [?, ?].
constexpr const char* k_latest_versions =
    " FROM customer_versions v WHERE v.customer_id BETWEEN ? AND ? AND v.version = (SELECT max(version) FROM "
    "customer_versions w WHERE w.customer_id = v.customer_id) ORDER BY v.customer_id";

}  // namespace

std::pair<std::int64_t, std::int64_t> Index::id_range(const char* table) const {
  Statement s(m_db, std::string("SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM ") + table);
  s.step();
  std::int64_t first = s.i64();
  return {first, s.i64()};
}

ArchiveRow Index::archive() const {
  auto row = read_one<ArchiveRow>(m_db, " WHERE id = 1");
  if (!row) fail(ErrorKind::corrupt, "the archive index has no archive row");
  return std::move(*row);
}

TransactionRow Index::head() const {
  auto last = last_transaction(m_db);
  if (!last) fail(ErrorKind::corrupt, "the archive index has no signed transaction");
  return std::move(*last);
}

std::optional<TransactionRow> Index::transaction(std::int64_t tx) const { return kaappi::transaction(m_db, tx); }

void Index::each_transaction(std::int64_t from, const std::function<void(const TransactionRow&)>& visit) const {
  kaappi::each_transaction(m_db, from, visit);
}

std::int64_t Index::transaction_of_seq(std::int64_t seq) const { return kaappi::transaction_of_seq(m_db, seq); }

Sha256Digest Index::hash_rows(std::int64_t first, std::int64_t last) const {
  return kaappi::hash_rows(m_db, m_archive_id, first, last);
}

std::optional<CustomerRow> Index::customer_by_tag(const Bytes& tag) const {
  return read_one<CustomerRow>(m_db, " WHERE number_tag = ?", tag);
}

std::optional<CustomerRow> Index::customer(std::int64_t id) const {
  return read_one<CustomerRow>(m_db, " WHERE id = ?", id);
}

std::vector<CustomerRow> Index::customers() const { return read_rows<CustomerRow>(m_db, " ORDER BY id"); }

std::optional<CustomerVersionRow> Index::latest_customer_version(std::int64_t customer_id) const {
  return read_one<CustomerVersionRow>(m_db, " WHERE customer_id = ? ORDER BY version DESC", customer_id);
}

std::vector<CustomerVersionRow> Index::customer_versions(std::optional<std::int64_t> customer_id) const {
  return read_where<CustomerVersionRow>(m_db, "customer_id", customer_id);
}

void Index::each_latest_customer_version(const std::function<void(const CustomerVersionRow&)>& visit,
                                         std::int64_t first_customer, std::int64_t last_customer) const {
  const auto& table = table_of<CustomerVersionRow>();
  Statement s(m_db, "SELECT " + table.column_list("v.") + k_latest_versions);
  s.bind(first_customer).bind(last_customer);
  CustomerVersionRow row;
  while (s.step()) {
    table.read(s, row);
    visit(row);
  }
}

void Index::each_customer_search(const std::function<void(const SearchRow&)>& visit) const {
  Statement s(m_db, std::string("SELECT v.customer_id, v.uid, v.search") + k_latest_versions);
  s.bind(std::numeric_limits<std::int64_t>::min()).bind(std::numeric_limits<std::int64_t>::max());
  SearchRow row;
  while (s.step()) {
    row.customer_id = s.i64();
    s.blob_into(row.uid);
    s.blob_into(row.search);
    visit(row);
  }
}

std::optional<DocumentRow> Index::document(std::int64_t id) const {
  return first_of(read_documents(m_db, " WHERE d.id = ?", id));
}

std::optional<DocumentRow> Index::document_by_uid(const Bytes& uid) const {
  return first_of(read_documents(m_db, " WHERE d.uid = ?", uid));
}

std::optional<DocumentRow> Index::document_by_content(std::int64_t customer_id, const Bytes& tag) const {
  return first_of(read_documents(
      m_db, std::string(" WHERE d.content_tag = ? AND ") + k_document_owner + " = ? ORDER BY d.id LIMIT 1", tag,
      customer_id));
}

std::vector<DocumentRow> Index::documents(std::optional<std::int64_t> customer_id) const {
  if (!customer_id) return read_documents(m_db, " ORDER BY d.id");
  return read_documents(m_db, std::string(" WHERE ") + k_document_owner + " = ? ORDER BY d.id", *customer_id);
}

std::vector<AssignmentRow> Index::assignments() const { return read_rows<AssignmentRow>(m_db, " ORDER BY id"); }

std::vector<ConsentEventRow> Index::consent_events(std::optional<std::int64_t> customer_id) const {
  return read_where<ConsentEventRow>(m_db, "customer_id", customer_id);
}

void Index::each_consent_payload(
    const std::function<void(std::int64_t id, std::int64_t customer_id, const Bytes& uid, const Bytes& event)>& visit,
    std::int64_t first_id, std::int64_t last_id) const {
  Statement s(m_db, "SELECT id, customer_id, uid, event FROM consent_events WHERE id BETWEEN ? AND ? ORDER BY id");
  s.bind(first_id).bind(last_id);
  Bytes uid, event;
  while (s.step()) {
    std::int64_t id = s.i64();
    std::int64_t customer_id = s.i64();
    s.blob_into(uid);
    s.blob_into(event);
    visit(id, customer_id, uid, event);
  }
}

std::vector<std::string> Index::head_and_archive_faults() const {
  std::vector<std::string> out;
  Statement rows(m_db, "SELECT count(*), count(*) FILTER (WHERE id = 1) FROM archive");
  rows.step();
  std::int64_t count = rows.i64();
  if (count != 1 || rows.i64() != 1)
    out.push_back("the archive table holds " + std::to_string(count) + " rows; kaappi writes exactly one, with id 1");
  Statement s(m_db,
              "SELECT tx, typeof(tx), typeof(last_seq), typeof(at), typeof(rows), typeof(digest), typeof(sig) "
              "FROM transactions WHERE NOT (typeof(tx) = 'integer' AND typeof(last_seq) = 'integer' AND "
              "typeof(at) = 'integer' AND typeof(rows) = 'blob' AND typeof(digest) = 'blob' AND "
              "typeof(sig) = 'blob') ORDER BY tx");
  const std::pair<const char*, const char*> columns[] = {{"tx", "integer"},   {"last_seq", "integer"},
                                                         {"at", "integer"},   {"rows", "blob"},
                                                         {"digest", "blob"},  {"sig", "blob"}};
  while (s.step()) {
    std::int64_t tx = s.i64();
    for (const auto& [column, expected] : columns) {
      std::string stored_as = s.text();
      if (stored_as != expected)
        out.push_back("transaction " + std::to_string(tx) + "'s " + column + " is stored as " + stored_as +
                      ", where kaappi stores " + expected);
    }
  }
  return out;
}

std::vector<AccessRow> Index::access_rows() const { return read_rows<AccessRow>(m_db, " ORDER BY id"); }

std::vector<StationRow> Index::stations() const { return read_rows<StationRow>(m_db, " ORDER BY id"); }

std::vector<StationRevocationRow> Index::station_revocations() const {
  return read_rows<StationRevocationRow>(m_db, " ORDER BY id");
}

}  // namespace kaappi
