// test_envelope.cpp — station keys and the envelopes kaappi-scan writes:
// structure, signature, and that the key holder (only) can open them.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/loose_keys.h"
#include "keys/blob_reader.h"
#include "format/envelope.h"
#include "format/file_hash.h"
#include "format/station_metadata.h"
#include "base/error.h"

using namespace kaappi;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/kaappi-envelope-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

struct Archive {
  ArchivePublicKey pk;
  SecretBuffer box_sk{crypto_box_SECRETKEYBYTES};
  Archive() {
    pk.archive_id = random_bytes(16);
    pk.box_pk.resize(crypto_box_PUBLICKEYBYTES);
    crypto_box_keypair(pk.box_pk.data(), box_sk.data());
    pk.sign_pk = random_bytes(32);
  }
};

Bytes file_hash(ByteView bytes) {
  FileHash h;
  h.add(bytes);
  const Sha256Digest d = h.finish();
  return Bytes(d.begin(), d.end());
}

Bytes blake2b(ByteView bytes) {
  Bytes hash(32);
  crypto_generichash(hash.data(), hash.size(), bytes.data(), bytes.size(), nullptr, 0);
  return hash;
}

EnvelopeParts parts_of(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY));
  return read_envelope_parts(fd.get(), "envelope");
}

// A scan (100000 bytes) sealed by a new station for a new archive: the
// envelope's bytes (`good`), and a path beside it for altered copies (`path`).
struct SealedScan {
  TempDir dir;
  Archive archive;
  StationKey station = StationKey::generate("s");
  std::string good;
  const std::string path = dir.path + "/test.kenv";
  SealedScan() {
    spit(dir.path + "/scan.pdf", std::string(100000, 'p'));
    Fd in(::open((dir.path + "/scan.pdf").c_str(), O_RDONLY));
    good = slurp(seal_envelope(in.get(), dir.path, archive.pk, station, {"scan.pdf", 1, 0, "s", ""}, 1 << 30).path);
  }
};

}  // namespace

TEST_CASE("station keys: saved 0600, loaded back, never overwritten, damage detected", "[envelope]") {
  TempDir dir;
  StationKey key = StationKey::generate("office-1");
  key.save(dir.path + "/s/office-1.key");
  struct stat st {};
  REQUIRE(::stat((dir.path + "/s/office-1.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  StationKey back = StationKey::load(dir.path + "/s/office-1.key");
  CHECK(back.name() == "office-1");
  CHECK(back.public_key() == key.public_key());
  Bytes msg = random_bytes(40);
  CHECK(station_signature_ok(key.public_key(), msg, back.sign(msg)));
  CHECK_THROWS_AS(key.save(dir.path + "/s/office-1.key"), Error);
  CHECK(parse_station_public(station_public_text(key.public_key())) == key.public_key());
  std::string text = station_public_text(key.public_key());
  text[15] = text[15] == 'A' ? 'B' : 'A';
  CHECK_THROWS_WITH(parse_station_public(text), Catch::Contains("not a station public key"));
  std::string file = slurp(dir.path + "/s/office-1.key");
  file[file.find("secret: ") + 20] ^= 1;
  spit(dir.path + "/damaged.key", file);
  CHECK_THROWS_WITH(StationKey::load(dir.path + "/damaged.key"), Catch::Contains("damaged"));
  CHECK_THROWS_AS(StationKey::generate("bad name/../x"), Error);
}

TEST_CASE("an envelope holds a blob the key holder can open, signed by its station", "[envelope]") {
  TempDir dir;
  Archive archive;
  StationKey station = StationKey::generate("office-1");
  std::string plain = "%PDF-1.4 pretend scan " + std::string(200000, 'x') + " Salainen 4711";
  spit(dir.path + "/scan.pdf", plain);
  Fd in(::open((dir.path + "/scan.pdf").c_str(), O_RDONLY));
  EnvelopeMeta meta{"scan.pdf", 1, 1760000000, "office-1", "{\"pages\":1}"};
  SealedEnvelope sealed = seal_envelope(in.get(), dir.path, archive.pk, station, meta, 1 << 30);
  CHECK(sealed.path.find("scan") == std::string::npos);
  std::string bytes = slurp(sealed.path);
  CHECK(bytes.find("scan.pdf") == std::string::npos);
  CHECK(bytes.find("Salainen") == std::string::npos);
  CHECK(bytes.find("office-1") == std::string::npos);

  EnvelopeParts p = parts_of(sealed.path);
  CHECK(p.archive_id == archive.pk.archive_id);
  CHECK(p.station_pk == station.public_key());
  CHECK(station_signature_ok(p.station_pk, p.signed_message, p.signature));
  CHECK(p.blob_size == sealed.digest.blob_size);
  Bytes blob(bytes.begin() + static_cast<long>(p.blob_offset),
             bytes.begin() + static_cast<long>(p.blob_offset + p.blob_size));
  CHECK(p.version == EnvelopeVersion::v2);
  CHECK(bytes.substr(0, 8) == "KAAPPIE2");
  CHECK(bytes.substr(bytes.size() - 8) == "KAAPPIE2");
  CHECK(file_hash(blob) == p.blob_hash);  // format 2's file hash of the blob

  // The key holder opens the metadata and the document.
  std::string meta_plain(p.sealed_meta.size() - crypto_box_SEALBYTES, '\0');
  REQUIRE(crypto_box_seal_open(reinterpret_cast<std::uint8_t*>(meta_plain.data()), p.sealed_meta.data(),
                               p.sealed_meta.size(), archive.pk.box_pk.data(), archive.box_sk.data()) == 0);
  auto j = nlohmann::json::parse(meta_plain);
  CHECK(j["file_name"] == "scan.pdf");
  CHECK(j["station"] == "office-1");
  CHECK(j["plain_size"] == plain.size());
  spit(dir.path + "/blob", std::string(blob.begin(), blob.end()));
  Fd blob_fd(::open((dir.path + "/blob").c_str(), O_RDONLY));
  SecretBuffer doc_key = open_document_key(test::LooseKeys::for_opening(archive.pk.box_pk, archive.box_sk), p.sealed_key);
  std::string out;
  BlobDigest d = read_blob(blob_fd.get(), archive.pk.archive_id, p.uid, doc_key, [&](ByteView chunk) {
    out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  });
  CHECK(out == plain);
  CHECK(to_hex(d.content_hash) == j["content_hash"]);

  // Another archive's key opens nothing.
  Archive other;
  CHECK_THROWS(open_document_key(test::LooseKeys::for_opening(other.pk.box_pk, other.box_sk), p.sealed_key));
}

TEST_CASE("a file name ingest would refuse is never sealed: refused before anything is written", "[envelope]") {
  TempDir dir;
  Archive archive;
  StationKey station = StationKey::generate("s");
  spit(dir.path + "/scan.pdf", "%PDF-1.4 pretend scan");
  ::mkdir((dir.path + "/inbox").c_str(), 0700);
  for (const std::string& name : {std::string("scan\n1.pdf"), std::string("a/b"), std::string("K\xe4\xe4nt\xf6"),
                                  std::string("c1 \xc2\x85"), std::string(".."), std::string(256, 'a')}) {
    INFO(name);
    Fd in(::open((dir.path + "/scan.pdf").c_str(), O_RDONLY));
    try {
      seal_envelope(in.get(), dir.path + "/inbox", archive.pk, station, {name, 1, 0, "s", ""}, 1 << 30);
      FAIL("sealed");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::rejected);
      CHECK_THAT(e.what(), Catch::StartsWith("its file name "));
    }
    CHECK(std::system(("test -z \"$(ls -A '" + dir.path + "/inbox')\"").c_str()) == 0);
  }
}

TEST_CASE_METHOD(SealedScan, "truncated, extended, foreign and altered envelopes are refused or fail their signature",
                 "[envelope]") {
  auto check_refused = [&](const std::string& data, const char* why) {
    spit(path, data);
    CHECK_THROWS_WITH(parts_of(path), Catch::Contains(why));
  };
  check_refused("%PDF-1.4 not an envelope at all", "not a kaappi envelope");
  check_refused("", "not a kaappi envelope");
  for (size_t cut : {size_t{20}, size_t{200}, good.size() / 2, good.size() - 1})
    check_refused(good.substr(0, cut), "truncated");
  check_refused(good + "x", "envelope");
  // Bytes changed anywhere: the structure may hold, the signature or the blob hash does not.
  for (size_t at : {size_t{12}, size_t{40}, size_t{100}, good.size() / 2, good.size() - 150}) {
    std::string bad = good;
    bad[at] ^= 0x20;
    spit(path, bad);
    bool caught = false;
    try {
      EnvelopeParts p = parts_of(path);
      Bytes blob(bad.begin() + static_cast<long>(p.blob_offset), bad.begin() + static_cast<long>(p.blob_offset + p.blob_size));
      caught = !station_signature_ok(p.station_pk, p.signed_message, p.signature) || file_hash(blob) != p.blob_hash;
    } catch (const Error&) {
      caught = true;
    }
    INFO(at);
    CHECK(caught);
  }
}

TEST_CASE("metadata over the limit is named as too large, not as a damaged trailer, and up to the limit it is read",
          "[envelope]") {
  TempDir dir;
  Archive archive;
  StationKey station = StationKey::generate("office-1");
  spit(dir.path + "/scan.pdf", "%PDF-1.4 pretend scan");
  auto seal_with_metadata_of = [&](size_t size) {
    Fd in(::open((dir.path + "/scan.pdf").c_str(), O_RDONLY));
    return seal_envelope_as(in.get(), dir.path, archive.pk, station, random_bytes(k_uid_size),
                            [&](const BlobDigest&) { return std::string(size, ' '); }, 1 << 20)
        .path;
  };
  CHECK(parts_of(seal_with_metadata_of(k_station_metadata_max_size)).sealed_meta.size() ==
        k_station_metadata_max_size + crypto_box_SEALBYTES);
  for (size_t over : {k_station_metadata_max_size + 1, size_t{3} << 20}) {
    INFO(over);
    CHECK_THROWS_WITH(parts_of(seal_with_metadata_of(over)),
                      Catch::EndsWith("envelope: its metadata is larger than the limit of 1048576 bytes (1 MiB)"));
  }
  // A trailer length beyond the file is still damage.
  std::string path = seal_with_metadata_of(10);
  std::string bytes = slurp(path);
  const size_t length_at = bytes.size() - 8 - 4;
  bytes[length_at + 3] = static_cast<char>(0x7f);  // big-endian or little: a length far past the file either way
  bytes[length_at] = static_cast<char>(0x7f);
  spit(path, bytes);
  CHECK_THROWS_WITH(parts_of(path), Catch::Contains("its trailer does not fit"));
}

// Envelopes of version 1 (BLAKE2b hashes, "KAAPPIE1", signed as
// "kaappi-envelope-v1") are still read; version 2 is what is written.
TEST_CASE("an envelope of either version is read back with its version's hashes and signature", "[envelope]") {
  TempDir dir;
  Archive archive;
  StationKey station = StationKey::generate("office-1");
  const std::string plain = "%PDF-1.4 pretend scan " + std::string(3 << 20, 'y');  // several 1 MiB segments
  spit(dir.path + "/scan.pdf", plain);
  const bool v1 = GENERATE(true, false);
  INFO("version " << (v1 ? 1 : 2));
  const EnvelopeVersion version = v1 ? EnvelopeVersion::v1 : EnvelopeVersion::v2;
  Fd in(::open((dir.path + "/scan.pdf").c_str(), O_RDONLY));
  const Bytes uid = random_bytes(k_uid_size);
  std::string signed_content;
  SealedEnvelope sealed = seal_envelope_as(
      in.get(), dir.path, archive.pk, station, uid,
      [&](const BlobDigest& d) {
        signed_content = to_hex(d.content_hash);
        return std::string("{}");
      },
      1 << 30, version);
  const std::string bytes = slurp(sealed.path);
  const std::string magic = v1 ? "KAAPPIE1" : "KAAPPIE2";
  CHECK(bytes.substr(0, 8) == magic);
  CHECK(bytes.substr(bytes.size() - 8) == magic);
  EnvelopeParts p = parts_of(sealed.path);
  CHECK(p.version == version);
  CHECK(p.uid == uid);
  CHECK(station_signature_ok(p.station_pk, p.signed_message, p.signature));
  const std::string prefix = v1 ? "kaappi-envelope-v1" : "kaappi-envelope-v2";
  CHECK(std::string(p.signed_message.begin(), p.signed_message.begin() + static_cast<long>(prefix.size())) == prefix);
  const Bytes blob(bytes.begin() + static_cast<long>(p.blob_offset),
                   bytes.begin() + static_cast<long>(p.blob_offset + p.blob_size));
  const Bytes plain_bytes(plain.begin(), plain.end());
  // The trailer's blob hash and the metadata's content hash are the version's.
  CHECK(p.blob_hash == (v1 ? blake2b(blob) : file_hash(blob)));
  CHECK(signed_content == to_hex(v1 ? blake2b(plain_bytes) : file_hash(plain_bytes)));
  CHECK(file_hash(blob) != blake2b(blob));

  // One read gives both formats' hashes.
  spit(dir.path + "/blob", std::string(blob.begin(), blob.end()));
  Fd blob_fd(::open((dir.path + "/blob").c_str(), O_RDONLY));
  SecretBuffer doc_key = open_document_key(test::LooseKeys::for_opening(archive.pk.box_pk, archive.box_sk), p.sealed_key);
  BlobDigest d = read_blob(blob_fd.get(), archive.pk.archive_id, p.uid, doc_key, [](ByteView) {}, {}, AlsoFormat1::yes);
  CHECK(d.blob_hash == file_hash(blob));
  CHECK(d.content_hash == file_hash(plain_bytes));
  CHECK(d.blob_hash_v1 == blake2b(blob));
  CHECK(d.content_hash_v1 == blake2b(plain_bytes));

  // A version-1 front with a version-2 end (or the other way) is no whole envelope.
  std::string mixed = bytes;
  const std::string other = v1 ? "KAAPPIE2" : "KAAPPIE1";
  mixed.replace(mixed.size() - 8, 8, other);
  spit(dir.path + "/mixed.kenv", mixed);
  CHECK_THROWS_WITH(parts_of(dir.path + "/mixed.kenv"), Catch::Contains("not a whole kaappi envelope"));
  // The signature binds the version: the other magic at both ends fails it.
  mixed.replace(0, 8, other);
  spit(dir.path + "/mixed.kenv", mixed);
  EnvelopeParts relabelled = parts_of(dir.path + "/mixed.kenv");
  CHECK_FALSE(station_signature_ok(relabelled.station_pk, relabelled.signed_message, relabelled.signature));
}

TEST_CASE_METHOD(SealedScan,
                 "an envelope's start looks unfinished (still being written), and a whole one, or one that can never "
                 "become an envelope, does not",
                 "[envelope]") {
  auto unfinished = [&](const std::string& data) {
    spit(path, data);
    Fd fd(::open(path.c_str(), O_RDONLY));
    return envelope_looks_unfinished(fd.get());
  };
  for (size_t cut : {size_t{0}, size_t{3}, size_t{8}, size_t{20}, size_t{200}, good.size() / 2, good.size() - 1}) {
    INFO(cut);
    CHECK(unfinished(good.substr(0, cut)));
  }
  CHECK(unfinished(std::string("KAAPPIE1") + std::string(10, 'x')));  // version 1's start
  CHECK(!unfinished(good));
  CHECK(!unfinished("%PDF-1.4 not an envelope at all"));
  CHECK(!unfinished("KX"));  // not the start of the magic
}
