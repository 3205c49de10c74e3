// document_record.cpp — see document_record.h.
#include "documents/document_record.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "base/error.h"
#include "base/word_list.h"
#include "keys/blob_reader.h"
#include "register/customers.h"
#include "store/erasure.h"

namespace kaappi {

const std::vector<std::string>& document_kinds() {
  static const std::vector<std::string> kinds = {"consent-form", "contract", "other"};
  return kinds;
}

void check_document_kind(const std::string& kind) {
  const auto& kinds = document_kinds();
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
    fail(ErrorKind::usage, Field{"kind"} + " must be " + or_list(kinds) + ", not '" + kind + "'");
}

std::string DocumentMeta::to_json() const {
  nlohmann::json j = {{"file_name", file_name},
                      {"content_hash", content_hash},
                      {"imported_by", imported_by},
                      {"pdf", nlohmann::json::parse(summary_json)}};
  if (!content_hash_v1.empty()) j["content_hash_v1"] = content_hash_v1;
  if (!station.empty()) {
    j["station"] = station;
    j["station_key"] = station_key;
    j["scanned_at"] = scanned_at;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<DocumentMeta> DocumentMeta::from_json(std::string_view text) {
  try {
    auto j = nlohmann::json::parse(text);
    DocumentMeta meta;
    meta.file_name = j.at("file_name").get<std::string>();
    meta.content_hash = j.at("content_hash").get<std::string>();
    meta.imported_by = j.at("imported_by").get<std::string>();
    if (j.contains("content_hash_v1")) meta.content_hash_v1 = j.at("content_hash_v1").get<std::string>();
    meta.summary_json = j.at("pdf").dump();
    if (j.contains("station")) {
      meta.station = j.at("station").get<std::string>();
      meta.station_key = j.at("station_key").get<std::string>();
      meta.scanned_at = j.at("scanned_at").get<std::int64_t>();
    }
    return meta;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

Bytes seal_document_meta(const ValueSealer& document, const Bytes& uid, const DocumentMeta& meta) {
  return document.seal("documents", "meta", uid, meta.to_json());
}

std::optional<DocumentMeta> open_document_meta(const ValueSealer& document, const DocumentRow& row) {
  return DocumentMeta::from_json(document.open("documents", "meta", row.uid, row.meta));
}

DocumentInfo open_document_info(Session& session, const DocumentRow& row) {
  auto meta = open_document_meta(session.document_values(row), row);
  if (!meta) fail(ErrorKind::corrupt, "document " + std::to_string(row.id) + " has unreadable metadata; run kaappi verify");
  DocumentInfo info;
  static_cast<DocumentMeta&>(info) = *meta;
  info.row = row;
  if (row.owner() != 0)
    if (auto customer = session.index().customer(row.owner())) {
      try {
        Customer c = load_customer(session, *customer);
        info.customer_number = c.number();
        info.customer_name = c.name();
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        info.customer_erased = true;  // a document a retention hold kept
      }
    }
  return info;
}

DocumentRow make_document_row(Session& session, const Bytes& uid, const Bytes& blob_uid, std::int64_t customer_id,
                              const std::string& kind, std::int64_t pages, const BlobDigest& digest,
                              const SecretBuffer& document_key, const Bytes& sealed_key, const DocumentMeta& meta) {
  DocumentRow row;
  row.uid = uid;
  row.blob_uid = blob_uid;
  row.customer_id = customer_id;
  row.kind = kind;
  row.pages = pages;
  row.plain_size = static_cast<std::int64_t>(digest.plain_size);
  row.blob_size = static_cast<std::int64_t>(digest.blob_size);
  row.blob_hash = digest.blob_hash;
  row.sealed_key = sealed_key;
  row.content_tag = session.content_tag(customer_id, digest.content_hash);
  row.imported_at = session.now();
  row.meta = seal_document_meta(session.keys().document(document_key), uid, meta);
  return row;
}

namespace {
// A tag under a customer's key is checked only while that key is held: a
// document a retention hold kept after its customer's erasure has its
// content hash (in its metadata) and blob hash checked, not its tag. Callers
// hold the key of every customer not erased (get: the owner's; verify --full: all).
bool tag_matches(const IndexKeys& keys, std::int64_t customer_id, const Bytes& content_hash, const Bytes& tag) {
  if (customer_id != 0 && !keys.customer_keys().holds(customer_id)) return true;
  return keys.content_tag(customer_id, content_hash) == tag;
}

bool tags_match(const IndexKeys& keys, const DocumentRow& row, const Bytes& content_hash) {
  return tag_matches(keys, row.customer_id, content_hash, row.content_tag) &&
         (row.assigned_to == 0 || tag_matches(keys, row.assigned_to, content_hash, row.assigned_tag));
}
}  // namespace

BlobMismatch check_blob_matches_row(const IndexKeys& keys, const DocumentRow& row, const std::string& content_hash_hex,
                                    const BlobDigest& digest) {
  BlobMismatch m;
  m.blob_hash = digest.blob_hash != row.blob_hash;
  m.content_hash = to_hex(digest.content_hash) != content_hash_hex || !tags_match(keys, row, digest.content_hash);
  m.plain_size = static_cast<std::int64_t>(digest.plain_size) != row.plain_size;
  return m;
}

BlobMismatch check_read_blob_matches_row(const IndexKeys& keys, const DocumentRow& row,
                                         const std::string& content_hash_hex, const BlobDigest& digest) {
  BlobMismatch m;
  m.blob_hash = digest.blob_hash != row.blob_hash;
  Bytes recorded;
  m.content_hash = !from_hex(content_hash_hex, recorded) || recorded.size() != k_hash_size ||
                   !tags_match(keys, row, recorded);
  m.plain_size = static_cast<std::int64_t>(digest.plain_size) != row.plain_size;
  return m;
}

std::optional<std::int64_t> document_erased_at(Session& session, const DocumentRow& row) {
  if (!row.erased()) return std::nullopt;
  auto erasure = erasure_of(session.index(), "documents", row.id, "sealed_key");
  if (!erasure) return std::nullopt;
  return erasure->at;
}

std::string erased_document_words(Session& session, const DocumentRow& row) {
  const auto at = document_erased_at(session, row);
  return "document " + std::to_string(row.id) + " was erased" + (at ? " on " + date_of(*at) : std::string());
}

}  // namespace kaappi
