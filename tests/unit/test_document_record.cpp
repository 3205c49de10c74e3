// test_document_record.cpp — a document's metadata (its JSON form, sealed and
// opened) and the check of a decrypted blob against its row.
#include <sodium.h>

#include <catch2/catch.hpp>

#include "support/loose_keys.h"
#include "base/error.h"
#include "documents/document_record.h"

using namespace kaappi;

namespace {

DocumentMeta imported_meta() {
  DocumentMeta m;
  m.file_name = "sopimus.pdf";
  m.content_hash = std::string(64, 'a');
  m.imported_by = "kirsi";
  m.summary_json = R"({"metadata":{"Title":"Sopimus"},"pages":2,"text":"Asiakasnumero 1001"})";
  return m;
}

bool same(const DocumentMeta& a, const DocumentMeta& b) {
  return a.file_name == b.file_name && a.content_hash == b.content_hash && a.imported_by == b.imported_by &&
         a.summary_json == b.summary_json && a.station == b.station && a.station_key == b.station_key &&
         a.scanned_at == b.scanned_at && a.content_hash_v1 == b.content_hash_v1;
}

SecretBuffer test_master() {
  SecretBuffer master(32);
  randombytes_buf(master.data(), 32);
  return master;
}

// A document's metadata sealer, under a random document key.
ValueSealer document_sealer(const Bytes& archive_id) {
  SecretBuffer document_key(32);
  randombytes_buf(document_key.data(), 32);
  return ValueSealer(document_metadata_key(document_key), archive_id);
}

}  // namespace

TEST_CASE("document metadata of an import has the keys of today's archives", "[document-record]") {
  DocumentMeta m = imported_meta();
  const std::string json = m.to_json();
  CHECK(json == R"({"content_hash":")" + std::string(64, 'a') +
                    R"(","file_name":"sopimus.pdf","imported_by":"kirsi","pdf":{"metadata":{"Title":"Sopimus"},)"
                    R"("pages":2,"text":"Asiakasnumero 1001"}})");
  auto back = DocumentMeta::from_json(json);
  REQUIRE(back);
  CHECK(same(*back, m));
  CHECK(back->station.empty());
  CHECK(back->to_json() == json);
}

TEST_CASE("document metadata of an ingested scan keeps its station, key and scan time", "[document-record]") {
  DocumentMeta m = imported_meta();
  m.station = "office-scanner";
  m.station_key = std::string(64, 'b');
  m.scanned_at = 1767225600;
  const std::string json = m.to_json();
  CHECK(json.find(R"("scanned_at":1767225600,"station":"office-scanner","station_key":")") != std::string::npos);
  auto back = DocumentMeta::from_json(json);
  REQUIRE(back);
  CHECK(same(*back, m));
  CHECK(back->to_json() == json);
}

TEST_CASE("document metadata of a scan from an envelope of version 1 keeps the BLAKE2b hash its station signed, in "
          "key order",
          "[document-record]") {
  DocumentMeta m = imported_meta();
  m.station = "office-scanner";
  m.station_key = std::string(64, 'b');
  m.scanned_at = 1767225600;
  m.content_hash_v1 = std::string(64, 'c');
  const std::string json = m.to_json();
  CHECK(json.find(R"({"content_hash":")" + std::string(64, 'a') + R"(","content_hash_v1":")" + std::string(64, 'c') +
                  R"(","file_name":)") == 0);
  auto back = DocumentMeta::from_json(json);
  REQUIRE(back);
  CHECK(back->content_hash_v1 == std::string(64, 'c'));
  CHECK(same(*back, m));
  CHECK(back->to_json() == json);
  // Without it the key is absent, never empty.
  m.content_hash_v1.clear();
  CHECK(m.to_json().find("content_hash_v1") == std::string::npos);
}

TEST_CASE("document metadata written before stations existed still reads, and stays without them",
          "[document-record]") {
  // As written by the first versions: no station keys, spaces after separators.
  const std::string old = R"({"content_hash": "00ff", "file_name": "a.pdf", "imported_by": "root", "pdf": {"pages": 1}})";
  auto m = DocumentMeta::from_json(old);
  REQUIRE(m);
  CHECK(m->file_name == "a.pdf");
  CHECK(m->content_hash == "00ff");
  CHECK(m->imported_by == "root");
  CHECK(m->summary_json == R"({"pages":1})");
  CHECK(m->station.empty());
  CHECK(m->station_key.empty());
  CHECK(m->scanned_at == 0);
  CHECK(m->to_json() == R"({"content_hash":"00ff","file_name":"a.pdf","imported_by":"root","pdf":{"pages":1}})");
}

TEST_CASE("text that is not a document's metadata is refused", "[document-record]") {
  CHECK_FALSE(DocumentMeta::from_json("not json"));
  CHECK_FALSE(DocumentMeta::from_json("[]"));
  CHECK_FALSE(DocumentMeta::from_json(R"({"file_name":"a.pdf","imported_by":"u","pdf":{}})"));  // no content_hash
  CHECK_FALSE(DocumentMeta::from_json(R"({"content_hash":"00","file_name":1,"imported_by":"u","pdf":{}})"));
  CHECK_FALSE(DocumentMeta::from_json(R"({"content_hash":"00","file_name":"a","imported_by":"u"})"));  // no pdf
}

TEST_CASE("a file name with invalid UTF-8 is sealed with replacement characters", "[document-record]") {
  DocumentMeta m = imported_meta();
  m.file_name = "bad\xff.pdf";
  auto back = DocumentMeta::from_json(m.to_json());
  REQUIRE(back);
  CHECK(back->file_name == "bad\xef\xbf\xbd.pdf");
}

TEST_CASE("sealed document metadata opens only in its own row", "[document-record]") {
  const Bytes archive_id = random_bytes(16);
  const ValueSealer cipher = document_sealer(archive_id);
  DocumentRow row;
  row.id = 7;
  row.uid = random_bytes(16);
  row.meta = seal_document_meta(cipher, row.uid, imported_meta());
  auto opened = open_document_meta(cipher, row);
  REQUIRE(opened);
  CHECK(same(*opened, imported_meta()));

  DocumentRow other = row;
  other.uid = random_bytes(16);
  CHECK_THROWS_AS(open_document_meta(cipher, other), Error);
  other = row;
  other.meta = cipher.seal("documents", "meta", row.uid, R"({"file_name":"a.pdf"})");
  CHECK_FALSE(open_document_meta(cipher, other));
  // Another document's key does not open it.
  CHECK_THROWS_AS(open_document_meta(document_sealer(archive_id), row), Error);
}

TEST_CASE("a decrypted blob is checked against its row and metadata", "[document-record]") {
  const SecretBuffer master = test_master();
  IndexKeys keys(test::LooseKeys::for_deriving(master), random_bytes(16));
  keys.customer_keys().make(5, random_bytes(16));
  keys.customer_keys().make(6, random_bytes(16));
  BlobDigest digest;
  digest.plain_size = 1234;
  digest.blob_size = 1400;
  digest.content_hash = random_bytes(32);
  digest.blob_hash = random_bytes(32);
  DocumentRow row;
  row.uid = random_bytes(16);
  row.plain_size = 1234;
  row.blob_size = 1400;
  row.blob_hash = digest.blob_hash;
  row.content_tag = keys.content_tag(0, digest.content_hash);
  const std::string hex = to_hex(digest.content_hash);

  CHECK_FALSE(check_blob_matches_row(keys, row, hex, digest).any());

  SECTION("another blob") {
    BlobDigest other = digest;
    other.blob_hash[0] ^= 1;
    BlobMismatch m = check_blob_matches_row(keys, row, hex, other);
    CHECK(m.blob_hash);
    CHECK_FALSE(m.content_hash);
    CHECK_FALSE(m.plain_size);
    CHECK(m.any());
  }
  SECTION("other content than the metadata's hash") {
    BlobMismatch m = check_blob_matches_row(keys, row, to_hex(random_bytes(32)), digest);
    CHECK(m.content_hash);
    CHECK_FALSE(m.blob_hash);
    CHECK_FALSE(m.plain_size);
  }
  SECTION("other content than the row's content tag") {
    DocumentRow tagged = row;
    tagged.content_tag = keys.content_tag(0, random_bytes(32));
    BlobMismatch m = check_blob_matches_row(keys, tagged, hex, digest);
    CHECK(m.content_hash);
    CHECK_FALSE(m.blob_hash);
    CHECK_FALSE(m.plain_size);
  }
  SECTION("another plaintext size") {
    DocumentRow sized = row;
    sized.plain_size = 1235;
    BlobMismatch m = check_blob_matches_row(keys, sized, hex, digest);
    CHECK(m.plain_size);
    CHECK_FALSE(m.blob_hash);
    CHECK_FALSE(m.content_hash);
  }
  SECTION("a content tag made with another archive's key") {
    IndexKeys other(test::LooseKeys::for_deriving(test_master()), random_bytes(16));
    BlobMismatch m = check_blob_matches_row(other, row, hex, digest);
    CHECK(m.content_hash);
  }
  SECTION("a customer's document: its tag is under that customer's tag key, not another's") {
    DocumentRow own = row;
    own.customer_id = 5;
    own.content_tag = keys.content_tag(5, digest.content_hash);
    CHECK_FALSE(check_blob_matches_row(keys, own, hex, digest).any());
    CHECK(own.content_tag != row.content_tag);
    own.content_tag = keys.content_tag(6, digest.content_hash);
    CHECK(check_blob_matches_row(keys, own, hex, digest).content_hash);
  }
  SECTION("an assigned document: its assignment's tag is under the new customer's tag key") {
    DocumentRow assigned = row;
    assigned.assigned_to = 6;
    assigned.assigned_tag = keys.content_tag(6, digest.content_hash);
    CHECK_FALSE(check_blob_matches_row(keys, assigned, hex, digest).any());
    assigned.assigned_tag = keys.content_tag(5, digest.content_hash);
    CHECK(check_blob_matches_row(keys, assigned, hex, digest).content_hash);
  }
}
