// test_backup.cpp — kaappi backup, verify-backup, restore and verify
// --against-backup (issue 11) with the real binaries: a folder destination
// and an rclone remote of type local (no network); tampering with each part
// of a backup; a backup rolled back or replaced; kills during backup and
// restore; a backup of a backup. Machines are played with separate
// XDG_STATE_HOME folders.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "harness.h"

using namespace e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Env = std::map<std::string, std::string>;

// An archive with customer 1001 and two documents, built once per process.
const Sandbox& fixture() {
  static Sandbox s = [] {
    Sandbox f;
    f.init_archive_with_customer();
    f.import({f.make_pdf("form.pdf", {"--form", "consent", "--seed", "1"})});
    f.import({f.make_pdf("contract.pdf", {"--form", "contract", "--pages", "3", "--seed", "2"})}, "contract");
    return f;
  }();
  return s;
}

json ok_json(const Sandbox& s, std::vector<std::string> args, const Env& env = {}) {
  args.push_back("--json");
  Result r = s.kaappi(args, env);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

Result verify_backup(const Sandbox& s, const std::string& dest, std::vector<std::string> more = {},
                     const Env& env = {}) {
  std::vector<std::string> args = {"verify-backup", dest, "--json"};
  args.insert(args.end(), more.begin(), more.end());
  return s.kaappi(args, env);
}

bool has_problem(const Result& r, const std::string& problem) {
  json report = json::parse(r.out);
  for (const auto& p : report["problems"])
    if (p["problem"] == problem) return true;
  return false;
}

std::string problems_of(const Result& r) {
  try {
    return json::parse(r.out)["problems"].dump();
  } catch (...) {
    return r.out + r.err;
  }
}

std::vector<std::string> generations(const std::string& dest) {
  std::vector<std::string> out;
  if (!fs::exists(dest + "/generations")) return out;
  for (const auto& e : fs::directory_iterator(dest + "/generations")) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> blobs_in(const std::string& dest) {
  std::vector<std::string> out;
  if (!fs::exists(dest + "/blobs")) return out;
  for (const auto& e : fs::recursive_directory_iterator(dest + "/blobs"))
    if (e.is_regular_file()) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

void add_customer(const Sandbox& s, const std::string& number) {
  Result r = s.kaappi({"customer", "add", "--number", number, "--name", "Asiakas " + number});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// kaappi on the archive folder `root` instead of the sandbox's.
Result in_archive(const Sandbox& s, const std::string& root, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {bin("kaappi"), "--archive", root, "--key", s.key(), "--passphrase-file", s.pass()};
  argv.insert(argv.end(), args.begin(), args.end());
  return s.run(argv);
}

std::string rclone_config(const Sandbox& s) {
  write_text(s.path("rclone.conf"), "[office]\ntype = local\n");
  return s.path("rclone.conf");
}

// A file of the backup rewritten by `edit` on its bytes.
void edit_file(const std::string& path, const std::function<void(std::string&)>& edit) {
  std::string text = read_text(path);
  edit(text);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  write_text(path, text);
}

std::string newest_manifest(const std::string& dest) {
  return dest + "/generations/" + generations(dest).back() + "/manifest.json";
}

}  // namespace

TEST_CASE("a backup to a folder holds the archive: verify-backup checks it, a second one copies only what is new",
          "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("usb/kaappi");
  REQUIRE(::mkdir(s.path("usb").c_str(), 0700) == 0);
  json first = ok_json(s, {"backup", dest});
  CHECK(first["blobs"] == 2);
  CHECK(first["blobs_copied"] == 2);
  CHECK(file_exists(dest + "/KAAPPI-BACKUP"));
  CHECK(blobs_in(dest).size() == 2);
  REQUIRE(generations(dest).size() == 1);
  // Nothing in plaintext: the customer's name is in no file of the backup.
  Result grep = s.run({"/bin/grep", "-r", "-l", "Asiakas", dest});
  CHECK(grep.exit_code == 1);

  json checked = ok_json(s, {"verify-backup", dest});
  CHECK(checked["ok"] == true);
  CHECK(checked["blobs_read"] == 2);

  add_customer(s, "1002");
  json second = ok_json(s, {"backup", dest});
  CHECK(second["blobs_copied"] == 0);
  CHECK(second["change"].get<int>() > first["change"].get<int>());
  CHECK(generations(dest).size() == 2);
  Result text = s.kaappi({"verify-backup", dest});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("OK: backup") != std::string::npos);
  // A sample reads fewer (0 %: none), and still checks that every blob is there.
  json none = ok_json(s, {"verify-backup", dest, "--sample", "0"});
  CHECK(none["blobs_read"] == 0);
  CHECK(none["blobs"] == 2);
}

TEST_CASE("old generations beyond --generations are removed, and blobs no kept generation lists", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  for (int i = 0; i < 4; ++i) {
    add_customer(s, std::to_string(2000 + i));
    ok_json(s, {"backup", dest, "--generations", "2"});
  }
  CHECK(generations(dest).size() == 2);
  // A blob no generation lists (as an erased document's is once the
  // generations holding it are gone) leaves with the next backup.
  fs::create_directories(dest + "/blobs/ab");
  write_text(dest + "/blobs/ab/ab000000000000000000000000000000.blob", "left over");
  json r = ok_json(s, {"backup", dest, "--generations", "2"});
  CHECK(r["blobs_removed"] == 1);
  CHECK(r["removed_generations"].size() == 1);
  CHECK(blobs_in(dest).size() == 2);
  CHECK(verify_backup(s, dest).exit_code == 0);
}

TEST_CASE("a backup is refused where the destination holds something else, and nothing is written there",
          "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("photos");
  fs::create_directories(dest);
  write_text(dest + "/holiday.jpg", "not kaappi's");
  Result r = s.kaappi({"backup", dest});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("is not empty and is not a kaappi backup") != std::string::npos);
  CHECK(folder_entries(dest) == std::vector<std::string>{"holiday.jpg"});

  // Another archive's backup.
  Sandbox other;
  other.init_archive_with_customer();
  const std::string theirs = s.path("theirs");
  REQUIRE(other.kaappi({"backup", theirs}).exit_code == 0);
  std::vector<std::string> before = generations(theirs);
  Result mixed = s.kaappi({"backup", theirs});
  CHECK(mixed.exit_code == 4);
  CHECK(mixed.err.find("holds a backup of archive") != std::string::npos);
  CHECK(generations(theirs) == before);

  // Not inside the archive folder.
  const std::string fingerprint = s.archive_fingerprint();
  Result inside = s.kaappi({"backup", s.archive() + "/backup"});
  CHECK(inside.exit_code == 4);
  CHECK(inside.err.find("overlap") != std::string::npos);
  CHECK(s.archive_fingerprint() == fingerprint);

  Result nothing = s.kaappi({"verify-backup", s.path("nowhere")});
  CHECK(nothing.exit_code == 5);
  Result no_dest = s.kaappi({"backup"});
  CHECK(no_dest.exit_code == 2);
}

TEST_CASE("tampering with each part of a backup is caught by verify-backup", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string clean = s.path("clean");
  ok_json(s, {"backup", clean});
  // Each case on a fresh copy, checked on a machine with no record of it
  // (the record would catch a replaced backup too, tested below).
  auto tampered = [&](const std::string& name, const std::function<void(const std::string&)>& tamper) {
    const std::string dest = s.path(name);
    REQUIRE(s.run({"/bin/cp", "-a", clean, dest}).exit_code == 0);
    tamper(dest);
    Result r = verify_backup(s, dest, {}, {{"XDG_STATE_HOME", s.path("state-fresh")}});
    INFO(name << ": " << r.out << r.err);
    CHECK(r.exit_code == 1);
    return r;
  };
  auto blob = [&](const std::string& dest) { return dest + "/blobs/" + blobs_in(dest).front().substr(0, 2) + "/" + blobs_in(dest).front(); };

  Result flipped = tampered("flipped", [&](const std::string& d) {
    edit_file(blob(d), [](std::string& t) { t[t.size() / 2] ^= 1; });
  });
  CHECK(has_problem(flipped, "blob altered"));
  Result missing = tampered("missing", [&](const std::string& d) { fs::remove(blob(d)); });
  CHECK(has_problem(missing, "blob missing from the backup"));
  Result cut = tampered("cut", [&](const std::string& d) {
    edit_file(blob(d), [](std::string& t) { t.resize(t.size() - 10); });
  });
  CHECK(has_problem(cut, "blob missing from the backup"));
  Result index = tampered("index", [&](const std::string& d) {
    std::string path = d + "/generations/" + generations(d).back() + "/index.sqlite";
    edit_file(path, [](std::string& t) { t[t.size() - 100] ^= 1; });
  });
  CHECK(has_problem(index, "backup damaged"));
  Result head = tampered("head", [&](const std::string& d) {
    edit_file(newest_manifest(d), [](std::string& t) {
      json m = json::parse(t);
      m["head"]["change"] = m["head"]["change"].get<int>() - 1;
      t = m.dump();
    });
  });
  CHECK(has_problem(head, "backup manifest altered"));
  Result unlisted = tampered("unlisted", [&](const std::string& d) {
    edit_file(newest_manifest(d), [](std::string& t) {
      json m = json::parse(t);
      m["blobs"].erase(0);
      t = m.dump();
    });
  });
  CHECK(has_problem(unlisted, "backup manifest altered"));
  Result hash = tampered("hash", [&](const std::string& d) {
    edit_file(newest_manifest(d), [](std::string& t) {
      json m = json::parse(t);
      std::string h = m["blobs"][0]["hash"];
      h[0] = h[0] == '0' ? '1' : '0';
      m["blobs"][0]["hash"] = h;
      t = m.dump();
    });
  });
  CHECK(has_problem(hash, "backup manifest altered"));
  Result garbage = tampered("garbage", [&](const std::string& d) {
    edit_file(newest_manifest(d), [](std::string& t) { t = "{\"kaappi_backup\": 1, \"generation\": 5}"; });
  });
  CHECK(has_problem(garbage, "backup damaged"));

  // An index row changed, with the manifest made to match the altered file:
  // the signed rows say so.
  const std::string rows = s.path("rows");
  REQUIRE(s.run({"/bin/cp", "-a", clean, rows}).exit_code == 0);
  const std::string index_path = rows + "/generations/" + generations(rows).back() + "/index.sqlite";
  fs::permissions(index_path, fs::perms::owner_read | fs::perms::owner_write);
  REQUIRE(s.run({"/usr/bin/python3", "-c",
                 "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE documents SET kind=\"x\"'); "
                 "c.commit()",
                 index_path})
              .exit_code == 0);
  std::string sha = s.run({"/usr/bin/sha256sum", index_path}).out.substr(0, 64);
  edit_file(newest_manifest(rows), [&](std::string& t) {
    json m = json::parse(t);
    m["index"]["sha256"] = sha;
    m["index"]["size"] = fs::file_size(index_path);
    t = m.dump();
  });
  Result signed_rows = verify_backup(s, rows, {}, {{"XDG_STATE_HOME", s.path("state-fresh")}});
  INFO(signed_rows.out);
  CHECK(signed_rows.exit_code == 1);
  CHECK(!json::parse(signed_rows.out)["problems"].empty());
}

TEST_CASE("a backup rolled back to an older one, or forked, is caught by the machine that made it", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  REQUIRE(s.run({"/bin/cp", "-a", dest, s.path("old")}).exit_code == 0);
  add_customer(s, "1002");
  ok_json(s, {"backup", dest});
  ok_json(s, {"verify-backup", dest});
  // The destination replaced by its older copy (the newer generation gone).
  REQUIRE(s.run({"/bin/sh", "-c", "rm -rf '" + dest + "' && cp -a '" + s.path("old") + "' '" + dest + "'"}).exit_code == 0);
  Result r = verify_backup(s, dest);
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(has_problem(r, "backup rolled back"));
  // A machine that recorded nothing of it takes it for what it is.
  CHECK(verify_backup(s, dest, {}, {{"XDG_STATE_HOME", s.path("state-other")}}).exit_code == 0);
}

TEST_CASE("restore makes a whole archive in a new folder that verifies and gives the documents back", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  // Not into a folder with something in it.
  fs::create_directories(s.path("busy"));
  write_text(s.path("busy/file"), "x");
  Result busy = s.kaappi({"restore", dest, "--to", s.path("busy")});
  CHECK(busy.exit_code == 4);
  CHECK(folder_entries(s.path("busy")) == std::vector<std::string>{"file"});

  write_text(s.path("a-file"), "x");
  Result file = s.kaappi({"restore", dest, "--to", s.path("a-file")});
  CHECK(file.exit_code == 4);
  CHECK(file.err.find("is a regular file, not a folder") != std::string::npos);
  const std::string to = s.path("restored");
  Result r = s.kaappi({"restore", dest, "--to", to});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("nothing was given up") != std::string::npos);
  Result v = in_archive(s, to, {"verify"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  Result full = in_archive(s, to, {"verify", "--full"});
  CHECK(full.exit_code == 0);
  Result got = in_archive(s, to, {"get", "1", "-o", s.path("back.pdf"), "--reason", "restore test"});
  INFO(got.err);
  REQUIRE(got.exit_code == 0);
  CHECK(sha_of_file(s.path("back.pdf")) == sha_of_file(s.path("form.pdf")));
  // Writes work in the restored archive.
  Result add = in_archive(s, to, {"customer", "add", "--number", "1003", "--name", "Uusi"});
  CHECK(add.exit_code == 0);
}

TEST_CASE("a restore of an older backup records a signed restore row that verify explains", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  add_customer(s, "1002");  // this machine sees a change the backup does not hold
  const std::string to = s.path("restored");
  json r = ok_json(s, {"restore", dest, "--to", to, "--reason", "disk failed"});
  REQUIRE(r["restore_row"].is_object());
  Result v = in_archive(s, to, {"verify", "--json"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  bool noted = false;
  const json report = json::parse(v.out);
  for (const auto& n : report["notes"]) noted |= n.get<std::string>().find("restored from a backup") != std::string::npos;
  CHECK(noted);
  // Writes go on in the restored archive.
  CHECK(in_archive(s, to, {"customer", "add", "--number", "1004", "--name", "Jatkuu"}).exit_code == 0);
}

TEST_CASE("a restore of an older backup without --reason leaves the archive in use as it was", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  add_customer(s, "1002");
  const std::string to = s.path("inspect");
  json r = ok_json(s, {"restore", dest, "--to", to});
  CHECK(r["restore_row"].is_null());
  CHECK(r["needs_accept_restore"] == true);
  Result text = s.kaappi({"restore", dest, "--to", s.path("inspect2")});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("accept-restore --reason") != std::string::npos);
  // The archive in use goes on; the copy is not taken for it.
  add_customer(s, "1003");
  CHECK(ok_json(s, {"backup", dest})["generation"].is_string());
  Result refused = in_archive(s, to, {"customer", "add", "--number", "1004", "--name", "Ei"});
  CHECK(refused.exit_code == 1);
}

TEST_CASE("a backup of an archive older than what the destination holds is refused, and prunes nothing", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path("old")}).exit_code == 0);
  add_customer(s, "1002");
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  const std::vector<std::string> before = generations(dest);
  // The old copy, on a machine that never saw the newer one (a new PC set up from an old disk).
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-new-pc")}};
  Result r = s.run({bin("kaappi"), "--archive", s.path("old"), "--key", s.key(), "backup", dest, "--generations", "1"},
                   fresh);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("Nothing was backed up") != std::string::npos);
  CHECK(generations(dest) == before);
  CHECK(blobs_in(dest).size() == 2);
}

TEST_CASE("a generation planted under a later name does not hide the newest, and is named", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path("old")}).exit_code == 0);
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  const std::string first = generations(dest).front();
  add_customer(s, "1002");
  json newest = ok_json(s, {"backup", dest});
  // The older generation copied under a name from the future.
  const std::string planted = "2099-01-01T000000Z";
  REQUIRE(s.run({"/bin/cp", "-a", dest + "/generations/" + first, dest + "/generations/" + planted}).exit_code == 0);
  edit_file(dest + "/generations/" + planted + "/manifest.json", [&](std::string& t) {
    json m = json::parse(t);
    m["generation"] = planted;
    t = m.dump();
  });
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-fresh")}};
  Result checked = verify_backup(s, dest, {}, fresh);
  INFO(checked.out);
  CHECK(checked.exit_code == 1);
  CHECK(has_problem(checked, "backup damaged"));
  CHECK(json::parse(checked.out)["generation"] == newest["generation"]);
  // The witness still uses the newest change: the old archive is caught.
  Result pub = s.kaappi({"key", "public"});
  write_text(s.path("archive.pub"), pub.out);
  Result rolled = s.run({bin("kaappi"), "--archive", s.path("old"), "verify", "--public-key", s.path("archive.pub"),
                         "--against-backup", dest, "--json"},
                        {{"XDG_STATE_HOME", s.path("state-witness")}});
  CHECK(rolled.exit_code == 1);
  CHECK(has_problem(rolled, "archive rolled back"));
}

TEST_CASE("odd files in a backup are named: a manifest that is a FIFO, an index as a huge sparse file", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  add_customer(s, "1002");
  ok_json(s, {"backup", dest});
  const std::string newest = generations(dest).back();
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-fresh")}};
  // The newest manifest replaced by a FIFO: named, never hanging.
  const std::string manifest = dest + "/generations/" + newest + "/manifest.json";
  REQUIRE(s.run({"/bin/sh", "-c", "cp -a '" + dest + "' '" + s.path("fifo") + "'"}).exit_code == 0);
  const std::string fifo_manifest = s.path("fifo") + "/generations/" + newest + "/manifest.json";
  fs::remove(fifo_manifest);
  REQUIRE(::mkfifo(fifo_manifest.c_str(), 0600) == 0);
  Result fifo = verify_backup(s, s.path("fifo"), {}, fresh);
  INFO(fifo.out << fifo.err);
  CHECK(fifo.exit_code == 1);
  CHECK(has_problem(fifo, "backup damaged"));
  // The newest manifest replaced by a folder.
  REQUIRE(s.run({"/bin/cp", "-a", dest, s.path("folder")}).exit_code == 0);
  const std::string folder_manifest = s.path("folder") + "/generations/" + newest + "/manifest.json";
  fs::remove(folder_manifest);
  fs::create_directories(folder_manifest);
  Result folder = verify_backup(s, s.path("folder"), {}, fresh);
  INFO(folder.out << folder.err);
  CHECK(folder.exit_code == 1);
  CHECK(has_problem(folder, "backup damaged"));
  // A folder with something in it where a blob belongs: named, and a backup says what is in the way.
  REQUIRE(s.run({"/bin/cp", "-a", dest, s.path("blobdir")}).exit_code == 0);
  const std::string b = blobs_in(s.path("blobdir")).front();
  const std::string blob_path = s.path("blobdir") + "/blobs/" + b.substr(0, 2) + "/" + b;
  fs::remove(blob_path);
  fs::create_directories(blob_path + "/inside");
  Result named = verify_backup(s, s.path("blobdir"), {}, fresh);
  CHECK(has_problem(named, "blob missing from the backup"));
  Result in_the_way = s.kaappi({"backup", s.path("blobdir")});
  INFO(in_the_way.err);
  CHECK(in_the_way.exit_code == 4);
  CHECK(in_the_way.err.find("is in the way") != std::string::npos);
  // The index made a 5 GiB sparse file: refused by its size at once.
  const std::string index = dest + "/generations/" + newest + "/index.sqlite";
  fs::permissions(index, fs::perms::owner_read | fs::perms::owner_write);
  fs::resize_file(index, std::uintmax_t{5} << 30);
  auto t0 = std::chrono::steady_clock::now();
  Result sparse = verify_backup(s, dest, {}, fresh);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
  CHECK(sparse.exit_code == 1);
  CHECK(has_problem(sparse, "backup damaged"));
}

TEST_CASE("a blob damaged at the destination is copied again by the next backup", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  std::string b = blobs_in(dest).front();
  std::string path = dest + "/blobs/" + b.substr(0, 2) + "/" + b;
  edit_file(path, [](std::string& t) { t[t.size() / 2] ^= 8; });
  CHECK(verify_backup(s, dest).exit_code == 1);
  json r = ok_json(s, {"backup", dest});
  CHECK(r["blobs_copied"] == 1);
  CHECK(r["notes"].dump().find("damaged since it was copied") != std::string::npos);
  CHECK(verify_backup(s, dest).exit_code == 0);
}

TEST_CASE("verify --against-backup catches a rolled-back archive on a machine that never saw it", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path("before")}).exit_code == 0);
  add_customer(s, "1002");
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  Result pub = s.kaappi({"key", "public"});
  write_text(s.path("archive.pub"), pub.out);
  const Env fresh = {{"XDG_STATE_HOME", s.path("state-new-machine")}};
  // The current archive continues the backup.
  Result sound = s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--public-key", s.path("archive.pub"),
                        "--against-backup", dest, "--json"},
                       fresh);
  INFO(sound.out);
  CHECK(sound.exit_code == 0);
  // The old copy is behind the backup: rolled back, seen by a machine with no record.
  Result rolled = s.run({bin("kaappi"), "--archive", s.path("before"), "verify", "--public-key",
                         s.path("archive.pub"), "--against-backup", dest, "--json"},
                        {{"XDG_STATE_HOME", s.path("state-another")}});
  INFO(rolled.out);
  CHECK(rolled.exit_code == 1);
  CHECK(has_problem(rolled, "archive rolled back"));
  // Without the backup, that machine could not tell.
  Result blind = s.run({bin("kaappi"), "--archive", s.path("before"), "verify", "--public-key",
                        s.path("archive.pub"), "--json"},
                       {{"XDG_STATE_HOME", s.path("state-third")}});
  CHECK(blind.exit_code == 0);
}

TEST_CASE("an rclone remote of type local: backup, verify-backup, tampering and restore", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const Env env = {{"RCLONE_CONFIG", rclone_config(s)}};
  fs::create_directories(s.path("remote"));
  const std::string dest = "rclone:office:" + s.path("remote/kaappi");
  json first = ok_json(s, {"backup", dest}, env);
  CHECK(first["blobs_copied"] == 2);
  CHECK(generations(s.path("remote/kaappi")).size() == 1);
  add_customer(s, "1002");
  json second = ok_json(s, {"backup", dest}, env);
  CHECK(second["blobs_copied"] == 0);
  json checked = ok_json(s, {"verify-backup", dest}, env);
  CHECK(checked["ok"] == true);
  CHECK(checked["blobs_read"] == 2);
  // A blob altered on the remote.
  const std::string remote = s.path("remote/kaappi");
  std::string b = blobs_in(remote).front();
  std::string path = remote + "/blobs/" + b.substr(0, 2) + "/" + b;
  std::string original = read_text(path);
  edit_file(path, [](std::string& t) { t[t.size() / 3] ^= 4; });
  Result bad = verify_backup(s, dest, {}, env);
  CHECK(bad.exit_code == 1);
  CHECK(has_problem(bad, "blob altered"));
  // A restore from it refuses the altered blob, and leaves no folder.
  Result refused = s.kaappi({"restore", dest, "--to", s.path("r1")}, env);
  CHECK(refused.exit_code == 1);
  CHECK(!file_exists(s.path("r1")));
  write_text(path, original);
  json restored = ok_json(s, {"restore", dest, "--to", s.path("r2")}, env);
  CHECK(in_archive(s, s.path("r2"), {"verify"}).exit_code == 0);
  // The same remote path spelled otherwise is the same destination to this machine's record.
  const std::string older = s.path("remote-older");
  REQUIRE(s.run({"/bin/cp", "-a", remote, older}).exit_code == 0);
  add_customer(s, "1003");
  ok_json(s, {"backup", dest}, env);
  ok_json(s, {"verify-backup", dest}, env);
  REQUIRE(s.run({"/bin/sh", "-c", "rm -rf '" + remote + "' && cp -a '" + older + "' '" + remote + "'"}).exit_code == 0);
  for (const std::string& spelling : {"rclone:office:/" + s.path("remote/kaappi") + "/",
                                      "rclone:office:" + s.path("remote/./x/../kaappi")}) {
    Result aliased = verify_backup(s, spelling, {}, env);
    INFO(spelling << ": " << aliased.out << aliased.err);
    CHECK(aliased.exit_code == 1);
    CHECK(has_problem(aliased, "backup rolled back"));
  }
  // An unknown remote is named.
  Result unknown = s.kaappi({"backup", "rclone:nosuch:" + s.path("x")}, env);
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err.find("rclone") != std::string::npos);
}

TEST_CASE("a backup of a backup: a copied destination verifies and restores", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  REQUIRE(s.run({"/bin/cp", "-a", dest, s.path("copy")}).exit_code == 0);
  CHECK(verify_backup(s, s.path("copy")).exit_code == 0);
  // And copied on with rclone to a remote.
  const Env env = {{"RCLONE_CONFIG", rclone_config(s)}};
  REQUIRE(s.run({"/usr/bin/rclone", "copy", s.path("copy"), "office:" + s.path("remote")}, env).exit_code == 0);
  CHECK(verify_backup(s, "rclone:office:" + s.path("remote"), {}, env).exit_code == 0);
  json r = ok_json(s, {"restore", "rclone:office:" + s.path("remote"), "--to", s.path("restored")}, env);
  CHECK(in_archive(s, s.path("restored"), {"verify"}).exit_code == 0);
}

TEST_CASE("a backup killed at each step leaves no generation a reader takes, and the next one completes", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  const std::string whole = generations(dest).back();
  add_customer(s, "1002");
  for (const char* point : {"backup.index.copied", "backup.put.fsync", "backup.blobs.copied", "backup.index.placed",
                            "backup.put.rename"}) {
    Result killed = s.kaappi({"backup", dest}, {{"KAAPPI_FAULT", point}});
    INFO(point);
    CHECK(killed.exit_code == 128 + SIGKILL);
    json checked = ok_json(s, {"verify-backup", dest});
    CHECK(checked["generation"] == whole);  // the half one is not taken
  }
  // A second later, as on a slow machine: the next backup's generation gets a new name.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  json done = ok_json(s, {"backup", dest});
  CHECK(done["generation"] != whole);
  json checked = ok_json(s, {"verify-backup", dest});
  CHECK(checked["generation"] == done["generation"]);
  // What the killed runs left is gone.
  for (const auto& g : generations(dest)) CHECK(file_exists(dest + "/generations/" + g + "/manifest.json"));
  CHECK(folder_entries(dest + "/tmp").empty());
}

TEST_CASE("kill -9 at random moments during backups never leaves a backup that does not check out", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  for (int i = 0; i < 6; ++i) s.import({s.make_pdf("big" + std::to_string(i) + ".pdf", {"--pages", "20", "--seed", std::to_string(10 + i)})});
  const std::string dest = s.path("dest");
  std::mt19937 rng(std::random_device{}());
  int made = 0;
  for (int round = 0; round < 8; ++round) {
    if (round % 2 == 0) add_customer(s, std::to_string(3000 + round));
    int pid = s.spawn_kaappi({"backup", dest, "--generations", "3"});
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 250)(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++made;
    if (generations(dest).empty() || !file_exists(dest + "/KAAPPI-BACKUP")) continue;
    Result r = verify_backup(s, dest);
    if (r.exit_code == 5) continue;  // no whole generation yet
    INFO("round " << round << ": " << problems_of(r));
    CHECK(r.exit_code == 0);
  }
  json done = ok_json(s, {"backup", dest, "--generations", "3"});
  CHECK(ok_json(s, {"verify-backup", dest})["ok"] == true);
  INFO("backups that finished before the kill: " << made);
}

TEST_CASE("a restore killed on the way leaves no archive folder, and the next one completes", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  const std::string to = s.path("restored");
  for (const char* point : {"restore.blob", "restore.index.fsync", "restore.staged"}) {
    Result killed = s.kaappi({"restore", dest, "--to", to}, {{"KAAPPI_FAULT", point}});
    INFO(point << ": " << killed.err);
    CHECK(killed.exit_code == 128 + SIGKILL);
    CHECK(!file_exists(to));
  }
  ok_json(s, {"restore", dest, "--to", to});
  CHECK(in_archive(s, to, {"verify"}).exit_code == 0);
  CHECK(!file_exists(s.path(".restored.restoring")));
}

TEST_CASE("the settings file's backup is the destination when DEST is not given", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  fs::create_directories(s.path("home/config/kaappi"));
  write_text(s.path("home/config/kaappi/config"), "# nightly backup\nbackup = " + s.path("usb") + "\n");
  json made = ok_json(s, {"backup"});
  CHECK(made["destination"] == s.path("usb"));
  CHECK(file_exists(s.path("usb/KAAPPI-BACKUP")));
  CHECK(ok_json(s, {"verify-backup"})["ok"] == true);
  // DEST given wins over the setting.
  json other = ok_json(s, {"backup", s.path("other")});
  CHECK(other["destination"] == s.path("other"));
}

TEST_CASE("a backup to a destination this machine used that now holds none is refused: an unmounted disk", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  fs::create_directories(s.path("media/usb"));
  const std::string dest = s.path("media/usb/kaappi");
  ok_json(s, {"backup", dest});
  // The disk taken away: its mount point is an empty folder on this machine's own disk.
  fs::rename(s.path("media/usb"), s.path("disk-at-home"));
  fs::create_directories(s.path("media/usb"));
  Result r = s.kaappi({"backup", dest});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("is the disk or share mounted") != std::string::npos);
  CHECK(folder_entries(s.path("media/usb")).empty());
  // Said so, a new backup starts there.
  json fresh = ok_json(s, {"backup", dest, "--start-over"});
  CHECK(fresh["blobs_copied"] == 2);
}

TEST_CASE("a generation of another history planted in a backup is named, and a chosen good generation restores", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path("fork")}).exit_code == 0);
  const std::string dest = s.path("dest");
  add_customer(s, "1002");
  json good = ok_json(s, {"backup", dest});
  // A fork of the archive, written on with the key, backed up elsewhere by another machine.
  const Env other = {{"XDG_STATE_HOME", s.path("state-fork")}};
  for (const char* n : {"2001", "2002", "2003"})
    REQUIRE(s.run({bin("kaappi"), "--archive", s.path("fork"), "--key", s.key(), "--passphrase-file", s.pass(),
                   "customer", "add", "--number", n, "--name", "Haara"},
                  other)
                .exit_code == 0);
  const std::string forked = s.path("forked-backup");
  REQUIRE(s.run({bin("kaappi"), "--archive", s.path("fork"), "--key", s.key(), "backup", forked}, other).exit_code == 0);
  const std::string g = generations(forked).front();
  const std::string planted = "2099-01-01T000000Z";
  REQUIRE(s.run({"/bin/cp", "-a", forked + "/generations/" + g, dest + "/generations/" + planted}).exit_code == 0);
  edit_file(dest + "/generations/" + planted + "/manifest.json", [&](std::string& t) {
    json m = json::parse(t);
    m["generation"] = planted;
    t = m.dump();
  });
  Result checked = verify_backup(s, dest, {}, {{"XDG_STATE_HOME", s.path("state-fresh")}});
  INFO(checked.out);
  CHECK(checked.exit_code == 1);
  CHECK(checked.out.find("two histories") != std::string::npos);
  Result refused = s.kaappi({"restore", dest, "--to", s.path("r1")}, {{"XDG_STATE_HOME", s.path("state-fresh")}});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("--generation") != std::string::npos);
  json restored = ok_json(s, {"restore", dest, "--to", s.path("r2"), "--generation", good["generation"]},
                          {{"XDG_STATE_HOME", s.path("state-fresh2")}});
  CHECK(restored["generation"] == good["generation"]);
}

TEST_CASE("restore --reason must say something, before anything is restored", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  Result r = s.kaappi({"restore", dest, "--to", s.path("r"), "--reason", "  "});
  CHECK(r.exit_code == 2);
  CHECK(!file_exists(s.path("r")));
}

TEST_CASE("a restore whose restore row cannot be signed says it is done in part and how to finish", "[backup]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string dest = s.path("dest");
  ok_json(s, {"backup", dest});
  add_customer(s, "1002");
  // No passphrase to be had: no file, no terminal, no agent.
  Result r = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--no-agent", "restore", dest, "--to",
                    s.path("restored"), "--reason", "disk failed"});
  INFO(r.err);
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("accept-restore --reason") != std::string::npos);
  CHECK(file_exists(s.path("restored/index.sqlite")));
  // Finishing it as said works.
  CHECK(in_archive(s, s.path("restored"), {"accept-restore", "--reason", "disk failed"}).exit_code == 0);
  CHECK(in_archive(s, s.path("restored"), {"verify"}).exit_code == 0);
}
