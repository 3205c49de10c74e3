// test_format2_hashes.cpp — format 2's blob and content hashes (the file hash
// of docs/FORMAT.md "Hashes and keys": SHA-256 over 1 MiB segments), with the
// real binaries: import and ingest record them (an envelope of version 1 is
// checked by the BLAKE2b hashes its station signed, and its document records
// format 2's, with the signed one as content_hash_v1); keyless verify finds a
// blob altered by one byte by its file hash; get returns the very bytes; the
// upgrade of the frozen format-1 archive rehashes every blob.
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/bytes.h"
#include "base/file_io.h"
#include "format/blob_format.h"
#include "format/file_hash.h"
#include "harness.h"
#include "keys/blob_reader.h"
#include "keys/index_keys.h"
#include "keys/key_file.h"

using namespace e2e;

namespace {

kaappi::Bytes bytes_of_hex(const std::string& hex) {
  kaappi::Bytes out;
  REQUIRE(kaappi::from_hex(hex, out));
  return out;
}

std::string column_hex(const Sandbox& s, const std::string& column, long id) {
  return sql_value(s, "SELECT lower(hex(" + column + ")) FROM documents WHERE id = " + std::to_string(id));
}

std::string blob_path(const Sandbox& s, long id) {
  const std::string hex = column_hex(s, "uid", id);
  REQUIRE(hex.size() == 32);
  return s.archive() + "/blobs/" + hex.substr(0, 2) + "/" + hex + ".blob";
}

// Format 2's file hash of a file's bytes, hex.
std::string file_hash_of(const std::string& path) {
  kaappi::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  REQUIRE(fd.valid());
  std::uint64_t size = 0;
  const kaappi::Sha256Digest h = kaappi::hash_file_segments(fd.get(), ~std::uint64_t{0}, size, 2);
  return kaappi::to_hex(kaappi::Bytes(h.begin(), h.end()));
}

kaappi::UnlockedKey example_key(const Sandbox& s) {
  kaappi::SecretBuffer passphrase(std::string("kaappi-example-passphrase").size());
  std::string text = "kaappi-example-passphrase";
  std::copy(text.begin(), text.end(), passphrase.data());
  return kaappi::KeyFile::load(s.key()).unlock(passphrase);
}

// Document `id`'s key, opened with the sandbox's key (the example key).
kaappi::SecretBuffer document_key_of(const Sandbox& s, const kaappi::UnlockedKey& key, long id) {
  return kaappi::open_document_key(kaappi::KeyFileSecrets(key), bytes_of_hex(column_hex(s, "sealed_key", id)));
}

// Document `id`'s sealed metadata, opened with the sandbox's key.
nlohmann::json document_meta(const Sandbox& s, long id) {
  const kaappi::UnlockedKey key = example_key(s);
  const kaappi::Bytes archive_id = bytes_of_hex(sql_value(s, "SELECT lower(hex(archive_id)) FROM archive"));
  const kaappi::SecretBuffer document_key = document_key_of(s, key, id);
  const kaappi::IndexKeys keys(kaappi::KeyFileSecrets(key), archive_id);
  return nlohmann::json::parse(keys.document(document_key)
                                   .open("documents", "meta", bytes_of_hex(column_hex(s, "uid", id)),
                                         bytes_of_hex(column_hex(s, "meta", id))));
}

// An archive with customer 1001 and the station desk; seals `file` with forge_envelope's extra arguments.
struct Desk {
  Sandbox& s;
  explicit Desk(Sandbox& sandbox) : s(sandbox) { s.init_archive_with_station(s.path("desk.key")); }
  std::string seal(const std::string& file, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {bin("forge_envelope"), "--public-key", s.path("archive.pub"), "--station-key",
                                     s.path("desk.key"), "--inbox", s.archive() + "/inbox", "--file", file};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = s.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
  }
};

void verify_clean(const Sandbox& s, const std::vector<std::string>& level = {"--full"}) {
  std::vector<std::string> args = {"verify"};
  args.insert(args.end(), level.begin(), level.end());
  Result v = s.kaappi(args);
  INFO(v.out << v.err);
  CHECK(v.exit_code == 0);
}

}  // namespace

TEST_CASE("an envelope of version 1 is checked by its BLAKE2b hashes and stored with format 2's", "[ingest][hashes]") {
  Sandbox s;
  Desk d(s);
  const std::string pdf = s.make_pdf("scan.pdf", {"--seed", "91"});
  const std::string envelope = d.seal(pdf, {"--version", "1"});
  REQUIRE(read_text(envelope).substr(0, 8) == "KAAPPIE1");
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("stored") != std::string::npos);

  // The row's blob hash is format 2's file hash of the blob file, not BLAKE2b.
  const std::string blob = blob_path(s, 1);
  CHECK(column_hex(s, "blob_hash", 1) == file_hash_of(blob));
  CHECK(column_hex(s, "blob_hash", 1) != sha_of_file(blob));  // sha_of_file is BLAKE2b-256
  // The metadata: format 2's content hash, and the BLAKE2b the station signed.
  const nlohmann::json meta = document_meta(s, 1);
  CHECK(meta["content_hash"] == file_hash_of(pdf));
  CHECK(meta["content_hash_v1"] == sha_of_file(pdf));
  verify_clean(s);
  verify_clean(s, {});
  REQUIRE(s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
  CHECK(read_text(s.path("out.pdf")) == read_text(pdf));

  // The same scan in an envelope of version 2 is a duplicate (decided on format 2's content hash).
  const std::string again = d.seal(pdf);
  REQUIRE(read_text(again).substr(0, 8) == "KAAPPIE2");
  Result dup = s.kaappi({"ingest", "--customer", "1001", "--json"});
  INFO(dup.out << dup.err);
  CHECK(dup.exit_code == 0);
  CHECK(nlohmann::json::parse(dup.out)["results"][0]["status"] == "duplicate");
}

TEST_CASE("an envelope of version 1 whose signed BLAKE2b hash is not its scan's is rejected", "[ingest][hashes]") {
  Sandbox s;
  Desk d(s);
  const std::string pdf = s.make_pdf("scan.pdf", {"--seed", "92"});
  // A format-2 content hash in an envelope of version 1 is the wrong hash for it.
  d.seal(pdf, {"--version", "1", "--set", "content_hash=\"" + file_hash_of(pdf) + "\""});
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("does not match what its station signed about it (the scan's hash)") != std::string::npos);
  CHECK(sql_value(s, "SELECT count(*) FROM documents") == "0");
}

TEST_CASE("import and an envelope of version 2 record format 2's hashes, and a document from import has no "
          "content_hash_v1",
          "[ingest][import][hashes]") {
  Sandbox s;
  Desk d(s);
  const std::string imported = s.make_pdf("imported.pdf", {"--seed", "93"});
  const std::string scanned = s.make_pdf("scanned.pdf", {"--seed", "94"});
  REQUIRE(s.kaappi({"import", imported, "--customer", "1001", "--kind", "contract"}).exit_code == 0);
  d.seal(scanned);
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  for (long id : {1L, 2L}) {
    INFO("document " << id);
    CHECK(column_hex(s, "blob_hash", id) == file_hash_of(blob_path(s, id)));
    const nlohmann::json meta = document_meta(s, id);
    CHECK(meta["content_hash"] == file_hash_of(id == 1 ? imported : scanned));
    CHECK_FALSE(meta.contains("content_hash_v1"));
  }
  // import: blob_uid is the uid; ingest: the envelope's uid, the document's uid the archive's own.
  CHECK(column_hex(s, "blob_uid", 1) == column_hex(s, "uid", 1));
  CHECK(column_hex(s, "blob_uid", 2) != column_hex(s, "uid", 2));
  verify_clean(s);
}

TEST_CASE("keyless verify finds a blob altered by one byte by its format-2 file hash, and get refuses it",
          "[verify][hashes]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string pdf = s.make_pdf("big.pdf", {"--seed", "95", "--pages", "3"});
  REQUIRE(s.kaappi({"import", pdf, "--customer", "1001", "--kind", "contract"}).exit_code == 0);
  verify_clean(s, {});
  const std::string blob = blob_path(s, 1);
  std::string bytes = read_text(blob);
  REQUIRE(bytes.size() > 200);
  const size_t at = bytes.size() / 2;
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  write_text(blob, bytes);
  Result v = s.kaappi({"verify", "--json"});
  INFO(v.out << v.err);
  CHECK(v.exit_code == 1);
  const nlohmann::json report = nlohmann::json::parse(v.out);
  bool found = false;
  for (const auto& p : report["problems"])
    found = found || (p["document"] == 1 && p["problem"] == "blob altered" &&
                      p["detail"].get<std::string>().find("file hash (SHA-256)") != std::string::npos);
  CHECK(found);
  Result get = s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"});
  CHECK(get.exit_code != 0);
  CHECK_FALSE(file_exists(s.path("out.pdf")));
}

TEST_CASE("verify --full hashes the blob of a station's scan, whose key the station held, and finds it encrypted "
          "anew under that key",
          "[verify][ingest][hashes]") {
  Sandbox s;
  Desk d(s);
  const std::string scanned = s.make_pdf("scanned.pdf", {"--seed", "96", "--pages", "2"});
  d.seal(scanned);
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  verify_clean(s);
  // What the station could do with the random key it sealed the scan under:
  // another blob under the same key and uid, of the same size, holding an
  // altered scan, which decrypts and authenticates.
  std::string altered = read_text(scanned);
  altered[altered.size() / 2] = static_cast<char>(altered[altered.size() / 2] ^ 0x20);
  const std::string other = s.path("altered.pdf");
  write_text(other, altered);
  {
    const kaappi::UnlockedKey key = example_key(s);
    const kaappi::SecretBuffer document_key = document_key_of(s, key, 1);
    const kaappi::Bytes archive_id = bytes_of_hex(sql_value(s, "SELECT lower(hex(archive_id)) FROM archive"));
    kaappi::Fd in(::open(other.c_str(), O_RDONLY | O_CLOEXEC));
    REQUIRE(in.valid());
    const std::string made = s.path("anew.blob");
    kaappi::AtomicFile out(made, "", 0600, "test");
    kaappi::write_blob(in.get(), out, archive_id, bytes_of_hex(column_hex(s, "blob_uid", 1)), document_key, 1 << 30);
    out.commit(kaappi::Overwrite::no);
    REQUIRE(::rename(made.c_str(), blob_path(s, 1).c_str()) == 0);
  }
  for (const std::vector<std::string>& level : {std::vector<std::string>{}, std::vector<std::string>{"--full"}}) {
    std::vector<std::string> args = {"verify", "--json"};
    args.insert(args.end(), level.begin(), level.end());
    Result v = s.kaappi(args);
    INFO(v.out << v.err);
    CHECK(v.exit_code == 1);
    const nlohmann::json report = nlohmann::json::parse(v.out);
    bool found = false;
    for (const auto& p : report["problems"]) found = found || (p["document"] == 1 && p["problem"] == "blob altered");
    CHECK(found);
  }
  // With its metadata re-sealed (the station knows the key it is sealed
  // under) to name no station, as an imported document's does: the row's
  // signature no longer holds, and the blob is still hashed, not trusted.
  {
    const kaappi::UnlockedKey key = example_key(s);
    const kaappi::SecretBuffer document_key = document_key_of(s, key, 1);
    const kaappi::Bytes archive_id = bytes_of_hex(sql_value(s, "SELECT lower(hex(archive_id)) FROM archive"));
    const kaappi::IndexKeys keys(kaappi::KeyFileSecrets(key), archive_id);
    nlohmann::json meta = document_meta(s, 1);
    REQUIRE(meta.contains("station"));
    meta.erase("station");
    meta.erase("station_key");
    meta.erase("scanned_at");
    const kaappi::Bytes sealed =
        keys.document(document_key).seal("documents", "meta", bytes_of_hex(column_hex(s, "uid", 1)), meta.dump());
    sql(s, "UPDATE documents SET meta = X'" + kaappi::to_hex(sealed) + "' WHERE id = 1");
  }
  Result v = s.kaappi({"verify", "--json", "--full"});
  INFO(v.out << v.err);
  CHECK(v.exit_code == 1);
  const nlohmann::json report = nlohmann::json::parse(v.out);
  bool blob_altered = false;
  for (const auto& p : report["problems"])
    blob_altered = blob_altered || (p["document"] == 1 && p["problem"] == "blob altered");
  CHECK(blob_altered);
}

namespace {

const std::string k_frozen = std::string(KAAPPI_SOURCE_DIR) + "/tests/data/archive-v3.tar.gz";

void unpack_frozen(const Sandbox& s) {
  Result r = s.run({"/bin/tar", "-xzf", k_frozen, "-C", s.dir()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

std::vector<long> document_ids(const Sandbox& s) {
  std::vector<long> ids;
  const std::string list = sql_value(s, "SELECT group_concat(id, ' ') FROM (SELECT id FROM documents ORDER BY id)");
  std::istringstream in(list);
  for (long id; in >> id;) ids.push_back(id);
  return ids;
}

}  // namespace

TEST_CASE("kaappi upgrade rehashes every blob of the frozen archive with format 2's file hash", "[frozen][hashes]") {
  Sandbox s;
  unpack_frozen(s);
  const std::vector<long> ids = document_ids(s);
  REQUIRE(ids.size() >= 2);
  std::map<long, std::string> format1_hash, uid;
  for (long id : ids) {
    format1_hash[id] = column_hex(s, "blob_hash", id);
    uid[id] = column_hex(s, "uid", id);
    CHECK(format1_hash[id] == sha_of_file(blob_path(s, id)));  // format 1: BLAKE2b-256 of the blob file
  }
  Result up = s.kaappi({"upgrade"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  for (long id : ids) {
    INFO("document " << id);
    CHECK(column_hex(s, "uid", id) == uid[id]);
    CHECK(column_hex(s, "blob_uid", id) == uid[id]);
    const std::string blob = blob_path(s, id);
    CHECK(column_hex(s, "blob_hash", id) != format1_hash[id]);
    CHECK(column_hex(s, "blob_hash", id) == file_hash_of(blob));
    const std::string out = s.path("doc-" + std::to_string(id) + ".pdf");
    REQUIRE(s.kaappi({"get", std::to_string(id), "-o", out, "--reason", "test"}).exit_code == 0);
    const nlohmann::json meta = document_meta(s, id);
    CHECK(meta["content_hash"] == file_hash_of(out));
    CHECK(meta["content_hash_v1"] == sha_of_file(out));
  }
  verify_clean(s);
  verify_clean(s, {});
  // The duplicate tags are made from format 2's content hash: the same file again is a duplicate.
  const long first = ids.front();
  Result list = s.kaappi({"documents", "--json"});
  INFO(list.out << list.err);
  std::string number;
  const nlohmann::json listed = nlohmann::json::parse(list.out);
  for (const auto& d : listed["documents"])
    if (d["id"].get<long>() == first && d["customer"].is_string()) number = d["customer"].get<std::string>();
  REQUIRE_FALSE(number.empty());
  Result dup = s.kaappi({"import", s.path("doc-" + std::to_string(first) + ".pdf"), "--customer", number, "--kind",
                         "other"});
  INFO(dup.out << dup.err);
  CHECK(dup.exit_code == 0);
  CHECK(dup.out.find("already in the archive as document " + std::to_string(first)) != std::string::npos);
}

TEST_CASE("kaappi upgrade refuses a format-1 archive whose blob is missing or altered, changing nothing",
          "[frozen][hashes]") {
  Sandbox s;
  unpack_frozen(s);
  const std::vector<long> ids = document_ids(s);
  REQUIRE_FALSE(ids.empty());
  const long id = ids.back();
  const std::string blob = blob_path(s, id);
  std::string expected;
  SECTION("missing") {
    REQUIRE(::unlink(blob.c_str()) == 0);
    expected = "is missing";
  }
  SECTION("altered by one byte") {
    std::string bytes = read_text(blob);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    write_text(blob, bytes);
    expected = "does not";  // decrypt / match its signed row
  }
  const std::string before = s.archive_fingerprint();
  Result up = s.kaappi({"upgrade"});
  INFO(up.out << up.err);
  CHECK(up.exit_code == 1);
  CHECK(up.err.find("document " + std::to_string(id) + "'s encrypted file " + expected) != std::string::npos);
  CHECK(up.err.find("nothing was changed") != std::string::npos);
  CHECK(s.archive_fingerprint() == before);
}
