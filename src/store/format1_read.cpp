// format1_read.cpp — see format1_read.h.
#include "store/format1_read.h"

#include <sqlite3.h>

#include "base/error.h"
#include "store/schema.h"
#include "store/statement.h"

namespace kaappi {
namespace {

struct Db {
  sqlite3* db;
  ~Db() { sqlite3_close(db); }
};

// The whole index at `path`, copied into a database in memory.
void copy_into(sqlite3* memory, const std::string& path) {
  Db file{open_db(path, SQLITE_OPEN_READWRITE)};
  sqlite3_backup* backup = sqlite3_backup_init(memory, "main", file.db, "main");
  if (backup == nullptr) sql_fail(memory, "cannot read the index " + path);
  sqlite3_backup_step(backup, -1);
  if (sqlite3_backup_finish(backup) != SQLITE_OK) sql_fail(memory, "cannot read the index " + path);
}

}  // namespace

Format1Check read_format1_index(const std::string& index_path, const std::optional<Format1Head>& remembered) {
  Db copy{open_db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY)};
  copy_into(copy.db, index_path);
  const SchemaHistory& history = schema_history();
  SchemaCheck check = check_schema(copy.db, history);
  if (check.state != SchemaState::needs_upgrade)
    fail(ErrorKind::corrupt, "the archive index is not of a format-1 layout");
  size_t step = check.first_step;
  for (; step < history.steps.size() && !history.steps[step].needs_key; ++step)
    history.steps[step].apply(copy.db, UpgradeContext{});
  name_restores_column_as_format2(copy.db);
  return check_format1_index(copy.db, remembered);
}

}  // namespace kaappi
