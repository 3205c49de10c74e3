// raw_sql.h — SQL run directly on an index file, as someone with a copy of
// the archive folder could (tampering, planting rows), for unit and e2e
// tests alike. A statement or query that fails fails the test (Catch2
// REQUIRE, naming the statement and SQLite's error).
#pragma once

#include <string>

namespace kaappi::test {

void raw_sql(const std::string& index_path, const std::string& statements);
// The first column of the first row `query` returns, as text ("" if none).
std::string raw_sql_value(const std::string& index_path, const std::string& query);

}  // namespace kaappi::test
