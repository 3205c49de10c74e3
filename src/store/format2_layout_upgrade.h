// format2_layout_upgrade.h — part of the upgrade from format 1 (docs/FORMAT.md,
// "Upgrade from format 1"), run inside its transaction: format 1's tables
// whose columns format 2 changes are made anew with format 2's DDL
// (signed_tables.h) and their rows copied, ids and sequence numbers kept.
// SQLite cannot change a column's constraints or place a new column in
// place, and its schema text must then be exactly format 2's (schema.h).
#pragma once

#include <string>

#include "store/signed_tables.h"
#include "store/statement.h"

struct sqlite3;

namespace kaappi {

// Renames `table` aside without touching other tables' REFERENCES to it
// (legacy ALTER TABLE), creates it with format 2's DDL, copies `copied` and
// fills `new_columns` (empty: none) from `fill` (SQL over the old row `t`),
// and drops the old one. Its indexes are the caller's to make again.
void rebuild_table(sqlite3* db, const std::string& name, const std::string& ddl, const std::string& copied,
                   const std::string& new_columns = {}, const std::string& fill = {});

template <typename Row>
void rebuild_table(sqlite3* db, const std::string& copied, const std::string& new_columns = {},
                   const std::string& fill = {}) {
  rebuild_table(db, table_of<Row>().name(), table_of<Row>().ddl(), copied, new_columns, fill);
}

// The values an erasure may set NULL lose NOT NULL (customers, their
// versions, consent events; the rebuilt access_log and assignments and the
// documents get theirs from their own steps), and the erasures table is made.
void upgrade_format1_erasable_columns(sqlite3* db);

}  // namespace kaappi
