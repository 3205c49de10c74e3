// format2_documents.cpp — see format2_documents.h.
#include "store/format2_documents.h"

#include "base/error.h"
#include "keys/blob_reader.h"
#include "store/archive.h"
#include "store/blob_file.h"
#include "store/document_history.h"
#include "store/format2_layout_upgrade.h"
#include "store/signed_tables.h"
#include "store/statement.h"

namespace kaappi {
namespace {

void exec(sqlite3* db, const std::string& sql) { exec_sql(db, sql.c_str(), "cannot upgrade the index"); }

std::string refused(std::int64_t id, const std::string& what) {
  return "document " + std::to_string(id) + "'s encrypted file " + what +
         ", so the archive is not upgraded; nothing was changed. Run kaappi verify, and restore the file from a backup";
}

// Rebuilds documents with format 2's columns, blob_uid = uid, keeping ids and
// seq (format2_layout_upgrade.h).
void add_blob_uid(sqlite3* db) {
  rebuild_table<DocumentRow>(db, table_of<DocumentRow>().column_list({}, true), "blob_uid", "t.uid");
  exec(db, "CREATE INDEX documents_by_content ON documents(content_tag)");
  exec(db, "CREATE INDEX documents_by_customer ON documents(customer_id)");
  exec(db, "CREATE INDEX documents_by_blob_uid ON documents(blob_uid)");
}

}  // namespace

std::map<std::int64_t, RehashedContent> upgrade_format1_documents(sqlite3* db, const Bytes& archive_id,
                                                                  const UnlockedKey& key,
                                                                  const std::string& archive_root) {
  std::map<std::int64_t, RehashedContent> out;
  {
    Statement read(db, "SELECT id, uid, blob_size, blob_hash, sealed_key FROM documents ORDER BY id");
    Statement write(db, "UPDATE documents SET blob_hash = ? WHERE id = ?");
    while (read.step()) {
      const std::int64_t id = read.i64();
      const Bytes uid = read.blob();
      const std::int64_t blob_size = read.i64();
      const Bytes blob_hash = read.blob();
      const Bytes sealed_key = read.blob();
      BlobFile blob = open_blob(Archive::blob_path_in(archive_root, uid), blob_size);
      if (blob.state != BlobFile::State::ok) fail(ErrorKind::corrupt, refused(id, blob.problem(blob_size)));
      BlobDigest digest;
      try {
        SecretBuffer document_key = open_document_key(KeyFileSecrets(key), sealed_key);
        digest = read_blob(blob.fd.get(), archive_id, uid, document_key, [](ByteView) {}, {}, AlsoFormat1::yes);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::corrupt) throw;
        fail(ErrorKind::corrupt, refused(id, std::string("does not decrypt (") + e.what() + ")"));
      }
      if (digest.blob_hash_v1 != blob_hash || static_cast<std::int64_t>(digest.blob_size) != blob_size)
        fail(ErrorKind::corrupt, refused(id, "does not match its signed row (format 1's BLAKE2b hash)"));
      write.bind(digest.blob_hash).bind(id);
      write.run();
      write.reset();
      out.emplace(id, RehashedContent{digest.content_hash, digest.content_hash_v1});
    }
  }
  add_blob_uid(db);
  return out;
}

void mark_format1_twins(sqlite3* db) {
  std::vector<DocumentRow> documents;
  {
    const auto& table = table_of<DocumentRow>();
    Statement read(db, table.select(" ORDER BY id"));
    while (read.step()) table.read(read, documents.emplace_back());
  }
  std::vector<AssignmentRow> assignments;
  {
    const auto& table = table_of<AssignmentRow>();
    Statement read(db, table.select(" ORDER BY id"));
    while (read.step()) table.read(read, assignments.emplace_back());
  }
  Statement mark(db, "UPDATE documents SET twin_of = ? WHERE id = ?");
  const DocumentHistory history(documents, assignments);
  for (const DocumentHistory::Twice& t : history.twice()) {
    if (t.assigned || t.same != DocumentHistory::Twice::Same::content) continue;
    mark.bind(t.first).bind(t.second);
    mark.run();
    mark.reset();
  }
}

}  // namespace kaappi
