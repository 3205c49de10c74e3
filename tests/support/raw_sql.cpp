// raw_sql.cpp — see raw_sql.h.
#include "support/raw_sql.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>

namespace kaappi::test {

void raw_sql(const std::string& index_path, const std::string& statements) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(index_path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &err);
  INFO(statements << " -> " << (err ? err : "ok"));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

std::string raw_sql_value(const std::string& index_path, const std::string& query) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(index_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace kaappi::test
