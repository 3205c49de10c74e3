// format2_layout_upgrade.cpp — see format2_layout_upgrade.h.
#include "store/format2_layout_upgrade.h"

namespace kaappi {
namespace {

void exec(sqlite3* db, const std::string& sql) { exec_sql(db, sql.c_str(), "cannot upgrade the index"); }

}  // namespace

void rebuild_table(sqlite3* db, const std::string& name, const std::string& ddl, const std::string& copied,
                   const std::string& new_columns, const std::string& fill) {
  // Legacy renaming leaves "REFERENCES <name>(id)" in other tables as it is,
  // so that it names the table made anew below.
  exec(db, "PRAGMA legacy_alter_table=ON");
  exec(db, "ALTER TABLE " + name + " RENAME TO " + name + "_format1");
  exec(db, "PRAGMA legacy_alter_table=OFF");
  exec(db, ddl);
  const std::string columns = new_columns.empty() ? copied : copied + ", " + new_columns;
  const std::string values = new_columns.empty() ? copied : copied + ", " + fill;
  exec(db, "INSERT INTO " + name + "(" + columns + ") SELECT " + values + " FROM " + name + "_format1 t");
  exec(db, "DROP TABLE " + name + "_format1");
}

void upgrade_format1_erasable_columns(sqlite3* db) {
  rebuild_table<CustomerRow>(db, table_of<CustomerRow>().column_list());
  rebuild_table<CustomerVersionRow>(db, table_of<CustomerVersionRow>().column_list());
  rebuild_table<ConsentEventRow>(db, table_of<ConsentEventRow>().column_list());
  exec(db, "CREATE INDEX consent_events_by_customer ON consent_events(customer_id)");
  exec(db, table_of<ErasureRow>().ddl());
}

}  // namespace kaappi
