// format2_keys_upgrade.cpp — see format2_keys_upgrade.h.
#include "store/format2_keys_upgrade.h"

#include <sodium.h>

#include <map>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/secret_arena.h"
#include "keys/blob_reader.h"
#include "keys/field_cipher.h"
#include "keys/index_keys.h"
#include "store/format2_layout_upgrade.h"
#include "store/signed_tables.h"
#include "store/statement.h"

namespace kaappi {
namespace {

void exec(sqlite3* db, const std::string& sql) { exec_sql(db, sql.c_str(), "cannot upgrade the index"); }

class Resealer {
 public:
  Resealer(sqlite3* db, const Bytes& archive_id, const UnlockedKey& key,
           const std::map<std::int64_t, RehashedContent>& rehashed)
      : m_db(db), m_key(key), m_format1(key.master, archive_id), m_keys(KeyFileSecrets(key), archive_id), m_rehashed(rehashed) {}

  std::vector<CustomerKeyRow> run() {
    exec(m_db, table_of<CustomerKeyRow>().ddl());
    rebuild_table<AccessRow>(m_db, "id, uid, document_id, at, action, reason, seq", "customer_id",
                       // The document's customer at the read: its own, or one an assignment gave it before.
                       "(SELECT coalesce(d.customer_id, (SELECT a.customer_id FROM document_assignments a WHERE "
                       "a.document_id = d.id AND a.seq < t.seq)) FROM documents d WHERE d.id = t.document_id)");
    // Format 1 assigned only unassigned scans: no assignment gave a reason (an empty value, not an erased one).
    rebuild_table<AssignmentRow>(m_db, "id, uid, document_id, customer_id, at, seq", "content_tag, reason", "x'', x''");
    exec(m_db, "CREATE INDEX document_assignments_by_customer ON document_assignments(customer_id)");
    exec(m_db, "CREATE INDEX document_assignments_by_content ON document_assignments(content_tag)");
    exec(m_db, "CREATE INDEX document_assignments_by_document ON document_assignments(document_id)");

    std::vector<CustomerKeyRow> keys = make_customer_keys();
    reseal_customer_versions();
    reseal_rows("consent_events", "customer_id", {"event"});
    reseal_documents();
    reseal_access_log();
    reseal_rows("stations", "", {"name"});
    reseal_rows("restores", "", {"reason"});
    return keys;
  }

 private:
  std::vector<CustomerKeyRow> make_customer_keys() {
    std::vector<CustomerKeyRow> out;
    Statement s(m_db, "SELECT id, uid FROM customers ORDER BY id");
    while (s.step()) {
      CustomerKeyRow row;
      row.customer_id = s.i64();
      row.id = row.customer_id;
      row.wrapped = m_keys.customer_keys().make(row.customer_id, s.blob());
      out.push_back(std::move(row));
    }
    return out;
  }

  // The sealer of a row's values: its customer's key (customer_column), or the field key.
  ValueSealer sealer_for(std::int64_t customer_id) const {
    if (customer_id != 0) return m_keys.customer(customer_id);
    return ValueSealer(m_keys.field().key(), m_keys.archive_id());
  }

  // Opens each of `columns` of every row of `table` with format 1's field
  // key and seals it anew under its customer's key (or the field key).
  void reseal_rows(const std::string& table, const std::string& customer_column, const std::vector<std::string>& columns) {
    std::string list;
    for (const auto& c : columns) list += ", " + c;
    Statement read(m_db, "SELECT id, uid, " + (customer_column.empty() ? std::string("0") : customer_column) + list +
                             " FROM " + table + " ORDER BY id");
    std::string set;
    for (const auto& c : columns) set += (set.empty() ? "" : ", ") + c + " = ?";
    Statement write(m_db, "UPDATE " + table + " SET " + set + " WHERE id = ?");
    while (read.step()) {
      const std::int64_t id = read.i64();
      const Bytes uid = read.blob();
      const ValueSealer sealer = sealer_for(read.i64());
      for (const auto& c : columns) {
        std::string value = m_format1.open(table, c, uid, read.blob());
        write.bind(sealer.seal(table, c, uid, value));
        sodium_memzero(value.data(), value.size());
      }
      write.bind(id);
      write.run();
      write.reset();
    }
  }

  void reseal_customer_versions() {
    reseal_rows("customer_versions", "customer_id",
                {"number", "name", "business_id", "email", "phone", "address", "details", "search"});
  }

  // Metadata under the document's metadata key, recording format 2's content
  // hash (and format 1's as content_hash_v1); the duplicate tag (and its
  // assignment's) under its customer's tag key, from format 2's content hash.
  void reseal_documents() {
    Statement read(m_db, "SELECT d.id, d.uid, coalesce(d.customer_id, 0), d.sealed_key, d.meta, "
                         "coalesce(a.customer_id, 0) FROM documents d LEFT JOIN document_assignments a ON "
                         "a.document_id = d.id ORDER BY d.id");
    Statement write(m_db, "UPDATE documents SET meta = ?, content_tag = ? WHERE id = ?");
    Statement assign(m_db, "UPDATE document_assignments SET content_tag = ? WHERE document_id = ?");
    while (read.step()) {
      const std::int64_t id = read.i64();
      const Bytes uid = read.blob();
      const std::int64_t customer_id = read.i64();
      SecretBuffer document_key = open_document_key(KeyFileSecrets(m_key), read.blob());
      std::string meta = m_format1.open("documents", "meta", uid, read.blob());
      const std::int64_t assigned_to = read.i64();
      const Bytes content_hash = rehash_meta(id, meta);
      write.bind(m_keys.document(document_key).seal("documents", "meta", uid, meta))
          .bind(content_tag(customer_id, content_hash))
          .bind(id);
      sodium_memzero(meta.data(), meta.size());
      write.run();
      write.reset();
      if (assigned_to != 0) {
        assign.bind(content_tag(assigned_to, content_hash)).bind(id);
        assign.run();
        assign.reset();
      }
      const SecretBuffer metadata_key = document_metadata_key(document_key);
      m_metadata_keys.emplace(id, m_metadata_arena.add(metadata_key.bytes()));
    }
  }

  Bytes content_tag(std::int64_t customer_id, const Bytes& content_hash) const {
    return m_keys.content_tag(customer_id, content_hash);
  }

  // Format 1's metadata JSON `meta` made format 2's: its content_hash (which
  // must be the BLAKE2b of the blob as decrypted now) becomes content_hash_v1
  // and content_hash format 2's. Returns format 2's content hash.
  Bytes rehash_meta(std::int64_t document_id, std::string& meta) const {
    const std::string document = "document " + std::to_string(document_id);
    auto rehashed = m_rehashed.find(document_id);
    if (rehashed == m_rehashed.end()) fail(ErrorKind::internal, document + " was not rehashed");
    nlohmann::json j;
    std::string hex;
    try {
      j = nlohmann::json::parse(meta);
      hex = j.at("content_hash").get<std::string>();
    } catch (const nlohmann::json::exception&) {
    }
    Bytes hash;
    if (!from_hex(hex, hash) || hash.size() != 32)
      fail(ErrorKind::corrupt, document + "'s metadata records no content hash, so it is not upgraded; nothing was changed");
    if (hash != rehashed->second.content_hash_v1)
      fail(ErrorKind::corrupt, document + "'s decrypted file does not match the content hash its metadata records, "
                                          "so it is not upgraded; nothing was changed. Run kaappi verify");
    j["content_hash_v1"] = hex;
    j["content_hash"] = to_hex(rehashed->second.content_hash);
    sodium_memzero(meta.data(), meta.size());
    meta = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return rehashed->second.content_hash;
  }

  // A read's reason under its customer's key, or its document's metadata key.
  void reseal_access_log() {
    Statement read(m_db, "SELECT id, uid, document_id, coalesce(customer_id, 0), reason FROM access_log ORDER BY id");
    Statement write(m_db, "UPDATE access_log SET reason = ? WHERE id = ?");
    while (read.step()) {
      const std::int64_t id = read.i64();
      const Bytes uid = read.blob();
      const std::int64_t document_id = read.i64();
      const std::int64_t customer_id = read.i64();
      std::string reason = m_format1.open("access_log", "reason", uid, read.blob());
      auto metadata_key = m_metadata_keys.find(document_id);
      if (customer_id == 0 && metadata_key == m_metadata_keys.end())
        fail(ErrorKind::corrupt, "access log entry " + std::to_string(id) + " names no document; nothing was changed");
      const ValueSealer sealer = customer_id != 0
                                     ? m_keys.customer(customer_id)
                                     : ValueSealer(m_metadata_arena.view(metadata_key->second), m_keys.archive_id());
      write.bind(sealer.seal("access_log", "reason", uid, reason)).bind(id);
      sodium_memzero(reason.data(), reason.size());
      write.run();
      write.reset();
    }
  }

  sqlite3* m_db;
  const UnlockedKey& m_key;
  FieldCipher m_format1;
  IndexKeys m_keys;
  const std::map<std::int64_t, RehashedContent>& m_rehashed;
  // Documents' metadata keys, for the reads without a customer (one locked arena, not one allocation each).
  SecretArena m_metadata_arena{32};
  std::map<std::int64_t, std::size_t> m_metadata_keys;
};

}  // namespace

std::vector<CustomerKeyRow> upgrade_format1_keys(sqlite3* db, const Bytes& archive_id, const UnlockedKey& key,
                                                 const std::map<std::int64_t, RehashedContent>& rehashed) {
  return Resealer(db, archive_id, key, rehashed).run();
}

}  // namespace kaappi
