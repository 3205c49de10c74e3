// statement.cpp — see statement.h.
#include "store/statement.h"

#include <sqlite3.h>

#include "base/error.h"

namespace kaappi {

sqlite3* open_db(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  // NOFOLLOW: an index file that is a link is not opened (Archive names it first).
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nullptr) != SQLITE_OK) {
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
  // Deleted and overwritten content is zeroed in the file (and so in the
  // WAL's frames of it): an erased value leaves no copy behind.
  if (sqlite3_exec(db, "PRAGMA secure_delete=ON", nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(db);
    sqlite3_close(db);
    fail(ErrorKind::io, "cannot open the archive index " + path + ": " + msg);
  }
  return db;
}

void sql_fail(sqlite3* db, const std::string& what) {
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

void exec_sql(sqlite3* db, const char* sql, const char* what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) sql_fail(db, what);
}

Statement::Statement(sqlite3* db, const char* sql) : m_db(db) {
  if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) sql_fail(db, "index query failed");
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(std::int64_t v) {
  check(sqlite3_bind_int64(m_stmt, ++m_bind, v));
  return *this;
}

Statement& Statement::bind(const std::string& v) {
  check(sqlite3_bind_text(m_stmt, ++m_bind, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(const Bytes& v) {
  check(sqlite3_bind_blob(m_stmt, ++m_bind, v.empty() ? "" : static_cast<const void*>(v.data()),
                          static_cast<int>(v.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_null() {
  check(sqlite3_bind_null(m_stmt, ++m_bind));
  return *this;
}

Statement& Statement::bind(const SqlValue& v) {
  switch (v.type) {
    case SqlValue::Type::null: return bind_null();
    case SqlValue::Type::integer: return bind(v.integer);
    case SqlValue::Type::text:
      check(sqlite3_bind_text(m_stmt, ++m_bind, v.bytes.empty() ? "" : reinterpret_cast<const char*>(v.bytes.data()),
                              static_cast<int>(v.bytes.size()), SQLITE_TRANSIENT));
      return *this;
    case SqlValue::Type::blob: return bind(v.bytes);
    case SqlValue::Type::real: break;
  }
  fail(ErrorKind::internal, "kaappi stores no real numbers");
}

bool Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    m_col = 0;
    return true;
  }
  if (rc == SQLITE_DONE) return false;
  sql_fail(m_db, "index update failed");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
  m_bind = 0;
  m_col = 0;
}

std::int64_t Statement::i64() { return sqlite3_column_int64(m_stmt, m_col++); }

std::string Statement::text() {
  std::string out;
  text_into(out);
  return out;
}

void Statement::text_into(std::string& out) {
  const auto* p = sqlite3_column_text(m_stmt, m_col);
  int n = sqlite3_column_bytes(m_stmt, m_col++);
  out.assign(p ? reinterpret_cast<const char*>(p) : "", p ? static_cast<size_t>(n) : 0);
}

Bytes Statement::blob() {
  Bytes out;
  blob_into(out);
  return out;
}

void Statement::blob_into(Bytes& out) {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, m_col));
  int n = sqlite3_column_bytes(m_stmt, m_col++);
  out.assign(p, p + (p ? n : 0));
}

ByteView Statement::blob_view() {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, m_col));
  int n = sqlite3_column_bytes(m_stmt, m_col++);
  return p ? ByteView(p, static_cast<size_t>(n)) : ByteView();
}

SqlValue Statement::value() {
  SqlValue out;
  switch (sqlite3_column_type(m_stmt, m_col)) {
    case SQLITE_NULL: ++m_col; break;
    case SQLITE_INTEGER:
      out.type = SqlValue::Type::integer;
      out.integer = i64();
      break;
    case SQLITE_FLOAT:
      out.type = SqlValue::Type::real;
      out.integer = i64();
      break;
    case SQLITE_TEXT: {
      out.type = SqlValue::Type::text;
      const auto* p = sqlite3_column_text(m_stmt, m_col);
      const int n = sqlite3_column_bytes(m_stmt, m_col++);
      if (p != nullptr) out.bytes.assign(p, p + n);
      break;
    }
    default:
      out.type = SqlValue::Type::blob;
      blob_into(out.bytes);
      break;
  }
  return out;
}

void Statement::check(int rc) {
  if (rc != SQLITE_OK) sql_fail(m_db, "index query failed");
}

}  // namespace kaappi
