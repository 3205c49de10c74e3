// test_import_get.cpp — import, documents, get (end to end).
#include <sys/stat.h>

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

TEST_CASE("imported scans come back byte for byte, 0600, and every read is recorded", "[import][get]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string form = s.make_pdf("consent-form.pdf", {"--pages", "2", "--seed", "11"});
  std::string contract = s.make_pdf("contract.pdf", {"--form", "contract", "--pages", "3", "--seed", "12"});
  Result r = s.kaappi({"import", form, contract, "--customer", "1001", "--kind", "contract", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 2);
  CHECK(results[0]["status"] == "stored");
  CHECK(results[1]["pages"] == 3);
  long id = results[0]["document"];

  Result list = s.kaappi({"documents", "--json"});
  auto docs = nlohmann::json::parse(list.out)["documents"];
  REQUIRE(docs.size() == 2);
  CHECK(docs[0]["customer"] == "1001");
  CHECK(docs[0]["kind"] == "contract");
  CHECK(docs[0]["pages"] == 2);
  CHECK(docs[0]["file_name"] == "consent-form.pdf");

  std::string out = s.path("back.pdf");
  Result get = s.kaappi({"get", std::to_string(id), "-o", out, "--reason", "inspection request"});
  INFO(get.err);
  REQUIRE(get.exit_code == 0);
  CHECK(read_text(out) == read_text(form));
  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // The archive is private: its folder 0700, the index, its WAL and shared memory 0600.
  REQUIRE(::stat(s.archive().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  // (SQLite gives the WAL and shared-memory files, present while a command
  // runs, the index file's mode.)
  REQUIRE(::stat((s.archive() + "/index.sqlite").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  SECTION("an existing output file is not overwritten without --force") {
    write_text(out, "keep me");
    Result again = s.kaappi({"get", std::to_string(id), "-o", out, "--reason", "again"});
    CHECK(again.exit_code == 4);
    CHECK(again.err.find("already exists; use --force") != std::string::npos);
    CHECK(read_text(out) == "keep me");
    Result forced = s.kaappi({"get", std::to_string(id), "-o", out, "--reason", "again", "--force"});
    CHECK(forced.exit_code == 0);
    CHECK(read_text(out) == read_text(form));
  }
  SECTION("-o - writes to standard output") {
    Result piped = s.kaappi({"get", std::to_string(results[1]["document"].get<long>()), "-o", "-", "--reason", "print"});
    REQUIRE(piped.exit_code == 0);
    CHECK(piped.out == read_text(contract));
  }
  SECTION("a reason is required and unknown ids are not found") {
    CHECK(s.kaappi({"get", std::to_string(id), "-o", s.path("x.pdf"), "--reason", " "}).exit_code == 2);
    Result nf = s.kaappi({"get", "424242", "-o", s.path("x.pdf"), "--reason", "r"});
    CHECK(nf.exit_code == 5);
    CHECK_FALSE(file_exists(s.path("x.pdf")));
  }
  Result log = s.kaappi({"access-log", "--document", std::to_string(id), "--json"});
  REQUIRE(log.exit_code == 0);
  auto entries = nlohmann::json::parse(log.out)["access_log"];
  REQUIRE(entries.size() >= 1);
  CHECK(entries[0]["reason"] == "inspection request");
  CHECK(entries[0]["action"] == "get");
  CHECK(entries[0]["by"].get<std::string>().size() > 0);
  Result v = s.kaappi({"verify", "--full", "--json"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
}

TEST_CASE("an index that an older kaappi left readable by others is made 0600 by the next writer", "[import]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string index = s.archive() + "/index.sqlite";
  REQUIRE(::chmod(index.c_str(), 0644) == 0);
  Result r = s.kaappi({"recover"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  struct stat st {};
  REQUIRE(::stat(index.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("importing the same scan twice says which document it already is", "[import]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string form = s.make_pdf("a.pdf", {"--seed", "3"});
  long id = s.import({form}).at(0);
  std::string copy = s.path("copy-with-other-name.pdf");
  write_text(copy, read_text(form));
  Result r = s.kaappi({"import", copy, "--customer", "1001", "--kind", "consent-form"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("already in the archive as document " + std::to_string(id)) != std::string::npos);
  Result docs = s.kaappi({"documents", "--json"});
  CHECK(nlohmann::json::parse(docs.out)["documents"].size() == 1);
  CHECK(s.kaappi({"verify"}).exit_code == 0);
}

TEST_CASE("import needs a known customer", "[import]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string form = s.make_pdf("a.pdf");
  std::string before = s.archive_fingerprint();
  Result r = s.kaappi({"import", form, "--customer", "555", "--kind", "other"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("no customer with that number") != std::string::npos);
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("a multi-page text-layer PDF keeps its page count, metadata and text (encrypted)", "[import]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string pdf = s.make_pdf("t.pdf", {"--pages", "4", "--text", "Asiakasnumero 1001 suostumus"});
  long id = s.import({pdf}).at(0);
  Result docs = s.kaappi({"documents", "--json"});
  auto d = nlohmann::json::parse(docs.out)["documents"][0];
  CHECK(d["id"] == id);
  CHECK(d["pages"] == 4);
}

TEST_CASE("bulk import commits in batches: 70 files, with a duplicate and a bad file inside", "[import]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::vector<std::string> args = {"import"};
  for (int i = 0; i < 70; ++i) args.push_back(s.make_pdf("s" + std::to_string(i) + ".pdf", {"--seed", std::to_string(i)}));
  write_text(s.path("copy.pdf"), read_text(args[5]));
  write_text(s.path("bad.pdf"), "not a pdf");
  args.insert(args.begin() + 40, s.path("copy.pdf"));  // a copy of s4.pdf, in a later batch (32 files each)
  args.insert(args.begin() + 10, s.path("bad.pdf"));
  args.insert(args.end(), {"--customer", "1001", "--kind", "other", "--json"});
  Result r = s.kaappi(args);
  INFO(r.err);
  CHECK(r.exit_code == 6);  // done in part
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 72);
  int stored = 0, duplicate = 0, rejected = 0;
  for (const auto& o : results) {
    stored += o["status"] == "stored";
    duplicate += o["status"] == "duplicate";
    rejected += o["status"] == "rejected";
  }
  CHECK(stored == 70);
  CHECK(duplicate == 1);
  CHECK(rejected == 1);
  CHECK(results[9]["file"] == s.path("bad.pdf"));
  CHECK(results[9]["status"] == "rejected");
  // Outcomes keep the order of the arguments; ids follow it too.
  CHECK(results[0]["document"] == 1);
  CHECK(results[71]["document"] == 70);
  Result docs = s.kaappi({"documents", "--json"});
  CHECK(nlohmann::json::parse(docs.out)["documents"].size() == 70);
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("the same content twice in one call is stored once and the second names the first", "[import]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string a = s.make_pdf("a.pdf", {"--seed", "9"});
  write_text(s.path("b.pdf"), read_text(a));
  Result r = s.kaappi({"import", a, s.path("b.pdf"), "--customer", "1001", "--kind", "other"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("same content as " + a + ", stored as document 1") != std::string::npos);
  Result docs = s.kaappi({"documents", "--json"});
  CHECK(nlohmann::json::parse(docs.out)["documents"].size() == 1);
}

// README: a file named to read that is of the wrong kind is 4, saying what it
// is — the one wording of base/file_kind, also when the name is a link.
TEST_CASE("import of a folder, a FIFO, a link to a folder or a looping link says what it is, exit 4",
          "[import][bad-input]") {
  Sandbox s;
  s.init_archive_with_customer();
  s.run({"/bin/mkdir", s.path("folder.pdf")});
  REQUIRE(s.run({"/usr/bin/mkfifo", s.path("pipe.pdf")}).exit_code == 0);
  REQUIRE(s.run({"/bin/ln", "-s", "folder.pdf", s.path("to-folder.pdf")}).exit_code == 0);
  REQUIRE(s.run({"/bin/ln", "-s", "loop.pdf", s.path("loop.pdf")}).exit_code == 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"folder.pdf", "it is a folder, not a regular file"},
      {"pipe.pdf", "it is a FIFO, not a regular file"},
      {"to-folder.pdf", "it is a folder, not a regular file"},
      {"loop.pdf", "it is a symbolic link, not a regular file (following it leads round a loop of links)"},
  };
  const std::string before = s.archive_fingerprint();
  for (const auto& [name, says] : cases) {
    Result r = s.kaappi({"import", s.path(name), "--customer", "1001", "--kind", "other"});
    INFO(name << ": " << r.err);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::EndsWith("\nkaappi: " + s.path(name) + " was rejected: " + says + "\n"));
    CHECK(r.out.empty());
  }
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("import stores a file name by the scan file name rule: a newline or invalid UTF-8 becomes '_', and says so",
          "[import][names]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string newline = s.make_pdf("evil\nname.pdf", {"--seed", "501"});
  std::string invalid = s.make_pdf("bad\xff" "byte.pdf", {"--seed", "502"});
  std::string plain = s.make_pdf("plain \xe2\x80\xae" "name.pdf", {"--seed", "503"});
  Result r = s.kaappi({"import", newline, invalid, plain, "--customer", "1001", "--kind", "other"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("evil\\x0aname.pdf as document ") &&
                        Catch::Contains("), named evil_name.pdf in the archive\n") &&
                        Catch::Contains("), named bad_byte.pdf in the archive\n"));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
  CHECK(r.out.find("named plain") == std::string::npos);  // a name that fits is kept, not said again
  Result docs = s.kaappi({"documents", "--json"});
  INFO(docs.out << docs.err);
  std::set<std::string> names;
  const auto listed = nlohmann::json::parse(docs.out);
  for (const auto& d : listed["documents"])
    names.insert(d["file_name"].get<std::string>());
  CHECK(names == std::set<std::string>{"evil_name.pdf", "bad_byte.pdf", "plain \xe2\x80\xae" "name.pdf"});
  // --json gives the stored name of each.
  std::string again = s.make_pdf("tab\there.pdf", {"--seed", "504"});
  Result j = s.kaappi({"import", again, "--customer", "1001", "--kind", "other", "--json"});
  REQUIRE(j.exit_code == 0);
  CHECK(nlohmann::json::parse(j.out)["results"][0]["stored_name"] == "tab_here.pdf");
}
