// schema.h — the layout of the index and how an older one is upgraded.
//
// A layout is identified by its whole schema, not by its number alone: the
// PRAGMA user_version and every table, index and other object exactly as
// SQLite stores it in sqlite_schema. Opening the index compares it with the
// layouts kaappi knows (docs/FORMAT.md, "Schema versions and upgrades"):
//   - the current layout: the index is used as it is;
//   - an older layout with a migration path: the index needs an upgrade,
//     which runs every step from there to the current layout in one
//     transaction (upgrade_schema());
//   - a layout made by pre-release code: known, but cannot be upgraded;
//   - anything else: the schema was altered outside kaappi.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/secret.h"
#include "keys/key_file.h"
#include "store/format1.h"

struct sqlite3;

namespace kaappi {

struct SchemaObject {
  std::string type, name, sql;
  bool operator<(const SchemaObject& o) const;
  bool operator==(const SchemaObject& o) const;
};

// The objects of a database's sqlite_schema.
std::set<SchemaObject> read_schema(sqlite3* db);

class SchemaLayout {
 public:
  // `ddl`: the statements that create the layout.
  SchemaLayout(std::int64_t version, std::vector<std::string> ddl);
  std::int64_t version() const { return m_version; }
  const std::vector<std::string>& ddl() const { return m_ddl; }
  // The layout as SQLite stores it once `ddl` has run.
  const std::set<SchemaObject>& objects() const { return m_objects; }
  bool matches(std::int64_t version, const std::set<SchemaObject>& objects) const;

 private:
  std::int64_t m_version;
  std::vector<std::string> m_ddl;
  std::set<SchemaObject> m_objects;
};

// What an upgrade step may need: the archive's signing key (null when the
// caller has none), the head this machine remembers of the archive (a
// format-1 head, which the archive must continue), the time, and the
// archive's folder (its blobs are read, never written, by the upgrade to
// format 2).
struct UpgradeContext {
  const UnlockedKey* key = nullptr;  // null when no step needs it
  std::optional<Format1Head> remembered;
  std::int64_t now = 0;
  std::string archive_root;
};

// One step of an upgrade: turns an index of layout `from` into the next
// layout (the next step's `from`, or the current one). It runs inside the
// upgrade's transaction; its SQL, and signing what it changes, are its own
// business. A step that signs says so (needs_key) and then gets the
// archive's signing key.
struct MigrationStep {
  SchemaLayout from;
  std::string change;  // what it does, for the user: "added the table of ..."
  std::function<void(sqlite3* db, const UpgradeContext& context)> apply;
  bool needs_key = false;
};

struct SchemaHistory {
  SchemaLayout current;
  std::vector<MigrationStep> steps;       // oldest first
  std::vector<SchemaLayout> pre_release;  // layouts of pre-release code: known, not upgradable
};

// The CREATE statements of today's layout: the signed tables
// (signed_tables.h), the transactions, pending writes and the indexes.
std::vector<std::string> current_schema_ddl();
// kaappi's own layouts (schema_history.cpp).
const SchemaHistory& schema_history();

enum class SchemaState { current, needs_upgrade, pre_release, altered };

struct SchemaCheck {
  SchemaState state = SchemaState::altered;
  std::int64_t version = 0;           // the index's user_version
  size_t first_step = 0;              // needs_upgrade: where the upgrade starts
  std::vector<std::string> problems;  // altered: what differs from the current layout
};

SchemaCheck check_schema(sqlite3* db, const SchemaHistory& history);

// What an upgrade did: the layout it found, the one it left, each step's change.
struct UpgradeReport {
  std::int64_t from_version = 0, to_version = 0;
  std::vector<std::string> changes;  // empty: the index was current
};

// Upgrades an index that needs it, in one transaction; does nothing to a
// current one. Throws for an altered or pre-release layout, and (auth) when a
// step needs the key and the context has none; nothing is changed then.
UpgradeReport upgrade_schema(sqlite3* db, const SchemaHistory& history, const UpgradeContext& context);
// Whether upgrading an index of this check's layout needs the key.
bool upgrade_needs_key(const SchemaHistory& history, const SchemaCheck& check);

}  // namespace kaappi
