// schema.cpp — see schema.h.
#include "store/schema.h"

#include <sqlite3.h>

#include <tuple>

#include "base/error.h"
#include "base/fault.h"
#include "store/row_hash_lists.h"
#include "store/signed_tables.h"
#include "store/statement.h"
#include "store/transactions.h"

namespace kaappi {

bool SchemaObject::operator<(const SchemaObject& o) const {
  return std::tie(type, name, sql) < std::tie(o.type, o.name, o.sql);
}

bool SchemaObject::operator==(const SchemaObject& o) const {
  return type == o.type && name == o.name && sql == o.sql;
}

std::set<SchemaObject> read_schema(sqlite3* db) {
  std::set<SchemaObject> out;
  Statement s(db, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema");
  while (s.step()) {
    SchemaObject o;
    o.type = s.text();
    o.name = s.text();
    o.sql = s.text();
    out.insert(o);
  }
  return out;
}

namespace {

std::int64_t user_version(sqlite3* db) {
  Statement s(db, "PRAGMA user_version");
  return s.step() ? s.i64() : 0;
}

}  // namespace

SchemaLayout::SchemaLayout(std::int64_t version, std::vector<std::string> ddl)
    : m_version(version), m_ddl(std::move(ddl)) {
  sqlite3* db = open_db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  try {
    for (const auto& sql : m_ddl) exec_sql(db, sql.c_str(), "an index layout does not build");
    m_objects = read_schema(db);
  } catch (...) {
    sqlite3_close(db);
    throw;
  }
  sqlite3_close(db);
}

bool SchemaLayout::matches(std::int64_t version, const std::set<SchemaObject>& objects) const {
  return version == m_version && objects == m_objects;
}

std::vector<std::string> current_schema_ddl() {
  std::vector<std::string> out;
  for_each_signed_table([&](const auto& table) { out.push_back(table.ddl()); });
  for (const char* sql : {
           transactions_ddl(),
           row_hashes_ddl(),
           "CREATE TABLE pending_writes(uid BLOB PRIMARY KEY, started_at INTEGER NOT NULL) STRICT",
           "CREATE INDEX documents_by_content ON documents(content_tag)",
           "CREATE INDEX documents_by_customer ON documents(customer_id)",
           "CREATE INDEX documents_by_blob_uid ON documents(blob_uid)",
           "CREATE INDEX document_assignments_by_customer ON document_assignments(customer_id)",
           "CREATE INDEX document_assignments_by_content ON document_assignments(content_tag)",
           "CREATE INDEX document_assignments_by_document ON document_assignments(document_id)",
           "CREATE INDEX document_kinds_by_document ON document_kinds(document_id)",
           "CREATE INDEX consent_events_by_customer ON consent_events(customer_id)",
       })
    out.emplace_back(sql);
  return out;
}

SchemaCheck check_schema(sqlite3* db, const SchemaHistory& history) {
  SchemaCheck out;
  out.version = user_version(db);
  auto actual = read_schema(db);
  if (history.current.matches(out.version, actual)) {
    out.state = SchemaState::current;
    return out;
  }
  for (size_t i = 0; i < history.steps.size(); ++i)
    if (history.steps[i].from.matches(out.version, actual)) {
      out.state = SchemaState::needs_upgrade;
      out.first_step = i;
      return out;
    }
  for (const auto& layout : history.pre_release)
    if (layout.matches(out.version, actual)) {
      out.state = SchemaState::pre_release;
      out.problems.push_back("the index has the layout of a pre-release kaappi (schema version " +
                             std::to_string(out.version) + "), which cannot be upgraded");
      return out;
    }
  const auto& expected = history.current.objects();
  for (const auto& o : actual)
    if (!expected.count(o)) out.problems.push_back("unexpected " + o.type + " '" + o.name + "' in the index schema");
  for (const auto& o : expected)
    if (!actual.count(o)) out.problems.push_back(o.type + " '" + o.name + "' is missing or changed in the index schema");
  if (out.version != history.current.version())
    out.problems.push_back("index schema version is " + std::to_string(out.version) + ", expected " +
                           std::to_string(history.current.version()));
  return out;
}

UpgradeReport upgrade_schema(sqlite3* db, const SchemaHistory& history, const UpgradeContext& context) {
  exec_sql(db, "BEGIN IMMEDIATE", "cannot upgrade the index");
  try {
    SchemaCheck check = check_schema(db, history);
    UpgradeReport report;
    report.from_version = report.to_version = check.version;
    if (check.state == SchemaState::current) {
      exec_sql(db, "ROLLBACK", "cannot upgrade the index");
      return report;
    }
    if (check.state != SchemaState::needs_upgrade)
      fail(ErrorKind::corrupt, "the archive index cannot be upgraded (" + check.problems.front() + "); nothing was changed");
    for (size_t i = check.first_step; i < history.steps.size(); ++i)
      if (history.steps[i].needs_key && context.key == nullptr)
        fail(ErrorKind::auth, "upgrading the index from schema version " +
                                  std::to_string(history.steps[i].from.version()) +
                                  " signs it anew and needs the key; nothing was changed");
    for (size_t i = check.first_step; i < history.steps.size(); ++i) {
      history.steps[i].apply(db, context);
      const SchemaLayout& next = i + 1 < history.steps.size() ? history.steps[i + 1].from : history.current;
      exec_sql(db, ("PRAGMA user_version=" + std::to_string(next.version())).c_str(), "cannot upgrade the index");
      if (!next.matches(user_version(db), read_schema(db)))
        fail(ErrorKind::internal, "upgrading the index from schema version " +
                                      std::to_string(history.steps[i].from.version()) +
                                      " did not give the next layout; nothing was changed");
      report.changes.push_back(history.steps[i].change);
      report.to_version = next.version();
    }
    fault::point("upgrade.commit");
    exec_sql(db, "COMMIT", "cannot upgrade the index");
    fault::point("upgrade.committed");
    return report;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

bool upgrade_needs_key(const SchemaHistory& history, const SchemaCheck& check) {
  if (check.state != SchemaState::needs_upgrade) return false;
  for (size_t i = check.first_step; i < history.steps.size(); ++i)
    if (history.steps[i].needs_key) return true;
  return false;
}

}  // namespace kaappi
