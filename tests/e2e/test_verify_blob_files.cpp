// test_verify_blob_files.cpp — a blob replaced by something that would stall
// a reader (a FIFO, a symbolic link to /dev/zero or to another blob, a 200 GB
// sparse file) is reported within seconds by every verify level and refused
// by get, naming the document; nothing is changed. Every run has a time limit
// (timeout(1)), so a hang fails the test.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

constexpr const char* k_time_limit = "20";  // seconds; a hang is killed (exit 124) and fails

// What verify or get could change without reading the replaced blob: the
// index files, and the replaced path's type and size.
std::string state(const Sandbox& s, const std::string& blob) {
  std::string out;
  for (const char* name : {"/index.sqlite", "/index.sqlite-wal"})
    if (file_exists(s.archive() + name)) out += sha_of_file(s.archive() + name) + "\n";
  struct stat st {};
  ::lstat(blob.c_str(), &st);
  return out + std::to_string(st.st_mode) + " " + std::to_string(st.st_size);
}

Result timed_kaappi(const Sandbox& s, std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/timeout", k_time_limit, bin("kaappi"), "--archive", s.archive(), "--key", s.key(),
                                   "--passphrase-file", s.pass()};
  argv.insert(argv.end(), args.begin(), args.end());
  return s.run(argv);
}

bool names_document(const Result& r, long id, const std::string& problem, const std::string& detail_part) {
  const nlohmann::json report = nlohmann::json::parse(r.out);
  for (const auto& p : report["problems"])
    if (p["document"] == id && p["problem"] == problem &&
        p["detail"].get<std::string>().find(detail_part) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("a blob replaced by something that would stall a reader is reported within seconds", "[verify][blob-file]") {
  // Two documents, built once per test process and copied for each section.
  struct Template {
    Sandbox s;
    std::vector<long> ids;
    Template() {
      s.init_archive_with_customer();
      ids = s.import({s.make_pdf("one.pdf", {"--seed", "51", "--size-mb", "1"}), s.make_pdf("two.pdf", {"--seed", "52"})});
    }
  };
  static Template once;
  Sandbox s;
  s.copy_from(once.s);
  const std::vector<long>& ids = once.ids;
  std::string victim = blob_of(s, ids[0]), other = blob_of(s, ids[1]);
  std::string pub = s.kaappi({"key", "public"}).out;
  pub.pop_back();
  const std::string a = std::to_string(ids[0]);

  std::string expected;
  SECTION("a FIFO") {
    REQUIRE(::unlink(victim.c_str()) == 0);
    REQUIRE(::mkfifo(victim.c_str(), 0600) == 0);
    expected = "is a FIFO, not a regular file";
  }
  SECTION("a symbolic link to /dev/zero") {
    REQUIRE(::unlink(victim.c_str()) == 0);
    REQUIRE(::symlink("/dev/zero", victim.c_str()) == 0);
    expected = "is a symbolic link, not a regular file";
  }
  SECTION("a symbolic link to the other document's blob") {
    REQUIRE(::unlink(victim.c_str()) == 0);
    REQUIRE(::symlink(other.c_str(), victim.c_str()) == 0);
    expected = "is a symbolic link, not a regular file";
  }
  SECTION("a folder") {
    REQUIRE(::unlink(victim.c_str()) == 0);
    REQUIRE(::mkdir(victim.c_str(), 0700) == 0);
    expected = "is a folder, not a regular file";
  }
  SECTION("made a 200 GB sparse file") {
    REQUIRE(::truncate(victim.c_str(), 200LL << 30) == 0);
    expected = "bytes, expected";
  }
  std::string before = state(s, victim);
  bool sparse = expected == "bytes, expected";
  const std::string problem = sparse ? "blob has bytes appended" : "blob replaced";

  auto started = std::chrono::steady_clock::now();
  for (const Result& r :
       {s.run({"/usr/bin/timeout", k_time_limit, bin("kaappi"), "--archive", s.archive(), "verify", "--json", "--public-key", pub}),
        timed_kaappi(s, {"verify", "--json"}), timed_kaappi(s, {"verify", "--json", "--full"})}) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(names_document(r, ids[0], problem, expected));
  }
  Result get = timed_kaappi(s, {"get", a, "-o", s.path("out.pdf"), "--reason", "check"});
  INFO(get.out << get.err);
  CHECK(get.exit_code == 1);
  CHECK_THAT(get.err, Catch::Contains("the encrypted file of document " + a) &&
                          Catch::Contains(sparse ? "bytes, not the" : expected) && Catch::Contains("nothing was written"));
  CHECK_FALSE(file_exists(s.path("out.pdf")));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  CHECK(state(s, victim) == before);
  // The other document is untouched and still reads.
  CHECK(timed_kaappi(s, {"get", std::to_string(ids[1]), "-o", s.path("second.pdf"), "--reason", "check"}).exit_code == 0);
}

TEST_CASE("an archive whose blobs folder is a symbolic link fails every verify level, and no blob is read through it",
          "[verify][blob-file]") {
  Sandbox s;
  s.init_archive_with_customer();
  s.import({s.make_pdf("one.pdf", {"--seed", "53"})});
  REQUIRE(s.run({"/bin/mv", s.archive() + "/blobs", s.path("elsewhere")}).exit_code == 0);
  REQUIRE(::symlink(s.path("elsewhere").c_str(), (s.archive() + "/blobs").c_str()) == 0);
  std::string pub = s.kaappi({"key", "public"}).out;
  pub.pop_back();
  for (const Result& r :
       {s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--json", "--public-key", pub}),
        timed_kaappi(s, {"verify", "--json"}), timed_kaappi(s, {"verify", "--json", "--full"})}) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const nlohmann::json report = nlohmann::json::parse(r.out);
    REQUIRE(report["problems"].size() == 1);  // said once: not one per blob, nothing listed through the link
    CHECK(report["problems"][0]["problem"] == "blobs folder replaced");
    CHECK(report["problems"][0]["detail"].get<std::string>().find(
              "/blobs is a symbolic link, not the archive's folder: no blob was read through it") != std::string::npos);
  }
}

TEST_CASE("a blob behind a linked fan-out folder, or replaced by a socket, is named with its document at every level",
          "[verify][blob-file]") {
  Sandbox s;
  s.init_archive_with_customer();
  const long id = s.import({s.make_pdf("one.pdf", {"--seed", "71"})}).at(0);
  std::string blob;
  for (const auto& fan_out : folder_entries(s.archive() + "/blobs"))
    for (const auto& name : folder_entries(s.archive() + "/blobs/" + fan_out)) blob = s.archive() + "/blobs/" + fan_out + "/" + name;
  REQUIRE_FALSE(blob.empty());
  SECTION("blobs/XX is a link to a copy of itself") {
    const std::string folder = blob.substr(0, blob.rfind('/'));
    REQUIRE(s.run({"/bin/cp", "-a", folder, s.path("copy")}).exit_code == 0);
    REQUIRE(s.run({"/bin/rm", "-r", folder}).exit_code == 0);
    REQUIRE(::symlink(s.path("copy").c_str(), folder.c_str()) == 0);
    for (const Result& r : {timed_kaappi(s, {"verify", "--json"}), timed_kaappi(s, {"verify", "--json", "--full"})}) {
      INFO(r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK(names_document(r, id, "blob replaced", "is behind a symbolic link (" + folder + ")"));
    }
    Result get = timed_kaappi(s, {"get", std::to_string(id), "-o", s.path("out.pdf"), "--reason", "look"});
    CHECK(get.exit_code != 0);
    CHECK_FALSE(file_exists(s.path("out.pdf")));
  }
  SECTION("the blob is a socket") {
    REQUIRE(::unlink(blob.c_str()) == 0);
    REQUIRE(s.run({"/usr/bin/python3", "-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", blob})
                .exit_code == 0);
    for (const Result& r : {timed_kaappi(s, {"verify", "--json"}), timed_kaappi(s, {"verify", "--json", "--full"})}) {
      INFO(r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK(names_document(r, id, "blob replaced", "is a socket, not a regular file"));
    }
  }
}
