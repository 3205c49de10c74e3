// index.cpp — see index.h. The only file of kaappi that speaks SQL.
#include "store/index.h"

#include <sodium.h>
#include <sqlite3.h>

#include <functional>
#include <limits>
#include <map>
#include <set>

#include "base/error.h"
#include "base/fault.h"

namespace kaappi {
namespace {

constexpr std::int64_t k_schema_version = 3;

const char* const k_schema[] = {
    "CREATE TABLE archive(id INTEGER PRIMARY KEY CHECK (id = 1), archive_id BLOB NOT NULL, "
    "format_version INTEGER NOT NULL, box_pk BLOB NOT NULL, sign_pk BLOB NOT NULL, created_at INTEGER NOT NULL, "
    "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
    "CREATE TABLE head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, digest BLOB NOT NULL, "
    "sig BLOB NOT NULL) STRICT",
    "CREATE TABLE customers(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, number_tag BLOB NOT NULL UNIQUE, "
    "created_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
    "CREATE TABLE customer_versions(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "customer_id INTEGER NOT NULL REFERENCES customers(id), version INTEGER NOT NULL, recorded_at INTEGER NOT NULL, "
    "number BLOB NOT NULL, name BLOB NOT NULL, business_id BLOB NOT NULL, email BLOB NOT NULL, phone BLOB NOT NULL, "
    "address BLOB NOT NULL, details BLOB NOT NULL, search BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, "
    "sig BLOB NOT NULL, UNIQUE(customer_id, version)) STRICT",
    "CREATE TABLE documents(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "customer_id INTEGER REFERENCES customers(id), kind TEXT NOT NULL, pages INTEGER NOT NULL, "
    "plain_size INTEGER NOT NULL, blob_size INTEGER NOT NULL, blob_hash BLOB NOT NULL, sealed_key BLOB NOT NULL, "
    "content_tag BLOB NOT NULL, meta BLOB NOT NULL, imported_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, "
    "sig BLOB NOT NULL) STRICT",
    "CREATE INDEX documents_by_content ON documents(content_tag)",
    "CREATE INDEX documents_by_customer ON documents(customer_id)",
    "CREATE TABLE document_assignments(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id), customer_id INTEGER NOT NULL REFERENCES customers(id), "
    "at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
    "CREATE INDEX document_assignments_by_customer ON document_assignments(customer_id)",
    "CREATE TABLE consent_events(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "customer_id INTEGER NOT NULL REFERENCES customers(id), recorded_at INTEGER NOT NULL, event BLOB NOT NULL, "
    "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
    "CREATE INDEX consent_events_by_customer ON consent_events(customer_id)",
    "CREATE TABLE access_log(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "document_id INTEGER NOT NULL REFERENCES documents(id), at INTEGER NOT NULL, action TEXT NOT NULL, "
    "reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
    "CREATE TABLE pending_writes(uid BLOB PRIMARY KEY, started_at INTEGER NOT NULL) STRICT",
    "CREATE TABLE stations(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, name BLOB NOT NULL, "
    "sign_pk BLOB NOT NULL UNIQUE, added_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
    "CREATE TABLE station_revocations(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "station_id INTEGER NOT NULL UNIQUE REFERENCES stations(id), revoked_at INTEGER NOT NULL, "
    "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
};

[[noreturn]] void sql_fail(sqlite3* db, const std::string& what) {
  int code = sqlite3_extended_errcode(db);
  std::string msg = sqlite3_errmsg(db);
  if (code == SQLITE_FULL) fail(ErrorKind::io, what + ": the disk is full");
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    fail(ErrorKind::io, what + ": the archive is busy (another kaappi is writing); try again");
  if ((code & 0xff) == SQLITE_CONSTRAINT) fail(ErrorKind::rejected, what + ": " + msg);
  if ((code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_PERM)
    fail(ErrorKind::io, what + ": " + msg + "; check the archive folder's permissions");
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    fail(ErrorKind::corrupt, what + ": the index file is damaged (" + msg + ")");
  fail(ErrorKind::io, what + ": " + msg);
}

// A prepared statement with positional binding and typed column access.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : m_db(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) sql_fail(db, "index query failed");
  }
  ~Stmt() { sqlite3_finalize(m_stmt); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(std::int64_t v) {
    check(sqlite3_bind_int64(m_stmt, ++m_bind, v));
    return *this;
  }
  Stmt& bind(const std::string& v) {
    check(sqlite3_bind_text(m_stmt, ++m_bind, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& bind(const Bytes& v) {
    check(sqlite3_bind_blob(m_stmt, ++m_bind, v.empty() ? "" : static_cast<const void*>(v.data()),
                            static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  // Returns true while there is a row.
  bool step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
      m_col = 0;
      return true;
    }
    if (rc == SQLITE_DONE) return false;
    sql_fail(m_db, "index update failed");
  }
  void run() {
    while (step()) {
    }
  }
  std::int64_t i64() { return sqlite3_column_int64(m_stmt, m_col++); }
  std::string text() {
    const auto* p = sqlite3_column_text(m_stmt, m_col);
    int n = sqlite3_column_bytes(m_stmt, m_col++);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
  }
  Bytes blob() {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, m_col));
    int n = sqlite3_column_bytes(m_stmt, m_col++);
    return p ? Bytes(p, p + n) : Bytes();
  }
  // An id, or NULL for 0 (an unassigned document's customer).
  Stmt& bind_id_or_null(std::int64_t v) {
    check(v == 0 ? sqlite3_bind_null(m_stmt, ++m_bind) : sqlite3_bind_int64(m_stmt, ++m_bind, v));
    return *this;
  }
  // Like blob(), reusing the buffer.
  void blob_into(Bytes& out) {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, m_col));
    int n = sqlite3_column_bytes(m_stmt, m_col++);
    out.assign(p, p + (p ? n : 0));
  }
  bool is_null() const { return sqlite3_column_type(m_stmt, m_col) == SQLITE_NULL; }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) sql_fail(m_db, "index query failed");
  }
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  int m_bind = 0;
  int m_col = 0;
};

sqlite3* open_db(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    fail(ErrorKind::io, "cannot open the archive index " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_busy_timeout(db, 15000);
  return db;
}

struct SchemaObject {
  std::string type, name, sql;
  bool operator<(const SchemaObject& o) const { return std::tie(type, name, sql) < std::tie(o.type, o.name, o.sql); }
  bool operator==(const SchemaObject& o) const { return type == o.type && name == o.name && sql == o.sql; }
};

std::set<SchemaObject> read_schema(sqlite3* db) {
  std::set<SchemaObject> out;
  Stmt s(db, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema");
  while (s.step()) {
    SchemaObject o;
    o.type = s.text();
    o.name = s.text();
    o.sql = s.text();
    out.insert(o);
  }
  return out;
}

const std::set<SchemaObject>& expected_schema() {
  static const std::set<SchemaObject> schema = [] {
    sqlite3* db = open_db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    for (const char* sql : k_schema) sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    auto s = read_schema(db);
    sqlite3_close(db);
    return s;
  }();
  return schema;
}

void sign_detached(Bytes& sig, const Bytes& msg, const SecretBuffer& sign_sk) {
  sig.resize(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sign_sk.data());
}

CustomerRow read_customer(Stmt& s) {
  CustomerRow r;
  r.id = s.i64();
  r.uid = s.blob();
  r.number_tag = s.blob();
  r.created_at = s.i64();
  r.seq = s.i64();
  r.sig = s.blob();
  return r;
}
constexpr const char* k_customer_cols = "id, uid, number_tag, created_at, seq, sig";

CustomerVersionRow read_version(Stmt& s) {
  CustomerVersionRow r;
  r.id = s.i64();
  r.uid = s.blob();
  r.customer_id = s.i64();
  r.version = s.i64();
  r.recorded_at = s.i64();
  r.number = s.blob();
  r.name = s.blob();
  r.business_id = s.blob();
  r.email = s.blob();
  r.phone = s.blob();
  r.address = s.blob();
  r.details = s.blob();
  r.search = s.blob();
  r.seq = s.i64();
  r.sig = s.blob();
  return r;
}
constexpr const char* k_version_cols =
    "id, uid, customer_id, version, recorded_at, number, name, business_id, email, phone, address, details, search, seq, "
    "sig";

DocumentRow read_document(Stmt& s) {
  DocumentRow r;
  r.id = s.i64();
  r.uid = s.blob();
  r.customer_id = s.i64();
  r.kind = s.text();
  r.pages = s.i64();
  r.plain_size = s.i64();
  r.blob_size = s.i64();
  r.blob_hash = s.blob();
  r.sealed_key = s.blob();
  r.content_tag = s.blob();
  r.meta = s.blob();
  r.imported_at = s.i64();
  r.seq = s.i64();
  r.sig = s.blob();
  r.assigned_to = s.i64();
  return r;
}
// Documents with the customer a later assignment gave them (if any).
constexpr const char* k_document_select =
    "SELECT d.id, d.uid, coalesce(d.customer_id, 0), d.kind, d.pages, d.plain_size, d.blob_size, d.blob_hash, "
    "d.sealed_key, d.content_tag, d.meta, d.imported_at, d.seq, d.sig, coalesce(a.customer_id, 0) "
    "FROM documents d LEFT JOIN document_assignments a ON a.document_id = d.id";
constexpr const char* k_document_owner = "coalesce(d.customer_id, a.customer_id, 0)";

// Runs a query with the given parameters and reads its first row, if any.
template <typename Row, typename... Params>
std::optional<Row> read_one(sqlite3* db, const std::string& sql, Row (*reader)(Stmt&), const Params&... params) {
  Stmt s(db, sql.c_str());
  (s.bind(params), ...);
  if (!s.step()) return std::nullopt;
  return reader(s);
}

template <typename Row>
std::vector<Row> read_all(sqlite3* db, const std::string& sql, Row (*reader)(Stmt&),
                          std::optional<std::int64_t> param = {}) {
  Stmt s(db, sql.c_str());
  if (param) s.bind(*param);
  std::vector<Row> out;
  while (s.step()) out.push_back(reader(s));
  return out;
}

ConsentEventRow read_event(Stmt& s) {
  ConsentEventRow r;
  r.id = s.i64();
  r.uid = s.blob();
  r.customer_id = s.i64();
  r.recorded_at = s.i64();
  r.event = s.blob();
  r.seq = s.i64();
  r.sig = s.blob();
  return r;
}

AccessRow read_access(Stmt& s) {
  AccessRow r;
  r.id = s.i64();
  r.uid = s.blob();
  r.document_id = s.i64();
  r.at = s.i64();
  r.action = s.text();
  r.reason = s.blob();
  r.seq = s.i64();
  r.sig = s.blob();
  return r;
}

StationRow read_station(Stmt& s) {
  StationRow r;
  r.id = s.i64();
  r.uid = s.blob();
  r.name = s.blob();
  r.sign_pk = s.blob();
  r.added_at = s.i64();
  r.seq = s.i64();
  r.sig = s.blob();
  return r;
}

StationRevocationRow read_revocation(Stmt& s) {
  StationRevocationRow r;
  r.id = s.i64();
  r.uid = s.blob();
  r.station_id = s.i64();
  r.revoked_at = s.i64();
  r.seq = s.i64();
  r.sig = s.blob();
  return r;
}

}  // namespace

void Index::create(const std::string& path, ArchiveRow& row, const SecretBuffer& sign_sk) {
  sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE);
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  } closer{db};
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) sql_fail(db, "cannot create the index");
  };
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("BEGIN IMMEDIATE");
  for (const char* sql : k_schema) exec(sql);
  exec(("PRAGMA user_version=" + std::to_string(k_schema_version)).c_str());
  row.seq = 1;
  sign_detached(row.sig, row.canonical(), sign_sk);
  Stmt(db, "INSERT INTO archive(id, archive_id, format_version, box_pk, sign_pk, created_at, seq, sig) "
           "VALUES (1, ?, ?, ?, ?, ?, ?, ?)")
      .bind(row.archive_id).bind(row.format_version).bind(row.box_pk).bind(row.sign_pk)
      .bind(row.created_at).bind(row.seq).bind(row.sig).run();
  HeadRow head;
  head.seq = 1;
  head.digest = chain_digest(Bytes(32, 0), row.seq, row.sig);
  sign_detached(head.sig, head_message(row.archive_id, head.seq, head.digest), sign_sk);
  Stmt(db, "INSERT INTO head(id, seq, digest, sig) VALUES (1, ?, ?, ?)")
      .bind(head.seq).bind(head.digest).bind(head.sig).run();
  exec("COMMIT");
}

Index::Index(const std::string& path, SchemaPolicy policy) : m_path(path) {
  m_db = open_db(path, SQLITE_OPEN_READWRITE);
  try {
    auto actual = read_schema(m_db);
    const auto& expected = expected_schema();
    for (const auto& o : actual)
      if (!expected.count(o)) m_schema_problems.push_back("unexpected " + o.type + " '" + o.name + "' in the index schema");
    for (const auto& o : expected)
      if (!actual.count(o)) m_schema_problems.push_back(o.type + " '" + o.name + "' is missing or changed in the index schema");
    if (schema_version() != k_schema_version)
      m_schema_problems.push_back("index schema version is " + std::to_string(schema_version()) + ", expected " +
                                  std::to_string(k_schema_version));
    if (!m_schema_problems.empty() && policy == SchemaPolicy::enforce)
      fail(ErrorKind::corrupt, "the archive index was altered outside kaappi (" + m_schema_problems.front() +
                                   "); nothing was changed; run kaappi verify");
    if (m_schema_problems.empty()) {
      exec("PRAGMA synchronous=FULL");
      exec("PRAGMA foreign_keys=ON");
      exec("PRAGMA temp_store=MEMORY");
      m_archive_id = archive().archive_id;
    } else {
      try {
        m_archive_id = archive().archive_id;
      } catch (const Error&) {
        // reported by verify
      }
    }
  } catch (...) {
    sqlite3_close(m_db);
    throw;
  }
}

Index::~Index() { sqlite3_close(m_db); }

void Index::exec(const char* sql) {
  if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) sql_fail(m_db, "index update failed");
}

std::int64_t Index::schema_version() const {
  Stmt s(m_db, "PRAGMA user_version");
  return s.step() ? s.i64() : 0;
}

ArchiveRow Index::archive() const {
  Stmt s(m_db, "SELECT archive_id, format_version, box_pk, sign_pk, created_at, seq, sig FROM archive WHERE id = 1");
  if (!s.step()) fail(ErrorKind::corrupt, "the archive index has no archive row");
  ArchiveRow r;
  r.archive_id = s.blob();
  r.format_version = s.i64();
  r.box_pk = s.blob();
  r.sign_pk = s.blob();
  r.created_at = s.i64();
  r.seq = s.i64();
  r.sig = s.blob();
  return r;
}

HeadRow Index::head() const {
  Stmt s(m_db, "SELECT seq, digest, sig FROM head WHERE id = 1");
  if (!s.step()) fail(ErrorKind::corrupt, "the archive index has no signed head");
  HeadRow h;
  h.seq = s.i64();
  h.digest = s.blob();
  h.sig = s.blob();
  return h;
}

std::optional<CustomerRow> Index::customer_by_tag(const Bytes& tag) const {
  return read_one(m_db, std::string("SELECT ") + k_customer_cols + " FROM customers WHERE number_tag = ?", read_customer,
                  tag);
}

std::optional<CustomerRow> Index::customer(std::int64_t id) const {
  return read_one(m_db, std::string("SELECT ") + k_customer_cols + " FROM customers WHERE id = ?", read_customer, id);
}

std::vector<CustomerRow> Index::customers() const {
  return read_all<CustomerRow>(m_db, std::string("SELECT ") + k_customer_cols + " FROM customers ORDER BY id",
                               read_customer);
}

std::optional<CustomerVersionRow> Index::latest_customer_version(std::int64_t customer_id) const {
  return read_one(m_db,
                  std::string("SELECT ") + k_version_cols +
                      " FROM customer_versions WHERE customer_id = ? ORDER BY version DESC LIMIT 1",
                  read_version, customer_id);
}

std::vector<CustomerVersionRow> Index::customer_versions(std::optional<std::int64_t> customer_id) const {
  std::string sql = std::string("SELECT ") + k_version_cols + " FROM customer_versions";
  if (customer_id) sql += " WHERE customer_id = ?";
  sql += " ORDER BY id";
  return read_all<CustomerVersionRow>(m_db, sql, read_version, customer_id);
}

namespace {
// The latest version of every customer.
constexpr const char* k_latest_versions =
    " FROM customer_versions v WHERE v.customer_id BETWEEN ? AND ? AND v.version = (SELECT max(version) FROM "
    "customer_versions w WHERE w.customer_id = v.customer_id) ORDER BY v.customer_id";
}  // namespace

void Index::each_latest_customer_version(const std::function<void(const CustomerVersionRow&)>& visit,
                                         std::int64_t first_customer, std::int64_t last_customer) const {
  std::string cols;
  for (std::string c : {"id", "uid", "customer_id", "version", "recorded_at", "number", "name", "business_id", "email",
                        "phone", "address", "details", "search", "seq", "sig"})
    cols += (cols.empty() ? "v." : ", v.") + c;
  Stmt s(m_db, ("SELECT " + cols + k_latest_versions).c_str());
  s.bind(first_customer).bind(last_customer);
  while (s.step()) visit(read_version(s));
}

void Index::each_customer_search(const std::function<void(const SearchRow&)>& visit) const {
  Stmt s(m_db, (std::string("SELECT v.customer_id, v.uid, v.search") + k_latest_versions).c_str());
  s.bind(std::numeric_limits<std::int64_t>::min()).bind(std::numeric_limits<std::int64_t>::max());
  SearchRow row;
  while (s.step()) {
    row.customer_id = s.i64();
    row.uid = s.blob();
    row.search = s.blob();
    visit(row);
  }
}

std::optional<DocumentRow> Index::document(std::int64_t id) const {
  return read_one(m_db, std::string(k_document_select) + " WHERE d.id = ?", read_document, id);
}

std::optional<DocumentRow> Index::document_by_uid(const Bytes& uid) const {
  return read_one(m_db, std::string(k_document_select) + " WHERE d.uid = ?", read_document, uid);
}

std::optional<DocumentRow> Index::document_by_content(std::int64_t customer_id, const Bytes& tag) const {
  return read_one(m_db,
                  std::string(k_document_select) + " WHERE d.content_tag = ? AND " + k_document_owner +
                      " = ? ORDER BY d.id LIMIT 1",
                  read_document, tag, customer_id);
}

std::vector<DocumentRow> Index::documents(std::optional<std::int64_t> customer_id) const {
  std::string sql = k_document_select;
  if (customer_id) sql += std::string(" WHERE ") + k_document_owner + " = ?";
  sql += " ORDER BY d.id";
  return read_all<DocumentRow>(m_db, sql, read_document, customer_id);
}

std::vector<AssignmentRow> Index::assignments() const {
  Stmt s(m_db, "SELECT id, uid, document_id, customer_id, at, seq, sig FROM document_assignments ORDER BY id");
  std::vector<AssignmentRow> out;
  while (s.step()) {
    AssignmentRow r;
    r.id = s.i64();
    r.uid = s.blob();
    r.document_id = s.i64();
    r.customer_id = s.i64();
    r.at = s.i64();
    r.seq = s.i64();
    r.sig = s.blob();
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ConsentEventRow> Index::consent_events(std::optional<std::int64_t> customer_id) const {
  std::string sql = "SELECT id, uid, customer_id, recorded_at, event, seq, sig FROM consent_events";
  if (customer_id) sql += " WHERE customer_id = ?";
  sql += " ORDER BY id";
  return read_all<ConsentEventRow>(m_db, sql, read_event, customer_id);
}

void Index::each_consent_payload(
    const std::function<void(std::int64_t id, std::int64_t customer_id, const Bytes& uid, const Bytes& event)>& visit,
    std::int64_t first_id, std::int64_t last_id) const {
  Stmt s(m_db, "SELECT id, customer_id, uid, event FROM consent_events WHERE id BETWEEN ? AND ? ORDER BY id");
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

namespace {
const char* table_name(Index::Table t) {
  switch (t) {
    case Index::Table::customers: return "customers";
    case Index::Table::customer_versions: return "customer_versions";
    case Index::Table::documents: return "documents";
    case Index::Table::consent_events: return "consent_events";
    case Index::Table::access_log: return "access_log";
  }
  return "";
}

template <typename Row>
void stream(sqlite3* db, const std::string& sql, Row (*reader)(Stmt&), const std::function<void(const Row&)>& visit,
            std::int64_t first, std::int64_t last) {
  Stmt s(db, sql.c_str());
  s.bind(first).bind(last);
  while (s.step()) visit(reader(s));
}
}  // namespace

std::pair<std::int64_t, std::int64_t> Index::id_range(Table table) const {
  Stmt s(m_db, (std::string("SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM ") + table_name(table)).c_str());
  s.step();
  std::int64_t first = s.i64();
  return {first, s.i64()};
}

void Index::each_customer(const std::function<void(const CustomerRow&)>& visit, std::int64_t first,
                          std::int64_t last) const {
  stream(m_db, std::string("SELECT ") + k_customer_cols + " FROM customers WHERE id BETWEEN ? AND ? ORDER BY id",
         read_customer, visit, first, last);
}

void Index::each_customer_version(const std::function<void(const CustomerVersionRow&)>& visit, std::int64_t first,
                                  std::int64_t last) const {
  stream(m_db, std::string("SELECT ") + k_version_cols + " FROM customer_versions WHERE id BETWEEN ? AND ? ORDER BY id",
         read_version, visit, first, last);
}

void Index::each_consent_event(const std::function<void(const ConsentEventRow&)>& visit, std::int64_t first,
                               std::int64_t last) const {
  stream(m_db,
         "SELECT id, uid, customer_id, recorded_at, event, seq, sig FROM consent_events WHERE id BETWEEN ? AND ? "
         "ORDER BY id",
         read_event, visit, first, last);
}

void Index::each_access_row(const std::function<void(const AccessRow&)>& visit, std::int64_t first,
                            std::int64_t last) const {
  stream(m_db,
         "SELECT id, uid, document_id, at, action, reason, seq, sig FROM access_log WHERE id BETWEEN ? AND ? "
         "ORDER BY id",
         read_access, visit, first, last);
}

std::vector<AccessRow> Index::access_rows() const {
  return read_all<AccessRow>(m_db, "SELECT id, uid, document_id, at, action, reason, seq, sig FROM access_log ORDER BY id",
                             read_access);
}

std::vector<StationRow> Index::stations() const {
  return read_all<StationRow>(m_db, "SELECT id, uid, name, sign_pk, added_at, seq, sig FROM stations ORDER BY id",
                              read_station);
}

std::vector<StationRevocationRow> Index::station_revocations() const {
  return read_all<StationRevocationRow>(
      m_db, "SELECT id, uid, station_id, revoked_at, seq, sig FROM station_revocations ORDER BY id", read_revocation);
}

void Index::add_pending(const std::vector<Bytes>& uids, std::int64_t now) {
  bool own = sqlite3_get_autocommit(m_db) != 0;
  if (own) exec("BEGIN IMMEDIATE");
  try {
    for (const auto& uid : uids) Stmt(m_db, "INSERT INTO pending_writes(uid, started_at) VALUES (?, ?)").bind(uid).bind(now).run();
    if (own) exec("COMMIT");
  } catch (...) {
    if (own) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void Index::remove_pending(const std::vector<Bytes>& uids) {
  bool own = sqlite3_get_autocommit(m_db) != 0;
  if (own) exec("BEGIN IMMEDIATE");
  try {
    for (const auto& uid : uids) Stmt(m_db, "DELETE FROM pending_writes WHERE uid = ?").bind(uid).run();
    if (own) exec("COMMIT");
  } catch (...) {
    if (own) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<Bytes> Index::pending() const {
  Stmt s(m_db, "SELECT uid FROM pending_writes ORDER BY started_at");
  std::vector<Bytes> out;
  while (s.step()) out.push_back(s.blob());
  return out;
}

// --- Writer ---------------------------------------------------------------

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

void Index::Writer::sign(SignedFields& row, const std::function<Bytes()>& canonical) {
  row.seq = ++m_head.seq;
  sign_detached(row.sig, canonical(), m_sign_sk);
  m_head.digest = chain_digest(m_head.digest, row.seq, row.sig);
}

std::int64_t Index::Writer::next_id(const char* table) {
  Stmt s(m_index.m_db, (std::string("SELECT coalesce(max(id), 0) + 1 FROM ") + table).c_str());
  s.step();
  return s.i64();
}

void Index::Writer::commit() {
  sign_detached(m_head.sig, head_message(m_index.m_archive_id, m_head.seq, m_head.digest), m_sign_sk);
  Stmt(m_index.m_db, "UPDATE head SET seq = ?, digest = ?, sig = ? WHERE id = 1")
      .bind(m_head.seq).bind(m_head.digest).bind(m_head.sig).run();
  fault::point("index.commit");
  m_index.exec("COMMIT");
  m_done = true;
  fault::point("index.committed");
}

void Index::Writer::insert_customer(CustomerRow& c, CustomerVersionRow& v) {
  c.id = next_id("customers");
  const Bytes& a = m_index.m_archive_id;
  sign(c, [&] { return c.canonical(a); });
  Stmt(m_index.m_db, "INSERT INTO customers(id, uid, number_tag, created_at, seq, sig) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(c.id).bind(c.uid).bind(c.number_tag).bind(c.created_at).bind(c.seq).bind(c.sig).run();
  v.customer_id = c.id;
  insert_customer_version(v);
}

void Index::Writer::insert_customer_version(CustomerVersionRow& v) {
  v.id = next_id("customer_versions");
  const Bytes& a = m_index.m_archive_id;
  sign(v, [&] { return v.canonical(a); });
  Stmt(m_index.m_db,
       "INSERT INTO customer_versions(id, uid, customer_id, version, recorded_at, number, name, business_id, email, "
       "phone, address, details, search, seq, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(v.id).bind(v.uid).bind(v.customer_id).bind(v.version).bind(v.recorded_at).bind(v.number).bind(v.name)
      .bind(v.business_id).bind(v.email).bind(v.phone).bind(v.address).bind(v.details).bind(v.search).bind(v.seq)
      .bind(v.sig).run();
}

void Index::Writer::insert_document(DocumentRow& d) {
  d.id = next_id("documents");
  const Bytes& a = m_index.m_archive_id;
  sign(d, [&] { return d.canonical(a); });
  Stmt(m_index.m_db,
       "INSERT INTO documents(id, uid, customer_id, kind, pages, plain_size, blob_size, blob_hash, sealed_key, "
       "content_tag, meta, imported_at, seq, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(d.id).bind(d.uid).bind_id_or_null(d.customer_id).bind(d.kind).bind(d.pages).bind(d.plain_size).bind(d.blob_size)
      .bind(d.blob_hash).bind(d.sealed_key).bind(d.content_tag).bind(d.meta).bind(d.imported_at).bind(d.seq)
      .bind(d.sig).run();
}

void Index::Writer::insert_consent_event(ConsentEventRow& e) {
  e.id = next_id("consent_events");
  const Bytes& a = m_index.m_archive_id;
  sign(e, [&] { return e.canonical(a); });
  Stmt(m_index.m_db,
       "INSERT INTO consent_events(id, uid, customer_id, recorded_at, event, seq, sig) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(e.id).bind(e.uid).bind(e.customer_id).bind(e.recorded_at).bind(e.event).bind(e.seq).bind(e.sig).run();
}

void Index::Writer::insert_station(StationRow& r) {
  r.id = next_id("stations");
  const Bytes& a = m_index.m_archive_id;
  sign(r, [&] { return r.canonical(a); });
  Stmt(m_index.m_db, "INSERT INTO stations(id, uid, name, sign_pk, added_at, seq, sig) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(r.id).bind(r.uid).bind(r.name).bind(r.sign_pk).bind(r.added_at).bind(r.seq).bind(r.sig).run();
}

void Index::Writer::insert_station_revocation(StationRevocationRow& r) {
  r.id = next_id("station_revocations");
  const Bytes& a = m_index.m_archive_id;
  sign(r, [&] { return r.canonical(a); });
  Stmt(m_index.m_db,
       "INSERT INTO station_revocations(id, uid, station_id, revoked_at, seq, sig) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(r.id).bind(r.uid).bind(r.station_id).bind(r.revoked_at).bind(r.seq).bind(r.sig).run();
}

void Index::Writer::insert_assignment(AssignmentRow& r) {
  r.id = next_id("document_assignments");
  const Bytes& a = m_index.m_archive_id;
  sign(r, [&] { return r.canonical(a); });
  Stmt(m_index.m_db,
       "INSERT INTO document_assignments(id, uid, document_id, customer_id, at, seq, sig) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(r.id).bind(r.uid).bind(r.document_id).bind(r.customer_id).bind(r.at).bind(r.seq).bind(r.sig).run();
}

void Index::Writer::insert_access(AccessRow& r) {
  r.id = next_id("access_log");
  const Bytes& a = m_index.m_archive_id;
  sign(r, [&] { return r.canonical(a); });
  Stmt(m_index.m_db,
       "INSERT INTO access_log(id, uid, document_id, at, action, reason, seq, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(r.id).bind(r.uid).bind(r.document_id).bind(r.at).bind(r.action).bind(r.reason).bind(r.seq).bind(r.sig)
      .run();
}

}  // namespace kaappi
