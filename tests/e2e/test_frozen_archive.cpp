// test_frozen_archive.cpp — today's kaappi reads the frozen archive of
// format 3 (tests/data/archive-v3.tar.gz, made once by the kaappi of
// 2026-11-26, see tests/data/make_frozen_archive.sh): it verifies without the
// key and with it, and every customer, consent state and event, document,
// station and the assignment read back as archive-v3.expected.json says.
// Each test works on its own unpacked copy, upgraded with kaappi upgrade (the
// archive is of schema version 3, format 1; the upgrade checks every format-1
// signature and signs its history anew as format 2, with the key), with its
// own XDG_STATE_HOME (the heads verify remembers), so the checked-in archive
// is never touched.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;
using nlohmann::json;

namespace {

const std::string k_data = std::string(KAAPPI_SOURCE_DIR) + "/tests/data";

json expected() { return json::parse(read_text(k_data + "/archive-v3.expected.json")); }

// The frozen archive, unpacked as the sandbox's archive, as it was made.
void unpack_as_made(const Sandbox& s) {
  Result r = s.run({"/bin/tar", "-xzf", k_data + "/archive-v3.tar.gz", "-C", s.dir()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(file_exists(s.archive() + "/index.sqlite"));
  REQUIRE_FALSE(file_exists(s.archive() + "/index.sqlite-wal"));
}

// The frozen archive, unpacked and upgraded (kaappi upgrade, with the key) to today's layout.
void unpack(const Sandbox& s) {
  unpack_as_made(s);
  Result r = s.kaappi({"upgrade"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("from schema version 3 to 5") != std::string::npos);
}

json kaappi_json(const Sandbox& s, std::vector<std::string> args) {
  args.push_back("--json");
  Result r = s.kaappi(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

std::string sha256_of_file(const std::string& path) {
  std::string data = read_text(path);
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

// The format-1 chain's digest after each sequence number of the unpacked
// frozen archive (docs/FORMAT.md, "Row signatures": BLAKE2b-256(digest ‖ u64
// seq ‖ sig)), computed here from the rows' signatures; [0] is all zero.
std::vector<std::string> format1_digests(const Sandbox& s) {
  std::string rows = sql_value(
      s, "SELECT group_concat(seq || ':' || hex(sig), ' ') FROM (SELECT seq, sig FROM archive UNION ALL SELECT seq, sig "
         "FROM customers UNION ALL SELECT seq, sig FROM customer_versions UNION ALL SELECT seq, sig FROM documents "
         "UNION ALL SELECT seq, sig FROM document_assignments UNION ALL SELECT seq, sig FROM consent_events UNION ALL "
         "SELECT seq, sig FROM access_log UNION ALL SELECT seq, sig FROM stations UNION ALL SELECT seq, sig FROM "
         "station_revocations ORDER BY seq)");
  std::vector<unsigned char> digest(32, 0);
  std::vector<std::string> out{std::string(64, '0')};
  std::istringstream in(rows);
  std::string item;
  while (in >> item) {
    const unsigned long long seq = std::stoull(item.substr(0, item.find(':')));
    const std::string hex = item.substr(item.find(':') + 1);
    std::vector<unsigned char> msg = digest;
    for (int i = 0; i < 8; ++i) msg.push_back(static_cast<unsigned char>(seq >> (8 * i)));
    for (size_t i = 0; i < hex.size(); i += 2) msg.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    crypto_generichash(digest.data(), digest.size(), msg.data(), msg.size(), nullptr, 0);
    char text[65];
    sodium_bin2hex(text, sizeof text, digest.data(), digest.size());
    out.push_back(text);
  }
  return out;
}

// Writes this machine's head record of the frozen archive as a kaappi of
// format 1 wrote it: "<seq> <digest hex>".
void remember_format1_head(const Sandbox& s, std::size_t seq, const std::string& digest_hex) {
  const std::string id = sql_value(s, "SELECT lower(hex(archive_id)) FROM archive");
  REQUIRE(s.run({"/bin/mkdir", "-p", s.path("home/state/kaappi")}).exit_code == 0);
  REQUIRE(s.run({"/bin/chmod", "700", s.path("home/state/kaappi")}).exit_code == 0);
  write_text(s.path("home/state/kaappi/" + id + ".head"), std::to_string(seq) + " " + digest_hex + "\n");
  REQUIRE(s.run({"/bin/chmod", "600", s.path("home/state/kaappi/" + id + ".head")}).exit_code == 0);
}

// Only the fields `like` has, taken from `actual`.
json same_fields(const json& actual, const json& like) {
  json out = json::object();
  for (const auto& [key, value] : like.items()) out[key] = actual.contains(key) ? actual[key] : json();
  return out;
}

}  // namespace

TEST_CASE("the frozen archive needs kaappi upgrade, which checks format 1 and signs it anew with the key",
          "[frozen]") {
  Sandbox s;
  unpack_as_made(s);
  json facts = expected();
  write_text(s.path("archive.pub"), facts["public_key"].get<std::string>() + "\n");
  std::string before = s.archive_fingerprint();
  const std::vector<std::vector<std::string>> commands = {
      {"verify", "--full"}, {"customer", "show", "1001"}, {"documents"},
      {"customer", "list"}, {"consent", "list", "--purpose", "research"}, {"consent", "show", "1001"},
      {"station", "list"}, {"access-log"}, {"recover"},
      {"get", "1", "-o", s.path("doc.pdf"), "--reason", "before upgrading"},
      {"customer", "add", "--number", "1009", "--name", "Uusi Oy"}, {"accept-restore", "--reason", "test"}};
  for (const auto& args : commands) {
    Result r = s.kaappi(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("schema version 3) and needs kaappi upgrade; nothing was changed") != std::string::npos);
  }
  CHECK(s.archive_fingerprint() == before);

  // Without the key it cannot sign: nothing changes.
  Result no_key = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("missing.key"), "upgrade"});
  INFO(no_key.err);
  CHECK(no_key.exit_code != 0);
  CHECK(s.archive_fingerprint() == before);
  // With a wrong passphrase neither.
  write_text(s.path("wrong-passphrase"), "not the passphrase\n");
  Result wrong = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--passphrase-file",
                        s.path("wrong-passphrase"), "upgrade"});
  CHECK(wrong.exit_code != 0);
  CHECK(s.archive_fingerprint() == before);

  Result up = s.kaappi({"upgrade"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find("Upgraded archive " + s.archive() + " from schema version 3 to 5:") != std::string::npos);
  CHECK(up.out.find("restores") != std::string::npos);
  CHECK(up.out.find("checked every format-1 signature") != std::string::npos);
  Result again = s.kaappi({"upgrade"});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("is current (schema version 5); nothing to do") != std::string::npos);
  Result verified = s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--public-key", s.path("archive.pub")});
  INFO(verified.out);
  CHECK(verified.exit_code == 0);
}

TEST_CASE("kaappi key public prints a format-1 archive's public key: it reads nothing that an upgrade changes",
          "[frozen]") {
  Sandbox s;
  unpack_as_made(s);
  const std::string public_key = expected()["public_key"].get<std::string>();
  const std::string before = s.archive_fingerprint();
  Result r = s.kaappi({"key", "public"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == public_key + "\n");
  CHECK(kaappi_json(s, {"key", "public"})["public_key"] == public_key);
  CHECK(s.archive_fingerprint() == before);
  // With another archive's key it says so, as it does on a current archive.
  Sandbox other;
  REQUIRE(other.run({bin("kaappi"), "--archive", other.archive(), "--key", other.path("new.key"), "--passphrase-file",
                     other.pass(), "init", "--kdf", "interactive"}).exit_code == 0);
  Result wrong = s.run({bin("kaappi"), "--archive", s.archive(), "--key", other.path("new.key"), "key", "public"});
  CHECK(wrong.exit_code == 3);
  CHECK(wrong.err.find("this key does not open archive " + s.archive()) != std::string::npos);
  // The same public key once upgraded: a scanning station keeps it.
  REQUIRE(s.kaappi({"upgrade"}).exit_code == 0);
  CHECK(s.kaappi({"key", "public"}).out == public_key + "\n");
}

// This machine's records (archive heads, folders), with their contents.
std::string machine_records(const Sandbox& s) {
  return s.run({"/bin/sh", "-c", "cd '" + s.path("home/state") + "' 2>/dev/null && find . | sort | xargs -r sha256sum 2>&1"})
      .out;
}

TEST_CASE("keyless verify reads a sound format-1 archive, says an upgrade is due and changes nothing", "[frozen]") {
  Sandbox s;
  unpack_as_made(s);
  write_text(s.path("archive.pub"), expected()["public_key"].get<std::string>() + "\n");
  SECTION("this machine remembers nothing of it") {}
  SECTION("this machine remembers its format-1 head") {
    std::vector<std::string> digests = format1_digests(s);
    remember_format1_head(s, digests.size() - 1, digests.back());
  }
  const std::string before = s.archive_fingerprint(), records = machine_records(s);
  const std::vector<std::string> entries = folder_entries(s.archive());
  for (const std::vector<std::string>& how :
       {std::vector<std::string>{"--public-key", s.path("archive.pub")}, std::vector<std::string>{"--key", s.key()}}) {
    std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "verify"};
    argv.insert(argv.end(), how.begin(), how.end());
    Result v = s.run(argv);
    INFO(how[0] << ": " << v.out << v.err);
    CHECK(v.exit_code == 7);
    CHECK(v.out.find("OK in format 1: 3 documents") != std::string::npos);
    CHECK(v.out.find("(keyless)") != std::string::npos);
    CHECK(v.out.find("The archive is sound in format 1, and an upgrade to format 2 is due: run kaappi upgrade") !=
          std::string::npos);
    argv.push_back("--json");
    Result j = s.run(argv);
    CHECK(j.exit_code == 7);
    json report = json::parse(j.out);
    CHECK(report["ok"] == true);
    CHECK(report["format"] == 1);
    CHECK(report["needs_upgrade"] == true);
    CHECK(report["documents_checked"] == 3);
  }
  CHECK(s.archive_fingerprint() == before);
  CHECK(folder_entries(s.archive()) == entries);  // no WAL or shared-memory file left either
  CHECK(machine_records(s) == records);
  Result up = s.kaappi({"upgrade"});
  INFO(up.err);
  CHECK(up.exit_code == 0);
}

TEST_CASE("keyless verify of an altered format-1 archive reports the problem, not only the upgrade", "[frozen]") {
  Sandbox s;
  unpack_as_made(s);
  std::string problem, detail;
  SECTION("a row's signature altered") {
    sql(s, "UPDATE customers SET sig = zeroblob(64) WHERE id = 2");
    problem = "index fails format 1's checks";
    detail = "customer";
  }
  SECTION("a signed value altered") {
    sql(s, "UPDATE documents SET kind = 'other' WHERE id = 1");
    problem = "index fails format 1's checks";
    detail = "document";
  }
  SECTION("the signed head altered") {
    sql(s, "UPDATE head SET seq = seq - 1");
    problem = "index fails format 1's checks";
    detail = "the index head does not match its signature";
  }
  SECTION("a blob altered") {
    Result blob = s.run({"/bin/sh", "-c", "find '" + s.archive() + "/blobs' -type f | sort | head -1"});
    const std::string path = blob.out.substr(0, blob.out.find('\n'));
    std::string bytes = read_text(path);
    bytes.back() = static_cast<char>(bytes.back() ^ 1);
    write_text(path, bytes);
    problem = "blob altered";
    detail = "BLAKE2b hash does not match";
  }
  SECTION("the archive does not continue the format-1 head this machine saw") {
    std::vector<std::string> digests = format1_digests(s);
    remember_format1_head(s, digests.size() - 1, digests[digests.size() - 2]);
    problem = "archive rolled back or forked";
    detail = "that this machine saw";
  }
  const std::string before = s.archive_fingerprint(), records = machine_records(s);
  Result v = s.kaappi({"verify"});
  INFO(v.out << v.err);
  CHECK(v.exit_code == 1);
  CHECK(v.out.find(problem) != std::string::npos);
  CHECK(v.out.find(detail) != std::string::npos);
  CHECK(v.out.find("PROBLEMS FOUND in format 1") != std::string::npos);
  CHECK(v.out.find("upgrade to format 2 is due") == std::string::npos);
  CHECK(s.archive_fingerprint() == before);
  CHECK(machine_records(s) == records);
}

TEST_CASE("a machine that remembers a format-1 head follows the archive through its upgrade", "[frozen]") {
  for (std::size_t back : {0, 3}) {
    Sandbox s;
    unpack_as_made(s);
    std::vector<std::string> digests = format1_digests(s);
    const std::size_t head = digests.size() - 1;
    REQUIRE(std::to_string(head) == sql_value(s, "SELECT seq FROM head"));
    REQUIRE(digests[head] == sql_value(s, "SELECT lower(hex(digest)) FROM head"));
    const std::size_t seen = head - back;
    INFO("this machine saw change " << seen << " of " << head);
    remember_format1_head(s, seen, digests[seen]);
    Result up = s.kaappi({"upgrade"});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    Result v = s.kaappi({"verify"});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    const std::string id = sql_value(s, "SELECT lower(hex(archive_id)) FROM archive");
    CHECK(read_text(s.path("home/state/kaappi/" + id + ".head")).rfind("t1 ", 0) == 0);
    CHECK(s.kaappi({"customer", "add", "--number", "1010", "--name", "Jatko Oy"}).exit_code == 0);
  }
}

TEST_CASE("a format-1 archive that does not continue the head this machine saw is not upgraded", "[frozen]") {
  Sandbox s;
  unpack_as_made(s);
  std::vector<std::string> digests = format1_digests(s);
  const std::size_t head = digests.size() - 1;
  SECTION("a later change than the archive holds") { remember_format1_head(s, head + 2, std::string(64, 'a')); }
  SECTION("its head number with another digest (a fork)") { remember_format1_head(s, head, digests[head - 1]); }
  SECTION("an earlier change with another digest") { remember_format1_head(s, head - 2, digests[head - 1]); }
  std::string before = s.archive_fingerprint();
  Result up = s.kaappi({"upgrade"});
  INFO(up.err);
  CHECK(up.exit_code == 1);
  CHECK(up.err.find("does not continue change") != std::string::npos);
  CHECK(up.err.find("nothing was changed") != std::string::npos);
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("a frozen archive whose format-1 rows were altered is not signed anew", "[frozen]") {
  Sandbox s;
  unpack_as_made(s);
  std::string expected;
  SECTION("a signed value edited") {
    sql(s, "UPDATE documents SET kind = 'other' WHERE id = 1");
    expected = "fails format 1's checks (the document's index row";
  }
  SECTION("an empty customer link stored as 0, which format 1's signature cannot tell from NULL") {
    REQUIRE(sql_value(s, "SELECT count(*) FROM documents WHERE customer_id IS NULL") != "0");
    sql(s, "UPDATE documents SET customer_id = 0 WHERE customer_id IS NULL");
    expected = "row(s) of documents store a value otherwise than kaappi stores it, or a link to no row";
  }
  std::string before = s.archive_fingerprint();
  Result up = s.kaappi({"upgrade"});
  INFO(up.err);
  CHECK(up.exit_code == 1);
  CHECK(up.err.find(expected) != std::string::npos);
  CHECK(up.err.find("nothing was changed") != std::string::npos);
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("one row altered in an upgraded archive's first change is one problem, naming no innocent document",
          "[frozen]") {
  Sandbox s;
  unpack(s);
  sql(s, "UPDATE documents SET kind = 'other' WHERE id = 1");
  Result v = s.kaappi({"verify", "--json"});
  INFO(v.out);
  CHECK(v.exit_code == 1);
  json report = json::parse(v.out);
  REQUIRE(report["problems"].size() == 1);
  CHECK(report["problems"][0]["problem"] == "index rows altered");
  CHECK(report["problems"][0]["document"].is_null());
  CHECK(report["problems"][0]["detail"].get<std::string>().find("change 1 does not match its signature") !=
        std::string::npos);
}

TEST_CASE("the frozen archive verifies without the key and with it", "[frozen]") {
  Sandbox s;
  unpack(s);
  json facts = expected();
  write_text(s.path("archive.pub"), facts["public_key"].get<std::string>() + "\n");
  // Keyless: no key file, no passphrase.
  Result keyless = s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--public-key", s.path("archive.pub")});
  INFO(keyless.out << keyless.err);
  CHECK(keyless.exit_code == 0);
  Result full = s.kaappi({"verify", "--full"});
  INFO(full.out << full.err);
  CHECK(full.exit_code == 0);
  Result pub = s.kaappi({"key", "public"});
  CHECK(pub.out == facts["public_key"].get<std::string>() + "\n");
}

TEST_CASE("the frozen archive's customers, consents and events read back as recorded", "[frozen]") {
  Sandbox s;
  unpack(s);
  json facts = expected();
  REQUIRE(facts["customers"].size() == 3);
  for (const auto& want : facts["customers"]) {
    json got = kaappi_json(s, {"customer", "show", want["number"]});
    CHECK(same_fields(got, want) == want);
  }
  REQUIRE(facts["consents"].size() == 3);
  for (const auto& want : facts["consents"]) {
    json got = kaappi_json(s, {"consent", "show", want["customer"], "--as-of", facts["consents_as_of"]});
    json states = json::array();
    for (const auto& c : got["consents"])
      if (c["state"] != "none") states.push_back(same_fields(c, want["consents"].at(0)));
    CHECK(states == want["consents"]);
  }
  json events = json::array();
  for (const char* number : {"1001", "1002", "1003"}) {
    json history = kaappi_json(s, {"consent", "history", number});
    for (json e : history["events"]) {
      e["event"] = e["id"];  // the facts were written before 0.2 renamed a consent event's "event" to "id"
      json one = same_fields(e, facts["consent_events"].at(0));
      one["customer"] = number;
      events.push_back(one);
    }
  }
  CHECK(events == facts["consent_events"]);
  bool corrected = false, retracted = false;
  for (const auto& e : events) {
    corrected = corrected || !e["corrects"].is_null();
    retracted = retracted || e["state"] == "retracted";
  }
  CHECK(corrected);
  CHECK(retracted);
}

TEST_CASE("the frozen archive's documents, station and assignment read back as recorded", "[frozen]") {
  Sandbox s;
  unpack(s);
  json facts = expected();
  CHECK(kaappi_json(s, {"access-log"})["access_log"].size() == facts["access_log_entries"]);
  json stations = json::array();
  json listed = kaappi_json(s, {"station", "list"});
  for (const auto& st : listed["stations"])
    stations.push_back(same_fields(st, facts["stations"].at(0)));
  CHECK(stations == facts["stations"]);

  json documents = kaappi_json(s, {"documents"})["documents"];
  REQUIRE(documents.size() == facts["documents"].size());
  for (const auto& want : facts["documents"]) {
    json got;
    for (const auto& d : documents)
      if (d["id"] == want["id"]) got = d;
    json without_sha = want;
    without_sha.erase("sha256");
    CHECK(same_fields(got, without_sha) == without_sha);
    std::string out = s.path("doc-" + want["id"].dump() + ".pdf");
    Result r = s.kaappi({"get", want["id"].dump(), "-o", out, "--reason", "frozen archive test"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(sha256_of_file(out) == want["sha256"]);
  }

  const json& assignment = facts["assignment"];
  CHECK(kaappi_json(s, {"documents", "--unassigned"})["documents"].empty());
  bool assigned = false;
  json of_customer = kaappi_json(s, {"documents", "--customer", assignment["customer"]});
  for (const auto& d : of_customer["documents"])
    assigned = assigned || d["id"] == assignment["document"];
  CHECK(assigned);
  // The scan came through the station before it was assigned.
  for (const auto& d : documents)
    if (d["id"] == assignment["document"]) CHECK(d["station"] == facts["stations"].at(0)["name"]);
}
