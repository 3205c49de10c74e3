// index_queries.cpp — see index.h: reading the index. Signed rows are read
// with the columns of their table's description (signed_tables.h).
#include <algorithm>
#include <limits>

#include <sqlite3.h>

#include "base/error.h"
#include "store/index.h"
#include "store/row_hash_lists.h"
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

// " WHERE id IN (SELECT id FROM <table> WHERE <condition>)": rows found
// through an index on `condition`'s column but read from the table itself
// (SQLite would otherwise give an indexed column's value from the index), so
// that a row an altered index leads to is seen for what it is.
template <typename Row>
std::string through_index(const std::string& condition) {
  return std::string(" WHERE id IN (SELECT id FROM ") + table_of<Row>().name() + " WHERE " + condition + ")";
}

// All rows, or those whose `column` equals `value`, in id order.
template <typename Row>
std::vector<Row> read_where(sqlite3* db, const char* column, std::optional<std::int64_t> value) {
  if (!value) return read_rows<Row>(db, " ORDER BY id");
  return read_rows<Row>(db, through_index<Row>(std::string(column) + " = ?") + " ORDER BY id", *value);
}

// Documents with the customer their latest assignment gave them (if any)
// and the kind their latest kind change gave them (if any).
std::string document_select() {
  return "SELECT " + table_of<DocumentRow>().column_list("d.") +
         ", coalesce(a.customer_id, 0), a.content_tag, k.kind FROM documents d LEFT JOIN document_assignments a ON "
         "a.id = (SELECT max(id) FROM document_assignments WHERE document_id = d.id) LEFT JOIN document_kinds k ON "
         "k.id = (SELECT max(id) FROM document_kinds WHERE document_id = d.id)";
}
// The one rule of DocumentRow::owner: the latest assignment's customer, else
// its own. A stored 0 is read as the signature reads it: no customer (verify
// reports it).
constexpr const char* k_document_owner = "coalesce(a.customer_id, nullif(d.customer_id, 0), 0)";

template <typename... Params>
std::vector<DocumentRow> read_documents(sqlite3* db, const std::string& rest, const Params&... params) {
  Statement s(db, document_select() + rest);
  (s.bind(params), ...);
  std::vector<DocumentRow> out;
  while (s.step()) {
    DocumentRow& row = out.emplace_back();
    table_of<DocumentRow>().read(s, row);
    row.assigned_to = s.i64();
    if (row.assigned_to != 0) row.assigned_tag = s.blob();
    else s.blob();
    row.changed_kind = s.text();
  }
  return out;
}

std::optional<DocumentRow> first_of(std::vector<DocumentRow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// A row an SQLite index led to that does not match what was looked up: the
// index was altered outside kaappi (verify's integrity check names it).
[[noreturn]] void index_damaged() {
  fail(ErrorKind::corrupt, "the archive index is damaged: an SQLite index does not match its table (altered "
                           "outside kaappi); nothing was changed; run kaappi verify");
}

// Every row of `rows` has `column` = `value` (each was found through an index on it).
template <typename Row>
std::vector<Row> all_matching(std::vector<Row> rows, const char* column, std::optional<std::int64_t> value) {
  if (value)
    for (const Row& row : rows)
      if (table_of<Row>().value(row, column) != *value) index_damaged();
  return rows;
}

// The latest version of every customer with an id in [?, ?].
constexpr const char* k_latest_versions =
    " FROM customer_versions v WHERE v.customer_id BETWEEN ? AND ? AND v.version = (SELECT max(version) FROM "
    "customer_versions w WHERE w.customer_id = v.customer_id) ORDER BY v.customer_id";
constexpr const char* k_latest_versions_with_created_at =
    " FROM customer_versions v JOIN customers c ON c.id = v.customer_id WHERE v.customer_id BETWEEN ? AND ? AND "
    "v.version = (SELECT max(version) FROM customer_versions w WHERE w.customer_id = v.customer_id) ORDER BY "
    "v.customer_id";

}  // namespace

std::pair<std::int64_t, std::int64_t> Index::id_range(const char* table) const {
  // One subquery each: SQLite reads min() or max() off the primary key only
  // when it is the query's one aggregate (both in one query scan the table).
  const std::string t = table;
  Statement s(m_db, "SELECT coalesce((SELECT min(id) FROM " + t + "), 1), coalesce((SELECT max(id) FROM " + t + "), 0)");
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

bool Index::head_is_sound(const TransactionRow& head, const Bytes& sign_pk) const {
  return kaappi::head_is_sound(m_db, head, m_archive_id, sign_pk);
}

void Index::each_transaction(std::int64_t from, const std::function<void(const TransactionRow&)>& visit) const {
  kaappi::each_transaction(m_db, from, visit);
}

std::int64_t Index::transaction_of_seq(std::int64_t seq) const { return kaappi::transaction_of_seq(m_db, seq); }

Sha256Digest Index::hash_rows(std::int64_t first, std::int64_t last) const {
  if (!m_erased) m_erased = read_erased_values(m_db);
  return kaappi::hash_rows(m_db, m_archive_id, first, last, *m_erased);
}

std::optional<CustomerRow> Index::customer_by_tag(const Bytes& tag) const {
  auto row = read_one<CustomerRow>(m_db, through_index<CustomerRow>("number_tag = ?"), tag);
  if (row && row->number_tag != tag) index_damaged();
  return checked(std::move(row));
}

std::optional<CustomerRow> Index::customer(std::int64_t id) const {
  return checked(read_one<CustomerRow>(m_db, " WHERE id = ?", id));
}

std::vector<CustomerRow> Index::customers() const { return checked(read_rows<CustomerRow>(m_db, " ORDER BY id")); }

std::optional<CustomerVersionRow> Index::latest_customer_version(std::int64_t customer_id) const {
  auto row = read_one<CustomerVersionRow>(m_db, through_index<CustomerVersionRow>("customer_id = ?") +
                                                    " ORDER BY version DESC",
                                          customer_id);
  if (row && row->customer_id != customer_id) index_damaged();
  return checked(std::move(row));
}

std::vector<CustomerVersionRow> Index::customer_versions(std::optional<std::int64_t> customer_id) const {
  return checked(
      all_matching(read_where<CustomerVersionRow>(m_db, "customer_id", customer_id), "customer_id", customer_id));
}

void Index::each_latest_customer_version(
    const std::function<void(const CustomerVersionRow&, std::int64_t created_at)>& visit, std::int64_t first_customer,
    std::int64_t last_customer) const {
  const auto& table = table_of<CustomerVersionRow>();
  Statement s(m_db, "SELECT " + table.column_list("v.") + ", c.created_at" + k_latest_versions_with_created_at);
  s.bind(first_customer).bind(last_customer);
  CustomerVersionRow row;
  while (s.step()) {
    table.read(s, row);
    visit(row, s.i64());
  }
}

void Index::each_latest_customer_version_of(
    std::span<const std::int64_t> ids,
    const std::function<void(const CustomerVersionRow&, std::int64_t created_at)>& visit) const {
  const auto& table = table_of<CustomerVersionRow>();
  Statement s(m_db, "SELECT " + table.column_list("v.") + ", c.created_at" + k_latest_versions_with_created_at);
  CustomerVersionRow row;
  for (std::int64_t id : ids) {
    s.reset();
    s.bind(id).bind(id);
    while (s.step()) {
      table.read(s, row);
      visit(row, s.i64());
    }
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
  auto row = first_of(read_documents(m_db, " WHERE d.id = ?", id));
  if (row) checked_document(*row);
  return row;
}

std::optional<DocumentRow> Index::document_by_uid(const Bytes& uid) const {
  auto row = first_of(read_documents(m_db, " WHERE d.id IN (SELECT id FROM documents WHERE uid = ?)", uid));
  if (row && row->uid != uid) index_damaged();
  if (row) checked_document(*row);
  return row;
}

std::vector<DocumentRow> Index::documents_by_blob(const Bytes& blob_uid, const Bytes& blob_hash) const {
  auto rows = read_documents(
      m_db, " WHERE d.id IN (SELECT id FROM documents WHERE blob_uid = ?1 AND blob_hash = ?2) ORDER BY d.id", blob_uid,
      blob_hash);
  for (const DocumentRow& row : rows) {
    if (row.blob_uid != blob_uid || row.blob_hash != blob_hash) index_damaged();
    checked_document(row);
  }
  return rows;
}

std::vector<DocumentRow> Index::documents_by_content(std::int64_t customer_id, const Bytes& tag) const {
  auto rows = read_documents(
      m_db,
      std::string(" WHERE d.id IN (SELECT id FROM documents WHERE content_tag = ?1 UNION SELECT document_id FROM "
                  "document_assignments WHERE content_tag = ?1) AND ") +
          k_document_owner + " = ?2 ORDER BY d.id",
      tag, customer_id);
  for (const DocumentRow& row : rows) {
    if (row.current_tag() != tag || row.owner() != customer_id) index_damaged();
    checked_document(row);
  }
  return rows;
}

std::vector<DocumentRow> Index::documents(std::optional<std::int64_t> customer_id) const {
  if (!customer_id) {
    auto rows = read_documents(m_db, " ORDER BY d.id");
    for (const DocumentRow& row : rows) checked_document(row);
    return rows;
  }
  // A customer's documents now: those taken in with it or assigned to it
  // (found through the indexes) that no later assignment moved away
  // (customer 0: taken in without one and not assigned).
  auto rows = *customer_id == 0
                  ? read_documents(m_db, std::string(" WHERE ") + k_document_owner + " = 0 ORDER BY d.id")
                  : read_documents(m_db,
                                   std::string(" WHERE d.id IN (SELECT id FROM documents WHERE customer_id = ?1 UNION "
                                               "SELECT document_id FROM document_assignments WHERE customer_id = ?1) "
                                               "AND ") +
                                       k_document_owner + " = ?1 ORDER BY d.id",
                                   *customer_id);
  for (const DocumentRow& row : rows) {
    if (row.owner() != *customer_id) index_damaged();
    checked_document(row);
  }
  return rows;
}

std::optional<SqlValue> Index::erasable_value(std::uint8_t table_code, std::uint8_t column, std::int64_t row_id,
                                              std::string& name) const {
  std::optional<SqlValue> out;
  name.clear();
  for_each_signed_table([&](const auto& table) {
    if (static_cast<std::uint8_t>(table.code()) != table_code) return;
    const auto& columns = table.columns();
    if (std::size_t{column} + 1 >= columns.size() || !columns[column].erasable) return;
    name = std::string(table.name()) + "." + columns[column].name;
    Statement read(m_db, std::string("SELECT ") + columns[column].name + " FROM " + table.name() + " WHERE id = ?");
    read.bind(row_id);
    if (read.step()) out = read.value();
  });
  return out;
}

std::optional<CustomerKeyRow> Index::customer_key(std::int64_t customer_id) const {
  auto rows = checked(
      all_matching(read_where<CustomerKeyRow>(m_db, "customer_id", customer_id), "customer_id", customer_id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

void Index::each_customer_key(const std::function<void(const CustomerKeyRow&, const Bytes& customer_uid)>& visit,
                              std::int64_t first_id, std::int64_t last_id) const {
  const auto& table = table_of<CustomerKeyRow>();
  Statement s(m_db, "SELECT " + table.column_list("k.") +
                        ", c.uid FROM customer_keys k JOIN customers c ON c.id = k.customer_id WHERE k.id BETWEEN ? AND ? "
                        "ORDER BY k.id");
  s.bind(first_id).bind(last_id);
  CustomerKeyRow row;
  while (s.step()) {
    table.read(s, row);
    visit(row, s.blob());
  }
}

std::vector<std::int64_t> Index::customers_without_key() const {
  Statement s(m_db, "SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_keys k WHERE "
                    "k.customer_id = c.id) ORDER BY c.id");
  std::vector<std::int64_t> out;
  while (s.step()) out.push_back(s.i64());
  return out;
}

std::vector<AssignmentRow> Index::assignments(std::optional<std::int64_t> document_id) const {
  return checked(all_matching(read_where<AssignmentRow>(m_db, "document_id", document_id), "document_id", document_id));
}

std::vector<DocumentKindRow> Index::kind_changes(std::optional<std::int64_t> document_id) const {
  return checked(
      all_matching(read_where<DocumentKindRow>(m_db, "document_id", document_id), "document_id", document_id));
}

std::vector<ConsentEventRow> Index::consent_events(std::optional<std::int64_t> customer_id) const {
  return checked(
      all_matching(read_where<ConsentEventRow>(m_db, "customer_id", customer_id), "customer_id", customer_id));
}

// The page cache the integrity check reads through: it checks every index
// entry against its table, and with SQLite's default 2 MiB cache it reads the
// same pages again and again (system calls were most of its time). Heap, not
// a memory map of the file (which would count the whole file in the
// process's resident size); given back when the check is done.
constexpr const char* k_integrity_cache = "PRAGMA cache_size=-65536";  // KiB: 64 MiB

std::vector<std::string> Index::structure_problems() const {
  std::vector<std::string> out;
  std::int64_t cache = 0;
  {
    Statement size(m_db, "PRAGMA cache_size");
    if (size.step()) cache = size.i64();
  }
  Statement(m_db, k_integrity_cache).run();
  struct Restore {
    sqlite3* db;
    std::int64_t cache;
    ~Restore() { sqlite3_exec(db, ("PRAGMA cache_size=" + std::to_string(cache)).c_str(), nullptr, nullptr, nullptr); }
  } restore{m_db, cache};
  Statement s(m_db, "PRAGMA integrity_check(20)");
  while (s.step()) {
    std::string text = s.text();
    for (size_t start = 0; start <= text.size();) {
      size_t end = std::min(text.find('\n', start), text.size());
      std::string line = text.substr(start, end - start);
      if (!line.empty() && line != "ok" && line.rfind("*** in database", 0) != 0) out.push_back(std::move(line));
      start = end + 1;
    }
  }
  return out;
}

std::int64_t Index::signed_rows() const {
  std::string sql;
  for_each_signed_table([&](const auto& table) {
    sql += (sql.empty() ? "SELECT " : " + ") + std::string("(SELECT count(*) FROM ") + table.name() + ")";
  });
  Statement s(m_db, sql);
  s.step();
  return s.i64();
}

void Index::refuse_unless_rows_whole() const {
  const std::int64_t rows = signed_rows(), expected = head().last_seq;
  if (rows != expected)
    fail(ErrorKind::corrupt, "the index holds " + std::to_string(rows) + " signed rows where its signed history has " +
                                 std::to_string(expected) +
                                 ": rows were deleted or planted outside kaappi; nothing was changed; run kaappi verify");
}

std::int64_t Index::last_signed_seq() const {
  std::string sql = "SELECT max(0";
  for_each_signed_table([&](const auto& table) {
    sql += std::string(", (SELECT coalesce(max(seq), 0) FROM ") + table.name() + ")";
  });
  Statement s(m_db, sql + ")");
  s.step();
  return s.i64();
}

void Index::each_consent_payload(
    const std::function<void(std::int64_t id, std::int64_t customer_id, ByteView uid, ByteView event)>& visit,
    std::int64_t first_id, std::int64_t last_id) const {
  Statement s(m_db, "SELECT id, customer_id, uid, event FROM consent_events WHERE id BETWEEN ? AND ? ORDER BY id");
  s.bind(first_id).bind(last_id);
  while (s.step()) {
    std::int64_t id = s.i64();
    std::int64_t customer_id = s.i64();
    ByteView uid = s.blob_view();
    ByteView event = s.blob_view();
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

std::vector<std::string> Index::row_hash_list_faults() const { return kaappi::row_hash_list_faults(m_db); }

std::vector<AccessRow> Index::access_rows() const { return checked(read_rows<AccessRow>(m_db, " ORDER BY id")); }

std::vector<StationRow> Index::stations() const { return checked(read_rows<StationRow>(m_db, " ORDER BY id")); }

std::vector<StationRevocationRow> Index::station_revocations() const {
  return checked(read_rows<StationRevocationRow>(m_db, " ORDER BY id"));
}

std::vector<RequestRow> Index::requests(std::optional<std::int64_t> customer_id) const {
  return checked(read_where<RequestRow>(m_db, "customer_id", customer_id));
}

std::optional<RequestRow> Index::request(std::int64_t id) const {
  return checked(read_one<RequestRow>(m_db, " WHERE id = ?", id));
}

std::vector<RequestEventRow> Index::request_events() const {
  return checked(read_rows<RequestEventRow>(m_db, " ORDER BY id"));
}

std::vector<HoldRuleRow> Index::hold_rules() const { return checked(read_rows<HoldRuleRow>(m_db, " ORDER BY id")); }
std::vector<HoldRow> Index::holds() const { return checked(read_rows<HoldRow>(m_db, " ORDER BY id")); }
std::vector<RestrictionRow> Index::restrictions() const {
  return checked(read_rows<RestrictionRow>(m_db, " ORDER BY id"));
}

std::vector<ReadRow> Index::reads() const { return checked(read_rows<ReadRow>(m_db, " ORDER BY id")); }

std::optional<FormInstanceRow> Index::form_instance(const Bytes& instance) const {
  return checked(read_one<FormInstanceRow>(m_db, " WHERE instance = ?", instance));
}
std::vector<FormInstanceRow> Index::form_instances() const {
  return checked(read_rows<FormInstanceRow>(m_db, " ORDER BY id"));
}

void Index::check_reads(const Bytes& sign_pk) {
  m_read_check = std::make_unique<ReadCheck>(m_db, m_archive_id, sign_pk);
}

void Index::checked_document(const DocumentRow& row) const {
  if (!m_read_check) return;
  checked(row);
  if (row.assigned_to != 0) {
    auto assignment =
        read_one<AssignmentRow>(m_db, through_index<AssignmentRow>("document_id = ?") + " ORDER BY id DESC", row.id);
    if (!assignment || assignment->document_id != row.id || assignment->customer_id != row.assigned_to ||
        assignment->content_tag != row.assigned_tag)
      index_damaged();
    checked(*assignment);
  }
  if (!row.changed_kind.empty()) {
    auto change =
        read_one<DocumentKindRow>(m_db, through_index<DocumentKindRow>("document_id = ?") + " ORDER BY id DESC", row.id);
    if (!change || change->document_id != row.id || change->kind != row.changed_kind) index_damaged();
    checked(*change);
  }
}

bool Index::has_row(const std::string& table, std::int64_t id) const {
  bool known = false;
  for_each_signed_table([&](const auto& t) { known = known || table == t.name(); });
  if (!known) fail(ErrorKind::internal, "no signed table " + table);
  Statement s(m_db, "SELECT 1 FROM " + table + " WHERE id = ?");
  s.bind(id);
  return s.step();
}

}  // namespace kaappi
