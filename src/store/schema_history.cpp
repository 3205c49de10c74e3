// schema_history.cpp — kaappi's own index layouts: today's, the steps that
// upgrade older ones, and the layouts of pre-release code. A format change
// adds the layout it replaces here as the `from` of a new step (keeping its
// version number and DDL exactly as they were) and bumps k_current_version.
#include "store/schema.h"

#include "store/format2_upgrade.h"
#include "store/statement.h"

namespace kaappi {
namespace {

constexpr std::int64_t k_current_version = 5;

// Layouts made by code before the first release. They stay listed so that
// such an index is named for what it is, not called altered.
std::vector<SchemaLayout> pre_release_layouts() {
  return {
      // Schema version 1: the first archive core (ab88a47).
      SchemaLayout(1, {
          "CREATE TABLE archive(id INTEGER PRIMARY KEY CHECK (id = 1), archive_id BLOB NOT NULL, "
          "format_version INTEGER NOT NULL, box_pk BLOB NOT NULL, sign_pk BLOB NOT NULL, created_at INTEGER NOT NULL, "
          "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, digest BLOB NOT NULL, "
          "sig BLOB NOT NULL) STRICT",
          "CREATE TABLE customers(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, number_tag BLOB NOT NULL UNIQUE, "
          "created_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE customer_versions(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), version INTEGER NOT NULL, recorded_at INTEGER NOT NULL, "
          "number BLOB NOT NULL, name BLOB NOT NULL, business_id BLOB NOT NULL, email BLOB NOT NULL, phone BLOB NOT NULL, "
          "address BLOB NOT NULL, details BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL, "
          "UNIQUE(customer_id, version)) STRICT",
          "CREATE TABLE documents(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), kind TEXT NOT NULL, pages INTEGER NOT NULL, "
          "plain_size INTEGER NOT NULL, blob_size INTEGER NOT NULL, blob_hash BLOB NOT NULL, sealed_key BLOB NOT NULL, "
          "content_tag BLOB NOT NULL, meta BLOB NOT NULL, imported_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, "
          "sig BLOB NOT NULL) STRICT",
          "CREATE INDEX documents_by_content ON documents(customer_id, content_tag)",
          "CREATE TABLE consent_events(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), recorded_at INTEGER NOT NULL, event BLOB NOT NULL, "
          "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE INDEX consent_events_by_customer ON consent_events(customer_id)",
          "CREATE TABLE access_log(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "document_id INTEGER NOT NULL REFERENCES documents(id), at INTEGER NOT NULL, action TEXT NOT NULL, "
          "reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE pending_writes(uid BLOB PRIMARY KEY, started_at INTEGER NOT NULL) STRICT",
      }),
      // Schema version 2: the customer register and consent ledger (97fb889).
      SchemaLayout(2, {
          "CREATE TABLE archive(id INTEGER PRIMARY KEY CHECK (id = 1), archive_id BLOB NOT NULL, "
          "format_version INTEGER NOT NULL, box_pk BLOB NOT NULL, sign_pk BLOB NOT NULL, created_at INTEGER NOT NULL, "
          "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, digest BLOB NOT NULL, "
          "sig BLOB NOT NULL) STRICT",
          "CREATE TABLE customers(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, number_tag BLOB NOT NULL UNIQUE, "
          "created_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE customer_versions(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), version INTEGER NOT NULL, recorded_at INTEGER NOT NULL, "
          "number BLOB NOT NULL, name BLOB NOT NULL, business_id BLOB NOT NULL, email BLOB NOT NULL, phone BLOB NOT NULL, "
          "address BLOB NOT NULL, details BLOB NOT NULL, search BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, "
          "sig BLOB NOT NULL, UNIQUE(customer_id, version)) STRICT",
          "CREATE TABLE documents(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), kind TEXT NOT NULL, pages INTEGER NOT NULL, "
          "plain_size INTEGER NOT NULL, blob_size INTEGER NOT NULL, blob_hash BLOB NOT NULL, sealed_key BLOB NOT NULL, "
          "content_tag BLOB NOT NULL, meta BLOB NOT NULL, imported_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, "
          "sig BLOB NOT NULL) STRICT",
          "CREATE INDEX documents_by_content ON documents(customer_id, content_tag)",
          "CREATE TABLE consent_events(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), recorded_at INTEGER NOT NULL, event BLOB NOT NULL, "
          "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE INDEX consent_events_by_customer ON consent_events(customer_id)",
          "CREATE TABLE access_log(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "document_id INTEGER NOT NULL REFERENCES documents(id), at INTEGER NOT NULL, action TEXT NOT NULL, "
          "reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE pending_writes(uid BLOB PRIMARY KEY, started_at INTEGER NOT NULL) STRICT",
      }),
      // Schema version 3: scanning stations, before unassigned scans (e8d0e92).
      SchemaLayout(3, {
          "CREATE TABLE archive(id INTEGER PRIMARY KEY CHECK (id = 1), archive_id BLOB NOT NULL, "
          "format_version INTEGER NOT NULL, box_pk BLOB NOT NULL, sign_pk BLOB NOT NULL, created_at INTEGER NOT NULL, "
          "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, digest BLOB NOT NULL, "
          "sig BLOB NOT NULL) STRICT",
          "CREATE TABLE customers(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, number_tag BLOB NOT NULL UNIQUE, "
          "created_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE customer_versions(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), version INTEGER NOT NULL, recorded_at INTEGER NOT NULL, "
          "number BLOB NOT NULL, name BLOB NOT NULL, business_id BLOB NOT NULL, email BLOB NOT NULL, phone BLOB NOT NULL, "
          "address BLOB NOT NULL, details BLOB NOT NULL, search BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, "
          "sig BLOB NOT NULL, UNIQUE(customer_id, version)) STRICT",
          "CREATE TABLE documents(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), kind TEXT NOT NULL, pages INTEGER NOT NULL, "
          "plain_size INTEGER NOT NULL, blob_size INTEGER NOT NULL, blob_hash BLOB NOT NULL, sealed_key BLOB NOT NULL, "
          "content_tag BLOB NOT NULL, meta BLOB NOT NULL, imported_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, "
          "sig BLOB NOT NULL) STRICT",
          "CREATE INDEX documents_by_content ON documents(customer_id, content_tag)",
          "CREATE TABLE consent_events(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "customer_id INTEGER NOT NULL REFERENCES customers(id), recorded_at INTEGER NOT NULL, event BLOB NOT NULL, "
          "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE INDEX consent_events_by_customer ON consent_events(customer_id)",
          "CREATE TABLE access_log(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "document_id INTEGER NOT NULL REFERENCES documents(id), at INTEGER NOT NULL, action TEXT NOT NULL, "
          "reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE pending_writes(uid BLOB PRIMARY KEY, started_at INTEGER NOT NULL) STRICT",
          "CREATE TABLE stations(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, name BLOB NOT NULL, "
          "sign_pk BLOB NOT NULL UNIQUE, added_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
          "CREATE TABLE station_revocations(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
          "station_id INTEGER NOT NULL UNIQUE REFERENCES stations(id), revoked_at INTEGER NOT NULL, "
          "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      }),  };
}

// Schema version 3: the first released layout (2026-11, tests/data/archive-v3.tar.gz).
std::vector<std::string> released_ddl_3() {
  return {
      "CREATE TABLE archive(id INTEGER PRIMARY KEY CHECK (id = 1), archive_id BLOB NOT NULL, "
      "format_version INTEGER NOT NULL, box_pk BLOB NOT NULL, sign_pk BLOB NOT NULL, created_at INTEGER NOT NULL, "
      "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE TABLE customers(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, number_tag BLOB NOT NULL UNIQUE, "
      "created_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE TABLE customer_versions(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
      "customer_id INTEGER NOT NULL REFERENCES customers(id), version INTEGER NOT NULL, recorded_at INTEGER NOT NULL, "
      "number BLOB NOT NULL, name BLOB NOT NULL, business_id BLOB NOT NULL, email BLOB NOT NULL, phone BLOB NOT NULL, "
      "address BLOB NOT NULL, details BLOB NOT NULL, search BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, "
      "sig BLOB NOT NULL, UNIQUE(customer_id, version)) STRICT",
      "CREATE TABLE documents(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
      "customer_id INTEGER REFERENCES customers(id), kind TEXT NOT NULL, pages INTEGER NOT NULL, "
      "plain_size INTEGER NOT NULL, blob_size INTEGER NOT NULL, blob_hash BLOB NOT NULL, sealed_key BLOB NOT NULL, "
      "content_tag BLOB NOT NULL, meta BLOB NOT NULL, imported_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, "
      "sig BLOB NOT NULL) STRICT",
      "CREATE TABLE document_assignments(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
      "document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id), customer_id INTEGER NOT NULL REFERENCES "
      "customers(id), at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE TABLE consent_events(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
      "customer_id INTEGER NOT NULL REFERENCES customers(id), recorded_at INTEGER NOT NULL, event BLOB NOT NULL, "
      "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE TABLE access_log(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
      "document_id INTEGER NOT NULL REFERENCES documents(id), at INTEGER NOT NULL, action TEXT NOT NULL, "
      "reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE TABLE stations(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, name BLOB NOT NULL, "
      "sign_pk BLOB NOT NULL UNIQUE, added_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE TABLE station_revocations(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
      "station_id INTEGER NOT NULL UNIQUE REFERENCES stations(id), revoked_at INTEGER NOT NULL, "
      "seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE TABLE head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, digest BLOB NOT NULL, "
      "sig BLOB NOT NULL) STRICT",
      "CREATE TABLE pending_writes(uid BLOB PRIMARY KEY, started_at INTEGER NOT NULL) STRICT",
      "CREATE INDEX documents_by_content ON documents(content_tag)",
      "CREATE INDEX documents_by_customer ON documents(customer_id)",
      "CREATE INDEX document_assignments_by_customer ON document_assignments(customer_id)",
      "CREATE INDEX consent_events_by_customer ON consent_events(customer_id)",
  };
}

constexpr const char* k_restores_ddl_4 =
    "CREATE TABLE restores(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
    "lost_seq INTEGER NOT NULL, lost_digest BLOB NOT NULL, at INTEGER NOT NULL, "
    "reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT";

SchemaLayout released_layout_3() { return SchemaLayout(3, released_ddl_3()); }

// Schema version 4: format 1 with restore acknowledgements (2026-11).
SchemaLayout released_layout_4() {
  std::vector<std::string> ddl = released_ddl_3();
  ddl.emplace_back(k_restores_ddl_4);
  return SchemaLayout(4, ddl);
}

// The steps from each released layout to the next, oldest first.
std::vector<MigrationStep> migration_steps() {
  std::vector<MigrationStep> steps;
  // 3 → 4: restore acknowledgements (kaappi accept-restore). Additive: no
  // row, signature or head changes, so no key is needed.
  steps.push_back({released_layout_3(), "added the table of restore acknowledgements (restores)",
                   [](sqlite3* db, const UpgradeContext&) {
                     exec_sql(db, k_restores_ddl_4, "cannot upgrade the index");
                   }});
  // 4 → 5: format 2 (docs/FORMAT.md, "Upgrade from format 1"): one
  // signature per transaction; the whole format-1 history becomes
  // transaction 1, signed anew after every format-1 signature is checked.
  steps.push_back({released_layout_4(),
                   "checked every format-1 signature and blob, then signed the archive's history anew as format 2 "
                   "(one signature per change; the format-1 head is named in the upgrades row; every blob hashed "
                   "anew with SHA-256, every sealed value sealed anew under format 2's keys)",
                   upgrade_format1_to_2, true});
  return steps;
}

}  // namespace

const SchemaHistory& schema_history() {
  static const SchemaHistory history{SchemaLayout(k_current_version, current_schema_ddl()), migration_steps(),
                                     pre_release_layouts()};
  return history;
}

}  // namespace kaappi
