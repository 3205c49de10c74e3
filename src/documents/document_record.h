// document_record.h — what the archive records about one document, in one
// place for import, ingest, get and verify.
//
// A document is a signed row in the index (store/index_rows.h) plus its
// sealed metadata (DocumentMeta, JSON sealed in documents.meta). Import and
// ingest build the row with make_document_row(); get, ingest and verify
// --full compare a decrypted blob with its row through
// check_blob_matches_row() and word the outcome each in their own way.
//
// The metadata's JSON is a format (docs/FORMAT.md, "Sealed JSON values"): an
// object with "file_name", "content_hash" (hex), "imported_by" and "pdf" (the
// PDF helper's summary), and, only for a scan taken in from a station,
// "station", "station_key" (hex) and "scanned_at", and for a scan from an
// envelope of version 1 (or a document of an archive upgraded from format 1)
// "content_hash_v1": the BLAKE2b-256 hex the station signed, or format 1
// recorded. Keys are written in sorted order; keys that do not apply are
// absent, never empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/blob_format.h"
#include "keys/value_sealer.h"
#include "store/session.h"

namespace kaappi {

const std::vector<std::string>& document_kinds();  // consent-form, contract, other
// The one rule of a kind's spelling (import, ingest, the documents' filter):
// one of document_kinds(), else ErrorKind::usage naming the input (Field "kind").
void check_document_kind(const std::string& kind);

struct DocumentMeta {
  std::string file_name;     // as given at import, or the scan's original name
  std::string content_hash;  // hex: format 2's content hash (the file hash of the plaintext)
  std::string content_hash_v1;  // hex BLAKE2b-256 of the plaintext, as signed in format 1; empty when none was
  std::string imported_by;   // the OS user who took it in
  std::string summary_json;  // the PDF helper's summary (a JSON object)
  // A scan taken in from a station (ingest); station is empty (and the JSON
  // has none of the three keys) when the document was imported directly.
  std::string station;       // the station's name
  std::string station_key;   // hex public key of the station
  std::int64_t scanned_at = 0;

  // The JSON text that is sealed. Invalid UTF-8 (PDF metadata can hold any
  // bytes) is replaced, never refused.
  std::string to_json() const;
  // nullopt when `text` is not a document's metadata.
  static std::optional<DocumentMeta> from_json(std::string_view text);
};

// Sealed under the document's metadata key (Session::document_values).
Bytes seal_document_meta(const ValueSealer& document, const Bytes& uid, const DocumentMeta& meta);
// Throws ErrorKind::corrupt when the sealed field does not authenticate;
// nullopt when it opens but is not a document's metadata.
std::optional<DocumentMeta> open_document_meta(const ValueSealer& document, const DocumentRow& row);

// A document's row with its opened metadata and its customer's number.
struct DocumentInfo : DocumentMeta {
  DocumentRow row;
  std::string customer_number;  // "" while unassigned, or when its customer was erased
  std::string customer_name;    // the customer's current name; "" likewise
  bool customer_erased = false;  // kept by a retention hold after its customer's erasure
};
// Throws ErrorKind::corrupt when the metadata cannot be read.
DocumentInfo open_document_info(Session& session, const DocumentRow& row);

// When the document was erased (kaappi erase: its key, by the erasures row
// that names it), or nullopt when it was not.
std::optional<std::int64_t> document_erased_at(Session& session, const DocumentRow& row);
// "document 12 was erased on 2026-05-01", for messages about an erased document.
std::string erased_document_words(Session& session, const DocumentRow& row);

// The row of a document whose blob is `digest` (sizes, hashes, the content
// tag), with its sealed document key and its metadata sealed under the
// document's key (`document_key`, the key `sealed_key` holds: the caller has
// it open, so it is not opened again); imported now. Its id and signature
// are given when the index inserts it. `uid` names its blob file;
// `blob_uid` is the uid in the blob's header.
DocumentRow make_document_row(Session& session, const Bytes& uid, const Bytes& blob_uid, std::int64_t customer_id,
                              const std::string& kind, std::int64_t pages, const BlobDigest& digest,
                              const SecretBuffer& document_key, const Bytes& sealed_key, const DocumentMeta& meta);

// What of a decrypted blob differs from its row and metadata.
struct BlobMismatch {
  bool blob_hash = false;     // the blob file's hash
  bool content_hash = false;  // the plaintext's hash (the metadata's hex or the row's content tag)
  bool plain_size = false;    // the plaintext's size
  bool any() const { return blob_hash || content_hash || plain_size; }
};
// The key of the document's customer must be held (Session::customer_values).
BlobMismatch check_blob_matches_row(const IndexKeys& keys, const DocumentRow& row, const std::string& content_hash_hex,
                                    const BlobDigest& digest);
// verify --full: a blob read without its content hash (ContentHash::no),
// whose bytes the blob hash and the AEAD check. The plaintext is then the
// one the row signed, so the content hash the metadata records is checked
// only against the row's duplicate tags (content_hash: a mismatch or a hex
// that is not a hash). docs/FORMAT.md, "What verify checks of a blob".
BlobMismatch check_read_blob_matches_row(const IndexKeys& keys, const DocumentRow& row,
                                         const std::string& content_hash_hex, const BlobDigest& digest);

}  // namespace kaappi
