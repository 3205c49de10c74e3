// test_signed_tables.cpp — the signed tables' descriptions give exactly the
// DDL that archives hold, the format-1 signing bytes that format-1 archives
// were signed with (kaappi upgrade checks them), and the table codes and
// sealed columns of format 2's row hashes.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "store/schema.h"
#include "store/signed_tables.h"

using namespace kaappi;

namespace {

// The signing bytes as the hand-written encoding of the first releases made
// them (docs/FORMAT.md, "Row signatures"), written out independently of the
// descriptions.
class Expected {
 public:
  Expected(const char* table, const Bytes& archive_id) {
    put_bytes(m_bytes, as_bytes("kaappi-row-v1"));
    put_bytes(m_bytes, archive_id);
    s(table);
  }
  Expected& i(std::int64_t v) {
    put_u8(m_bytes, 'i');
    put_u64(m_bytes, static_cast<std::uint64_t>(v));
    return *this;
  }
  Expected& s(std::string_view v) {
    put_u8(m_bytes, 's');
    put_u32(m_bytes, static_cast<std::uint32_t>(v.size()));
    put_bytes(m_bytes, as_bytes(v));
    return *this;
  }
  Expected& b(const Bytes& v) {
    put_u8(m_bytes, 'b');
    put_u32(m_bytes, static_cast<std::uint32_t>(v.size()));
    put_bytes(m_bytes, v);
    return *this;
  }
  const Bytes& bytes() const { return m_bytes; }

 private:
  Bytes m_bytes;
};

Bytes fixed(std::uint8_t seed, size_t n) {
  Bytes out(n);
  for (size_t k = 0; k < n; ++k) out[k] = static_cast<std::uint8_t>(seed + k);
  return out;
}

const Bytes k_archive_id = fixed(0xa0, 16);

}  // namespace

template <typename Row>
Bytes signing_bytes(const Row& row, const Bytes& archive_id) {
  return table_of<Row>().format1_signing_bytes(row, archive_id);
}

TEST_CASE("every row kind's format-1 signing bytes are those format 1 signed", "[signed-tables]") {
  SECTION("archive") {
    ArchiveRow r;
    r.seq = 1;
    r.archive_id = k_archive_id;
    r.format_version = 1;
    r.box_pk = fixed(1, 32);
    r.sign_pk = fixed(2, 32);
    r.created_at = 1700000000;
    CHECK(signing_bytes(r, r.archive_id) ==
          Expected("archive", k_archive_id).i(1).i(1).b(r.box_pk).b(r.sign_pk).i(1700000000).bytes());
  }
  SECTION("customers") {
    CustomerRow r;
    r.seq = 2;
    r.id = 7;
    r.uid = fixed(3, 16);
    r.number_tag = fixed(4, 32);
    r.created_at = 1700000001;
    CHECK(signing_bytes(r, k_archive_id) ==
          Expected("customers", k_archive_id).i(2).i(7).b(r.uid).b(r.number_tag).i(1700000001).bytes());
  }
  SECTION("customer_versions") {
    CustomerVersionRow r;
    r.seq = 3;
    r.id = 8;
    r.uid = fixed(5, 16);
    r.customer_id = 7;
    r.version = 2;
    r.recorded_at = 1700000002;
    r.number = fixed(10, 3);
    r.name = fixed(11, 4);
    r.business_id = fixed(12, 5);
    r.email = fixed(13, 6);
    r.phone = {};
    r.address = fixed(15, 8);
    r.details = fixed(16, 9);
    r.search = fixed(17, 10);
    CHECK(signing_bytes(r, k_archive_id) == Expected("customer_versions", k_archive_id)
                                                 .i(3).i(8).b(r.uid).i(7).i(2).i(1700000002)
                                                 .b(r.number).b(r.name).b(r.business_id).b(r.email).b(r.phone)
                                                 .b(r.address).b(r.details).b(r.search)
                                                 .bytes());
  }
  SECTION("documents, with and without a customer") {
    DocumentRow r;
    r.seq = 4;
    r.id = 9;
    r.uid = fixed(20, 16);
    r.customer_id = GENERATE(7, 0);
    r.kind = "consent-form";
    r.pages = 2;
    r.plain_size = 1234;
    r.blob_size = 1500;
    r.blob_hash = fixed(21, 32);
    r.sealed_key = fixed(22, 80);
    r.content_tag = fixed(23, 32);
    r.meta = fixed(24, 50);
    r.imported_at = 1700000003;
    r.assigned_to = 5;  // not signed
    CHECK(signing_bytes(r, k_archive_id) == Expected("documents", k_archive_id)
                                                 .i(4).i(9).b(r.uid).i(r.customer_id).s("consent-form").i(2)
                                                 .i(1234).i(1500).b(r.blob_hash).b(r.sealed_key).b(r.content_tag)
                                                 .b(r.meta).i(1700000003)
                                                 .bytes());
  }
  SECTION("document_assignments") {
    AssignmentRow r;
    r.seq = 5;
    r.id = 1;
    r.uid = fixed(30, 16);
    r.document_id = 9;
    r.customer_id = 7;
    r.at = 1700000004;
    CHECK(signing_bytes(r, k_archive_id) ==
          Expected("document_assignments", k_archive_id).i(5).i(1).b(r.uid).i(9).i(7).i(1700000004).bytes());
  }
  SECTION("consent_events") {
    ConsentEventRow r;
    r.seq = 6;
    r.id = 3;
    r.uid = fixed(31, 16);
    r.customer_id = 7;
    r.recorded_at = 1700000005;
    r.event = fixed(32, 70);
    CHECK(signing_bytes(r, k_archive_id) ==
          Expected("consent_events", k_archive_id).i(6).i(3).b(r.uid).i(7).i(1700000005).b(r.event).bytes());
  }
  SECTION("access_log") {
    AccessRow r;
    r.seq = 7;
    r.id = 4;
    r.uid = fixed(33, 16);
    r.document_id = 9;
    r.at = 1700000006;
    r.action = "get";
    r.reason = fixed(34, 40);
    CHECK(signing_bytes(r, k_archive_id) ==
          Expected("access_log", k_archive_id).i(7).i(4).b(r.uid).i(9).i(1700000006).s("get").b(r.reason).bytes());
  }
  SECTION("stations") {
    StationRow r;
    r.seq = 8;
    r.id = 2;
    r.uid = fixed(35, 16);
    r.name = fixed(36, 30);
    r.sign_pk = fixed(37, 32);
    r.added_at = 1700000007;
    CHECK(signing_bytes(r, k_archive_id) ==
          Expected("stations", k_archive_id).i(8).i(2).b(r.uid).b(r.name).b(r.sign_pk).i(1700000007).bytes());
  }
  SECTION("station_revocations") {
    StationRevocationRow r;
    r.seq = 9;
    r.id = 1;
    r.uid = fixed(38, 16);
    r.station_id = 2;
    r.revoked_at = 1700000008;
    CHECK(signing_bytes(r, k_archive_id) ==
          Expected("station_revocations", k_archive_id).i(9).i(1).b(r.uid).i(2).i(1700000008).bytes());
  }
}

TEST_CASE("the described tables create exactly the schema existing archives hold", "[signed-tables]") {
  // k_schema of src/index.cpp before the tables were described (schema version 3).
  const std::set<std::string> before = {
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
      "customer_id INTEGER REFERENCES customers(id), kind TEXT NOT NULL, pages INTEGER NOT NULL, "
      "plain_size INTEGER NOT NULL, blob_size INTEGER NOT NULL, blob_hash BLOB NOT NULL, sealed_key BLOB NOT NULL, "
      "content_tag BLOB NOT NULL, meta BLOB NOT NULL, imported_at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, "
      "sig BLOB NOT NULL) STRICT",
      "CREATE INDEX documents_by_content ON documents(content_tag)",
      "CREATE INDEX documents_by_customer ON documents(customer_id)",
      "CREATE TABLE document_assignments(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, "
      "document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id), customer_id INTEGER NOT NULL REFERENCES "
      "customers(id), at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, sig BLOB NOT NULL) STRICT",
      "CREATE INDEX document_assignments_by_customer ON document_assignments(customer_id)",
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
  };
  // Schema version 3 is the released layout the upgrade to 4 starts from.
  const auto& v3 = schema_history().steps.at(0).from;
  CHECK(v3.version() == 3);
  CHECK(std::set<std::string>(v3.ddl().begin(), v3.ddl().end()) == before);
  // Version 4 adds the restores table and nothing else.
  std::set<std::string> v4 = before;
  v4.insert(
      "CREATE TABLE restores(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, lost_seq INTEGER NOT NULL, "
      "lost_digest BLOB NOT NULL, at INTEGER NOT NULL, reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE, "
      "sig BLOB NOT NULL) STRICT");
  const auto& layout_4 = schema_history().steps.at(1).from;
  CHECK(layout_4.version() == 4);
  CHECK(std::set<std::string>(layout_4.ddl().begin(), layout_4.ddl().end()) == v4);
  // Version 5 (format 2): no row signature and no head, restores name a lost
  // transaction, documents have blob_uid, and the upgrades and transactions tables.
  std::set<std::string> v5;
  for (std::string sql : v4) {
    if (sql.rfind("CREATE TABLE head(", 0) == 0) continue;
    const std::string sig = ", sig BLOB NOT NULL";
    if (size_t at = sql.find(sig); at != std::string::npos) sql.erase(at, sig.size());
    if (size_t at = sql.find("lost_seq"); at != std::string::npos) sql.replace(at, 8, "lost_tx");
    if (sql.rfind("CREATE TABLE access_log(", 0) == 0) {
      const std::string link = "REFERENCES documents(id),";
      sql.insert(sql.find(link) + link.size(), " customer_id INTEGER REFERENCES customers(id),");
    }
    if (sql.rfind("CREATE TABLE document_assignments(", 0) == 0) {
      const std::string at_column = "at INTEGER NOT NULL,";
      sql.insert(sql.find(at_column) + at_column.size(), " content_tag BLOB, reason BLOB,");
      // A document may be moved again (FORMAT.md, "document_assignments").
      const std::string unique = "document_id INTEGER NOT NULL UNIQUE";
      REQUIRE(sql.find(unique) != std::string::npos);
      sql.replace(sql.find(unique), unique.size(), "document_id INTEGER NOT NULL");
    }
    if (sql.rfind("CREATE TABLE documents(", 0) == 0) {
      const std::string uid_column = "uid BLOB NOT NULL UNIQUE,";
      sql.insert(sql.find(uid_column) + uid_column.size(), " blob_uid BLOB NOT NULL,");
      // The document a second copy was stored beside (FORMAT.md, "Index").
      const std::string imported_at = "imported_at INTEGER NOT NULL,";
      sql.insert(sql.find(imported_at) + imported_at.size(), " twin_of INTEGER REFERENCES documents(id),");
    }
    // Erasable values (FORMAT.md, "Index") may be NULL.
    const std::map<std::string, std::vector<std::string>> erasable = {
        {"customers", {"number_tag"}},
        {"customer_versions", {"number", "name", "business_id", "email", "phone", "address", "details", "search"}},
        {"consent_events", {"event"}},
        {"access_log", {"reason"}},
        {"documents", {"sealed_key", "content_tag", "meta"}},
    };
    for (const auto& [table, columns] : erasable)
      if (sql.rfind("CREATE TABLE " + table + "(", 0) == 0)
        for (const std::string& column : columns) {
          const std::string not_null = " " + column + " BLOB NOT NULL";
          REQUIRE(sql.find(not_null) != std::string::npos);
          sql.erase(sql.find(not_null) + 1 + column.size() + 5, 9);
        }
    v5.insert(sql);
  }
  v5.insert(
      "CREATE TABLE customer_keys(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL UNIQUE REFERENCES "
      "customers(id), wrapped BLOB, seq INTEGER NOT NULL UNIQUE) STRICT");
  v5.insert(
      "CREATE TABLE erasures(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, at INTEGER NOT NULL, erased BLOB NOT "
      "NULL, reason BLOB NOT NULL, seq INTEGER NOT NULL UNIQUE) STRICT");
  v5.insert("CREATE INDEX document_assignments_by_content ON document_assignments(content_tag)");
  v5.insert("CREATE INDEX document_assignments_by_document ON document_assignments(document_id)");
  v5.insert("CREATE INDEX documents_by_blob_uid ON documents(blob_uid)");
  v5.insert(
      "CREATE TABLE upgrades(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, from_format INTEGER NOT NULL, "
      "old_seq INTEGER NOT NULL, old_digest BLOB NOT NULL, at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE) STRICT");
  v5.insert(
      "CREATE TABLE transactions(tx INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL UNIQUE, at INTEGER NOT NULL, "
      "rows BLOB NOT NULL, digest BLOB NOT NULL, sig BLOB NOT NULL) STRICT");
  v5.insert("CREATE TABLE row_hashes(tx INTEGER PRIMARY KEY, hashes BLOB NOT NULL) STRICT");
  // A data subject's requests and what became of them (rights/requests.h).
  v5.insert(
      "CREATE TABLE requests(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, customer_id INTEGER NOT NULL "
      "REFERENCES customers(id), kind TEXT NOT NULL, received TEXT NOT NULL, channel TEXT NOT NULL, at INTEGER NOT "
      "NULL, details BLOB, seq INTEGER NOT NULL UNIQUE) STRICT");
  v5.insert(
      "CREATE TABLE request_events(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, request_id INTEGER NOT NULL "
      "REFERENCES requests(id), action TEXT NOT NULL, at INTEGER NOT NULL, details BLOB, seq INTEGER NOT NULL "
      "UNIQUE, UNIQUE(request_id, action)) STRICT");
  // Retention (rights/retention.h, rights/erasure.h).
  v5.insert(
      "CREATE TABLE hold_rules(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, kind TEXT NOT NULL, years INTEGER NOT "
      "NULL, from_date TEXT NOT NULL, at INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE) STRICT");
  v5.insert(
      "CREATE TABLE holds(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, document_id INTEGER REFERENCES "
      "documents(id), customer_id INTEGER REFERENCES customers(id), until TEXT NOT NULL, at INTEGER NOT NULL, reason "
      "BLOB, seq INTEGER NOT NULL UNIQUE) STRICT");
  v5.insert(
      "CREATE TABLE restrictions(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, customer_id INTEGER REFERENCES "
      "customers(id), document_id INTEGER REFERENCES documents(id), until TEXT NOT NULL, at INTEGER NOT NULL, seq "
      "INTEGER NOT NULL UNIQUE) STRICT");
  // Every read of personal data (rights/personal_reads.h).
  v5.insert(
      "CREATE TABLE reads(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, at INTEGER NOT NULL, action TEXT NOT "
      "NULL, customers BLOB NOT NULL, reason BLOB, seq INTEGER NOT NULL UNIQUE) STRICT");
  // Corrections of a document's kind (documents/documents.h, set_document_kind).
  v5.insert(
      "CREATE TABLE document_kinds(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, document_id INTEGER NOT NULL "
      "REFERENCES documents(id), kind TEXT NOT NULL, at INTEGER NOT NULL, reason BLOB, seq INTEGER NOT NULL UNIQUE) "
      "STRICT");
  v5.insert("CREATE INDEX document_kinds_by_document ON document_kinds(document_id)");
  // Printed forms (forms/form_instances.h).
  v5.insert(
      "CREATE TABLE form_instances(id INTEGER PRIMARY KEY, uid BLOB NOT NULL UNIQUE, instance BLOB NOT NULL UNIQUE, "
      "template INTEGER NOT NULL, language TEXT NOT NULL, customer_id INTEGER REFERENCES customers(id), at INTEGER "
      "NOT NULL, seq INTEGER NOT NULL UNIQUE) STRICT");
  auto ddl = current_schema_ddl();
  CHECK(std::set<std::string>(ddl.begin(), ddl.end()) == v5);
  CHECK(ddl.size() == v5.size());
  CHECK(schema_history().current.version() == 5);
}

TEST_CASE("each table's code and sealed columns in row hashes are docs/FORMAT.md's", "[signed-tables]") {
  // FORMAT.md, "Index": the table order gives the codes; sealed columns are
  // hashed by their value's hash.
  const std::map<std::string, std::pair<int, std::set<std::string>>> expected = {
      {"archive", {0, {}}},
      {"customers", {1, {"number_tag"}}},
      {"customer_keys", {2, {"wrapped"}}},
      {"customer_versions", {3, {"number", "name", "business_id", "email", "phone", "address", "details", "search"}}},
      {"consent_events", {4, {"event"}}},
      {"documents", {5, {"sealed_key", "content_tag", "meta"}}},
      {"document_assignments", {6, {"content_tag", "reason"}}},
      {"access_log", {7, {"reason"}}},
      {"stations", {8, {"name"}}},
      {"station_revocations", {9, {}}},
      {"restores", {10, {"reason"}}},
      {"erasures", {11, {"reason"}}},
      {"upgrades", {12, {}}},
      {"requests", {13, {"details"}}},
      {"request_events", {14, {"details"}}},
      {"hold_rules", {15, {}}},
      {"holds", {16, {"reason"}}},
      {"restrictions", {17, {}}},
      {"reads", {18, {"customers", "reason"}}},
      {"document_kinds", {19, {"reason"}}},
      {"form_instances", {20, {}}},
  };
  // Of those, the erasable ones (FORMAT.md, "Index"): one person's or one document's.
  const std::set<std::string> erasable = {
      "customers.number_tag",          "customer_keys.wrapped",         "customer_versions.number",
      "customer_versions.name",        "customer_versions.business_id", "customer_versions.email",
      "customer_versions.phone",       "customer_versions.address",     "customer_versions.details",
      "customer_versions.search",      "consent_events.event",          "access_log.reason",
      "documents.sealed_key",          "documents.content_tag",         "documents.meta",
      "document_assignments.content_tag", "requests.details",         "request_events.details",
      "holds.reason", "document_assignments.reason", "document_kinds.reason", "reads.reason"};
  std::set<std::string> erasable_seen;
  size_t seen = 0;
  for_each_signed_table([&](const auto& table) {
    INFO(table.name());
    auto want = expected.find(table.name());
    REQUIRE(want != expected.end());
    CHECK(table.code() == want->second.first);
    std::set<std::string> sealed;
    for (const auto& c : table.columns())
      if (c.role == ColumnRole::sealed) sealed.insert(c.name);
    CHECK(sealed == want->second.second);
    for (const auto& c : table.columns()) {
      if (c.erasable) erasable_seen.insert(std::string(table.name()) + "." + c.name);
      // An erasable value's SQL allows NULL, as does an empty link's; no other column's does.
      if (std::string(c.sql).find("PRIMARY KEY") == std::string::npos)
        CHECK((std::string(c.sql).find("NOT NULL") == std::string::npos) == (c.erasable || c.encoding == Encoding::id_or_null));
    }
    CHECK(std::string(table.columns().back().name) == "seq");
    ++seen;
  });
  CHECK(seen == expected.size());
  CHECK(erasable_seen == erasable);
}

TEST_CASE("a table's statements come from its description", "[signed-tables]") {
  const auto& t = table_of<StationRevocationRow>();
  CHECK(t.column_list() == "id, uid, station_id, revoked_at, seq");
  CHECK(t.column_list("r.") == "r.id, r.uid, r.station_id, r.revoked_at, r.seq");
  CHECK(t.insert_sql() == "INSERT INTO station_revocations(id, uid, station_id, revoked_at, seq) VALUES (?, ?, ?, ?, ?)");
  const auto& v = table_of<CustomerVersionRow>();
  CustomerVersionRow row;
  row.id = 12;
  row.customer_id = 3;
  row.version = 2;
  CHECK(v.label(v.label_values(row)) == "customer 3 version 2");
  CHECK(v.describe(row, v.names().signature_detail) == "customer 3 version 2 (row 12) does not match its signature");
  CHECK(table_of<ArchiveRow>().label(table_of<ArchiveRow>().label_values(ArchiveRow{})) == "archive record");
}
