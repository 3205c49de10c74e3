// test_backup_manifest.cpp — a backup's layout and manifest
// (backup/backup_manifest.h): generation names, the manifest read back as
// written, and every manifest that is not one refused.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backup/backup_manifest.h"
#include "base/error.h"

using namespace kaappi;

namespace {

BackupManifest sample() {
  BackupManifest m;
  m.generation = "2026-11-28T201730Z";
  m.archive_id = Bytes(16, 0xab);
  m.made = 1795897050;
  m.head_tx = 57;
  m.head_digest = Bytes(32, 0x11);
  m.index_size = 4096;
  m.index_sha256 = Bytes(32, 0x22);
  m.blobs.push_back({"blobs/0a/0a000000000000000000000000000001.blob", 100, Bytes(32, 0x33)});
  m.blobs.push_back({"blobs/ff/ff000000000000000000000000000002.blob", 200, Bytes(32, 0x44)});
  return m;
}

ErrorKind kind_of_parse(const std::string& text) {
  try {
    parse_manifest(as_bytes(text), "m");
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::internal;  // parsed: not what these tests expect
}

}  // namespace

TEST_CASE("generation names are the UTC time, and only such names are taken for one", "[backup]") {
  CHECK(generation_name(0) == "1970-01-01T000000Z");
  CHECK(generation_name(1795897050) == "2026-11-28T201730Z");
  CHECK(is_generation_name("2026-11-28T201730Z"));
  CHECK(is_generation_name("2026-11-28T201730Z-02"));
  CHECK_FALSE(is_generation_name("2026-11-28T201730Z-2"));
  CHECK_FALSE(is_generation_name("2026-11-28T201730"));
  CHECK_FALSE(is_generation_name("../../etc"));
  CHECK_FALSE(is_generation_name("2026-11-28T201730Z-02x"));
  CHECK(generation_index_path("2026-11-28T201730Z") == "generations/2026-11-28T201730Z/index.sqlite");
}

TEST_CASE("whole generations have their manifest, the others are what a backup cut short left", "[backup]") {
  std::map<std::string, std::int64_t> listing = {
      {"generations/2026-11-28T201730Z/index.sqlite", 10},
      {"generations/2026-11-28T201730Z/manifest.json", 10},
      {"generations/2026-11-29T020000Z/index.sqlite", 10},
      {"generations/2026-11-30T020000Z/manifest.json", -1},  // not a regular file
      {"generations/notes/manifest.json", 10},               // not a generation's name
  };
  CHECK(whole_generations(listing) == std::vector<std::string>{"2026-11-28T201730Z"});
  CHECK(partial_generations(listing) == std::vector<std::string>{"2026-11-29T020000Z", "2026-11-30T020000Z"});
}

TEST_CASE("a manifest reads back as it was written", "[backup]") {
  BackupManifest m = sample();
  BackupManifest back = parse_manifest(as_bytes(manifest_json(m)), "m");
  CHECK(back.generation == m.generation);
  CHECK(back.archive_id == m.archive_id);
  CHECK(back.made == m.made);
  CHECK(back.head_tx == m.head_tx);
  CHECK(back.head_digest == m.head_digest);
  CHECK(back.index_size == m.index_size);
  CHECK(back.index_sha256 == m.index_sha256);
  REQUIRE(back.blobs.size() == 2);
  CHECK(back.blobs[1].path == m.blobs[1].path);
  CHECK(back.blobs[1].size == 200);
  CHECK(back.blobs[1].hash == m.blobs[1].hash);
  CHECK(parse_marker(as_bytes(marker_json(m.archive_id)), "k") == m.archive_id);
}

TEST_CASE("a manifest that is not one is refused as damaged, naming where it is", "[backup]") {
  const nlohmann::json good = nlohmann::json::parse(manifest_json(sample()));
  auto with = [&](const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json j = good;
    change(j);
    return j.dump();
  };
  CHECK(kind_of_parse("") == ErrorKind::corrupt);
  CHECK(kind_of_parse("[1,2]") == ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j.erase("head"); })) == ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["head"]["digest"] = "abcd"; })) == ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["head"]["change"] = -1; })) == ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["index"]["sha256"] = "zz"; })) == ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["generation"] = "../x"; })) == ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["blobs"][0]["path"] = "blobs/0a/../../../etc/passwd"; })) ==
        ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["blobs"][0]["path"] = "blobs/0b/0a000000000000000000000000000001.blob"; })) ==
        ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["blobs"][1] = j["blobs"][0]; })) == ErrorKind::corrupt);
  CHECK(kind_of_parse(with([](auto& j) { j["blobs"][0]["size"] = "100"; })) == ErrorKind::corrupt);
  // A later format is not damage: a newer kaappi reads it.
  CHECK(kind_of_parse(with([](auto& j) { j["kaappi_backup"] = 2; })) == ErrorKind::needs_upgrade);
  try {
    parse_manifest(as_bytes("{}"), "/media/usb/x/manifest.json");
    FAIL("parsed");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("/media/usb/x/manifest.json") != std::string::npos);
  }
}
