// statement.h — the SQLite seam of the index: opening a connection with
// kaappi's hardening, one prepared statement with positional binding and
// typed column access, and turning SQLite's errors into kaappi errors.
//
// Only store/ uses it. A Statement belongs to one connection and so to one
// thread.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "store/sql_value.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kaappi {

// Opens the index with SQLITE_DBCONFIG_DEFENSIVE, trusted schema, triggers
// and views off, extended error codes and a busy timeout.
sqlite3* open_db(const std::string& path, int flags);

// Throws the Error that matches the connection's last SQLite error.
[[noreturn]] void sql_fail(sqlite3* db, const std::string& what);

// Runs statements without results; `what` names the failure.
void exec_sql(sqlite3* db, const char* sql, const char* what);

class Statement {
 public:
  Statement(sqlite3* db, const char* sql);
  Statement(sqlite3* db, const std::string& sql) : Statement(db, sql.c_str()) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(std::int64_t v);
  Statement& bind(const std::string& v);
  Statement& bind(const Bytes& v);
  Statement& bind_null();
  Statement& bind(const SqlValue& v);

  // Returns true while there is a row.
  bool step();
  void run();
  // Ready to be bound and run again.
  void reset();

  std::int64_t i64();
  std::string text();
  void text_into(std::string& out);
  Bytes blob();
  void blob_into(Bytes& out);  // like blob(), reusing the buffer
  // The next column's bytes where SQLite holds them: valid until the next
  // step() or reset() (large scans that copy nothing).
  ByteView blob_view();
  // The next column with its storage class (a real keeps its integer part).
  SqlValue value();

 private:
  void check(int rc);
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  int m_bind = 0;
  int m_col = 0;
};

}  // namespace kaappi
