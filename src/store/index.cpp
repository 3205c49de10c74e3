// index.cpp — see index.h: creating and opening the index, its layout check,
// and the unsigned list of interrupted writes.
#include "store/index.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "base/error.h"
#include "store/row_hash_lists.h"
#include "store/statement.h"

namespace kaappi {

void Index::create(const std::string& path, ArchiveRow& row, const SecretKeys& keys, std::int64_t now) {
  sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE);
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  } closer{db};
  // SQLite makes the file with the umask's mode; its WAL and shared-memory
  // files take the database file's mode, so this makes all three 0600.
  if (::chmod(path.c_str(), 0600) != 0) fail_errno("cannot make the index private: " + path);
  auto exec = [&](const std::string& sql) { exec_sql(db, sql.c_str(), "cannot create the index"); };
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("BEGIN IMMEDIATE");
  const SchemaLayout& layout = schema_history().current;
  for (const auto& sql : layout.ddl()) exec(sql);
  exec("PRAGMA user_version=" + std::to_string(layout.version()));
  const auto& table = table_of<ArchiveRow>();
  row.id = 1;
  row.seq = 1;
  {
    Statement insert(db, table.insert_sql());
    table.bind(insert, row);
    insert.run();
  }
  TransactionRow first;
  first.tx = 1;
  first.last_seq = 1;
  first.at = now;
  const Sha256Digest hash = table.row_hash(table.values(row), row.archive_id);
  const Bytes hashes(hash.begin(), hash.end());
  sign_transaction(first, row.archive_id, Bytes(32, 0), sha256(hashes), keys);
  insert_transaction(db, first);
  insert_row_hash_list(db, first.tx, hashes);
  exec("COMMIT");
}

Index::Index(const std::string& path, SchemaPolicy policy, const SchemaHistory& history) : m_path(path) {
  m_db = open_db(path, SQLITE_OPEN_READWRITE);
  try {
    SchemaCheck check = check_schema(m_db, history);
    if (check.state == SchemaState::needs_upgrade)
      fail(ErrorKind::needs_upgrade, "the archive index was made by an older kaappi (schema version " +
                                         std::to_string(check.version) +
                                         ") and needs kaappi upgrade; nothing was changed");
    m_schema_problems = std::move(check.problems);
    if (!m_schema_problems.empty() && policy == SchemaPolicy::enforce) {
      if (check.state == SchemaState::pre_release)
        fail(ErrorKind::corrupt, "cannot open the archive index: " + m_schema_problems.front() + "; nothing was changed");
      fail(ErrorKind::corrupt, "the archive index was altered outside kaappi (" + m_schema_problems.front() +
                                   "); nothing was changed; run kaappi verify");
    }
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

void Index::checkpoint_truncate() {
  Statement s(m_db, "PRAGMA wal_checkpoint(TRUNCATE)");
  // One row: busy (1 when a reader kept it from finishing), WAL frames, frames checkpointed.
  if (!s.step() || s.i64() != 0)
    fail(ErrorKind::io, "the write-ahead log could not be emptied while another kaappi was reading the archive");
}

void Index::copy_into(const std::string& path) const {
  // A consistent snapshot of the committed index in one read transaction,
  // holding only live pages: nothing a freed page still held (an erased
  // value) reaches the copy.
  Statement s(m_db, "VACUUM INTO ?");
  s.bind(path);
  s.step();
}

ArchivePublicKey Index::stored_public_key(const std::string& path) {
  sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE);
  try {
    ArchivePublicKey key;
    {
      Statement s(db, "SELECT archive_id, box_pk, sign_pk FROM archive WHERE id = 1");
      if (!s.step()) fail(ErrorKind::corrupt, "the archive index has no archive row");
      key = ArchivePublicKey{s.blob(), s.blob(), s.blob()};
    }
    sqlite3_close(db);
    return key;
  } catch (...) {
    sqlite3_close(db);
    throw;
  }
}

SchemaCheck Index::check(const std::string& path, const SchemaHistory& history) {
  sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE);
  try {
    SchemaCheck check = check_schema(db, history);
    sqlite3_close(db);
    return check;
  } catch (...) {
    sqlite3_close(db);
    throw;
  }
}

UpgradeReport Index::upgrade(const std::string& path, const UpgradeContext& context, const SchemaHistory& history) {
  sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE);
  try {
    UpgradeReport report = upgrade_schema(db, history, context);
    sqlite3_close(db);
    return report;
  } catch (...) {
    sqlite3_close(db);
    throw;
  }
}

void Index::exec(const char* sql) { exec_sql(m_db, sql, "index update failed"); }


void Index::add_pending(const std::vector<Bytes>& uids, std::int64_t now) {
  bool own = sqlite3_get_autocommit(m_db) != 0;
  if (own) exec("BEGIN IMMEDIATE");
  try {
    for (const auto& uid : uids)
      Statement(m_db, "INSERT INTO pending_writes(uid, started_at) VALUES (?, ?)").bind(uid).bind(now).run();
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
    for (const auto& uid : uids) Statement(m_db, "DELETE FROM pending_writes WHERE uid = ?").bind(uid).run();
    if (own) exec("COMMIT");
  } catch (...) {
    if (own) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<Bytes> Index::pending() const {
  Statement s(m_db, "SELECT uid FROM pending_writes ORDER BY started_at");
  std::vector<Bytes> out;
  while (s.step()) out.push_back(s.blob());
  return out;
}

}  // namespace kaappi
