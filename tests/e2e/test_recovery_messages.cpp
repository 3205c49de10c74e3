// test_recovery_messages.cpp — what kaappi says when it rolls back an
// interrupted import, in each case: rolled back and its files removed (kaappi
// recover, and any writer on an archive that continues its history), rolled
// back with its blob kept because a change lost with a restore may have
// stored it (accept-restore), rolled back with no blob to keep, and nothing to
// do. Each exact line is asserted, and what happened to the files with it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness.h"

using namespace e2e;

namespace {

const std::string k_removed =
    "rolled back 1 interrupted import(s) and removed the files they had left; nothing that had been reported as "
    "stored was lost";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The stderr lines that speak of interrupted imports.
std::vector<std::string> recovery_lines(const Result& r) {
  std::vector<std::string> found;
  for (const std::string& line : lines_of(r.err))
    if (line.find("interrupted import") != std::string::npos) found.push_back(line);
  return found;
}

std::string blob_of(const Sandbox& s, const std::string& uid) {
  return s.archive() + "/blobs/" + uid.substr(0, 2) + "/" + uid + ".blob";
}
std::string temp_of(const Sandbox& s, const std::string& uid) { return s.archive() + "/tmp/" + uid + ".tmp"; }

// An import killed after its blob was renamed into blobs/ and the folder
// synced, before its index row was committed: its intent names both files.
std::string interrupted_import(Sandbox& s) {
  s.init_archive_with_customer();
  std::string pdf = s.make_pdf("scan.pdf");
  Result r = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "other"}, {{"KAAPPI_FAULT", "blob.dirsync"}});
  REQUIRE(r.exit_code == 128 + 9);
  std::string uid = sql_value(s, "SELECT lower(hex(uid)) FROM pending_writes");
  REQUIRE(uid.size() == 32);
  REQUIRE(file_exists(blob_of(s, uid)));
  write_text(temp_of(s, uid), "left by the import");  // as an earlier step would have
  return uid;
}

// The archive put back to a copy taken before a change this machine saw.
void roll_back(Sandbox& s) {
  REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path("backup")}).exit_code == 0);
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  REQUIRE(s.run({"/bin/sh", "-c", "rm -rf '" + s.archive() + "' && cp -a '" + s.path("backup") + "' '" + s.archive() +
                                      "'"})
              .exit_code == 0);
}

// The restored index names `uid` as an unfinished import, and a temp file of that uid is there.
void pending(Sandbox& s, const std::string& uid) {
  sql(s, "INSERT INTO pending_writes VALUES (x'" + uid + "', 1)");
  write_text(temp_of(s, uid), "left by the import");
}

}  // namespace

TEST_CASE("kaappi recover says that it rolled back an interrupted import and removed its files", "[recover]") {
  Sandbox s;
  std::string uid = interrupted_import(s);
  Result r = s.run({bin("kaappi"), "--archive", s.archive(), "recover"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "R" + k_removed.substr(1) + ".\n");
  CHECK(r.err.empty());
  CHECK_FALSE(file_exists(blob_of(s, uid)));
  CHECK_FALSE(file_exists(temp_of(s, uid)));
  CHECK(sql_value(s, "SELECT count(*) FROM pending_writes") == "0");
  CHECK(s.kaappi({"verify"}).exit_code == 0);
}

TEST_CASE("kaappi recover with no interrupted import says there was nothing to do", "[recover]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string before = s.archive_fingerprint();
  Result r = s.run({bin("kaappi"), "--archive", s.archive(), "recover"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Nothing to recover: no import was interrupted.\n");
  CHECK(r.err.empty());
  Result json = s.run({bin("kaappi"), "--archive", s.archive(), "recover", "--json"});
  CHECK(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out) == nlohmann::json{{"rolled_back", 0}, {"intents_of_stored_documents", 0}});
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("an intent naming a stored document (planted, or a put-back cut short) is dropped, its blob kept, and said "
          "as that",
          "[recover]") {
  Sandbox s;
  s.init_archive_with_customer();
  s.import({s.make_pdf("scan.pdf")});
  const std::string uid = sql_value(s, "SELECT lower(hex(uid)) FROM documents");
  REQUIRE(uid.size() == 32);
  pending(s, uid);
  Result r = s.run({bin("kaappi"), "--archive", s.archive(), "recover"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Dropped 1 unfinished intent(s) naming stored documents, whose blobs were kept.\n");
  CHECK(file_exists(blob_of(s, uid)));
  CHECK_FALSE(file_exists(temp_of(s, uid)));
  CHECK(sql_value(s, "SELECT count(*) FROM pending_writes") == "0");
  CHECK(s.kaappi({"verify"}).exit_code == 0);
}

TEST_CASE("a writer rolls back an interrupted import first and says it removed its files", "[recover]") {
  Sandbox s;
  std::string uid = interrupted_import(s);
  Result r = s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(recovery_lines(r) == std::vector<std::string>{"kaappi: " + k_removed});
  CHECK_FALSE(file_exists(blob_of(s, uid)));
  CHECK_FALSE(file_exists(temp_of(s, uid)));
  Result again = s.kaappi({"customer", "add", "--number", "1003", "--name", "Kolmas Oy"});
  CHECK(again.exit_code == 0);
  CHECK(recovery_lines(again).empty());
}

TEST_CASE("accept-restore says that it kept the blob of an interrupted import, and why", "[recover][rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  // A document stored after the backup: its blob stays, the restored index names its uid as unfinished.
  REQUIRE(s.run({"/bin/cp", "-a", s.archive(), s.path("before-import")}).exit_code == 0);
  long doc = s.import({s.make_pdf("later.pdf", {"--seed", "7"})}).at(0);
  std::string uid = sql_value(s, "SELECT lower(hex(uid)) FROM documents WHERE id = " + std::to_string(doc));
  REQUIRE(uid.size() == 32);
  const std::string blob_sha = sha_of_file(blob_of(s, uid));
  REQUIRE(s.run({"/bin/sh", "-c", "rm -f '" + s.archive() + "'/index.sqlite* && cp -a '" + s.path("before-import") +
                                      "'/index.sqlite* '" + s.archive() + "'/"})
              .exit_code == 0);
  pending(s, uid);

  Result r = s.kaappi({"accept-restore", "--reason", "restored the index from the backup"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(recovery_lines(r) ==
        std::vector<std::string>{"kaappi: rolled back 1 interrupted import(s) and removed their temp files, but kept "
                                 "1 blob(s) that unfinished imports in this restored index name: a change lost with "
                                 "the restore may have stored them (kaappi verify lists them)"});
  CHECK(r.err.find("nothing that had been reported as stored was lost") == std::string::npos);
  CHECK(sha_of_file(blob_of(s, uid)) == blob_sha);
  CHECK_FALSE(file_exists(temp_of(s, uid)));
  CHECK(sql_value(s, "SELECT count(*) FROM pending_writes") == "0");
}

TEST_CASE("accept-restore says that it removed an interrupted import's temp files when it has no blob to keep",
          "[recover][rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string uid = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
  roll_back(s);
  pending(s, uid);
  Result r = s.kaappi({"accept-restore", "--reason", "restored from the backup"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(recovery_lines(r) ==
        std::vector<std::string>{"kaappi: rolled back 1 interrupted import(s) and removed their temp files"});
  CHECK_FALSE(file_exists(temp_of(s, uid)));
  CHECK(sql_value(s, "SELECT count(*) FROM pending_writes") == "0");
}

TEST_CASE("accept-restore with no interrupted import says nothing of one", "[recover][rollback]") {
  Sandbox s;
  s.init_archive_with_customer();
  roll_back(s);
  Result r = s.kaappi({"accept-restore", "--reason", "restored from the backup"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(recovery_lines(r).empty());
}
