// test_symlinks.cpp — nothing follows a planted symlink: a link where one of
// kaappi's or kaappi-scan's folders belongs is refused, naming it, and nothing
// is written where the link points.
#include <sys/stat.h>

#include <cstdio>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// An archive with customer 1001, a registered station "desk", and an empty
// folder elsewhere/ that planted links point to.
struct Planted {
  Sandbox& s;
  explicit Planted(Sandbox& sandbox) : s(sandbox) {
    s.init_archive_with_station();
    s.run({"/bin/mkdir", elsewhere()});
  }
  std::string elsewhere() const { return s.path("elsewhere"); }
  std::string inbox() const { return s.archive() + "/inbox"; }
  // Replaces `path` (a folder, maybe missing) with a link to elsewhere/.
  void plant(const std::string& path) const {
    s.run({"/bin/rm", "-rf", path});
    REQUIRE(s.run({"/bin/ln", "-s", elsewhere(), path}).exit_code == 0);
  }
  std::string in_elsewhere() const { return s.run({"/bin/ls", "-A", elsewhere()}).out; }
  Result seal(const std::string& pdf, const std::string& inbox_dir, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {bin("kaappi-scan"), pdf, "--public-key", s.path("archive.pub"), "--inbox",
                                     inbox_dir};
    args.insert(args.end(), extra.begin(), extra.end());
    return s.run(args);
  }
  size_t documents() const {
    return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].size();
  }
};

void refused_naming(const Result& r, const std::string& path) {
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains(path + " is a symbolic link where a folder belongs"));
}

}  // namespace

TEST_CASE("ingest never writes through a link planted as inbox/rejected", "[symlinks][ingest]") {
  Sandbox s;
  Planted p(s);
  std::string bad = p.inbox() + "/0123456789abcdef0123456789abcdef.kenv";
  write_text(bad, "not an envelope");
  p.plant(p.inbox() + "/rejected");
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  refused_naming(r, p.inbox() + "/rejected");
  CHECK(p.in_elsewhere().empty());
  CHECK(read_text(bad) == "not an envelope");  // left where it was
}

TEST_CASE("erase customer never follows a link planted as inbox/rejected, and says it is done only in part",
          "[symlinks][erase]") {
  Sandbox s;
  Planted p(s);
  s.run({"/bin/mkdir", "-p", p.inbox()});
  write_text(p.elsewhere() + "/1001-contract.pdf.kenv", "stands in for an envelope");
  p.plant(p.inbox() + "/rejected");
  Result r = s.kaappi({"erase", "customer", "1001", "--reason", "asked by letter", "--json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 6);  // erased, but whether rejected/ holds their envelopes is not known
  CHECK_THAT(r.err, Catch::Contains(p.inbox() + "/rejected/ could not be searched for envelopes of customer 1001"));
  CHECK_THAT(r.err, Catch::Contains("look there by hand"));
  const auto j = nlohmann::json::parse(r.out);
  CHECK_THAT(j["rejected_envelopes"]["folder_problem"].get<std::string>(),
             Catch::Contains("is a symbolic link where a folder belongs"));
  CHECK(j["rejected_envelopes"]["removed"].empty());
  CHECK(read_text(p.elsewhere() + "/1001-contract.pdf.kenv") == "stands in for an envelope");
  CHECK(s.kaappi({"customer", "show", "1001"}).exit_code == 5);  // the erasure itself was done
}

TEST_CASE("ingest and kaappi-scan never use a link planted as the inbox", "[symlinks][ingest][scanner]") {
  Sandbox s;
  Planted p(s);
  write_text(p.elsewhere() + "/0123456789abcdef0123456789abcdef.kenv", "not an envelope");
  p.plant(p.inbox());
  std::string before = p.in_elsewhere();
  refused_naming(s.kaappi({"ingest", "--customer", "1001"}), p.inbox());
  refused_naming(s.kaappi({"ingest", "--list"}), p.inbox());
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "91"});
  refused_naming(p.seal(pdf, p.inbox(), {"--station", "desk"}), p.inbox());
  CHECK(file_exists(pdf));
  CHECK(p.in_elsewhere() == before);  // nothing added, nothing moved
  CHECK(p.documents() == 0);
}

TEST_CASE("import and ingest never write a blob through a link planted as blobs/XX or tmp/", "[symlinks][import]") {
  for (std::string planted : {"blobs", "tmp"}) {
    DYNAMIC_SECTION("a link as " << planted) {
      Sandbox s;
      Planted p(s);
      std::string pdf = s.make_pdf("scan.pdf", {"--seed", "92"});
      std::string named = s.archive() + "/tmp";
      if (planted == "blobs") {
        for (int i = 0; i < 256; ++i) {
          char sub[4];
          std::snprintf(sub, sizeof sub, "%02x", i);
          p.plant(s.archive() + "/blobs/" + sub);
        }
        named = s.archive() + "/blobs/00";
      } else {
        p.plant(named);
      }
      std::string index_before = read_text(s.archive() + "/index.sqlite");
      refused_naming(s.kaappi({"import", pdf, "--customer", "1001", "--kind", "consent-form"}), named);
      CHECK(read_text(s.archive() + "/index.sqlite") == index_before);
      // kaappi-scan seals fine; the key holder's ingest refuses to write the blob.
      REQUIRE(p.seal(pdf, p.inbox(), {"--station", "desk"}).exit_code == 0);
      std::string envelope = s.run({"/bin/ls", "-A", p.inbox()}).out;
      REQUIRE(envelope.size() == 32 + 5 + 1);
      refused_naming(s.kaappi({"ingest", "--customer", "1001"}), named);
      CHECK(s.run({"/bin/ls", "-A", p.inbox()}).out == envelope);  // the envelope waits in the inbox
      CHECK(read_text(s.archive() + "/index.sqlite") == index_before);
      CHECK(p.in_elsewhere().empty());
      CHECK(p.documents() == 0);
    }
  }
}

TEST_CASE("kaappi-scan never writes through a link planted as the watch's rejected/ or as the keep folder", "[symlinks][scanner]") {
  Sandbox s;
  Planted p(s);
  s.run({"/bin/mkdir", s.path("share"), s.path("inbox")});
  write_text(s.path("share/junk.pdf"), "this is no PDF");
  p.plant(s.path("share/rejected"));
  Result watch = s.run({bin("kaappi-scan"), "watch", s.path("share"), "--public-key", s.path("archive.pub"), "--inbox",
                        s.path("inbox"), "--settle", "1"});
  refused_naming(watch, s.path("share/rejected"));
  CHECK(read_text(s.path("share/junk.pdf")) == "this is no PDF");

  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "93"});
  p.plant(s.path("keep"));
  refused_naming(p.seal(pdf, s.path("inbox"), {"--keep", s.path("keep")}), s.path("keep"));
  CHECK(file_exists(pdf));
  CHECK(s.run({"/bin/ls", "-A", s.path("inbox")}).out.empty());
  CHECK(p.in_elsewhere().empty());
}

TEST_CASE("key files are never written through a link planted as their folder", "[symlinks][keys]") {
  Sandbox s;
  s.run({"/bin/mkdir", s.path("elsewhere")});
  // kaappi-scan's station key folder
  s.run({"/bin/mkdir", "-p", s.dir() + "/home/config"});
  s.run({"/bin/ln", "-s", s.path("elsewhere"), s.dir() + "/home/config/kaappi-scan"});
  refused_naming(s.run({bin("kaappi-scan"), "init", "--station", "desk"}), s.dir() + "/home/config/kaappi-scan");
  // kaappi's key file folder
  s.run({"/bin/ln", "-s", s.path("elsewhere"), s.path("keys")});
  write_text(s.path("newpass"), "a long enough passphrase for tests\n");
  Result r = s.run({bin("kaappi"), "--archive", s.path("new-archive"), "--key", s.path("keys/archive.key"),
                    "--passphrase-file", s.path("newpass"), "init", "--kdf", "interactive"});
  refused_naming(r, s.path("keys"));
  CHECK(s.run({"/bin/ls", "-A", s.path("elsewhere")}).out.empty());
  CHECK_FALSE(file_exists(s.path("new-archive/index.sqlite")));
}

TEST_CASE("the remembered head is never written through a link planted as the state folder", "[symlinks]") {
  Sandbox s;
  s.run({"/bin/mkdir", "-p", s.path("elsewhere"), s.dir() + "/home/state"});
  s.run({"/bin/ln", "-s", s.path("elsewhere"), s.dir() + "/home/state/kaappi"});
  Result r = s.kaappi({"init", "--reuse-key"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find(s.dir() + "/home/state/kaappi, is a symbolic link, not a folder") != std::string::npos);
  CHECK(r.err.find("nothing was changed") != std::string::npos);
  CHECK_FALSE(file_exists(s.archive()));
  CHECK(s.run({"/bin/ls", "-A", s.path("elsewhere")}).out.empty());
}

TEST_CASE("consent proof never writes through a link named as its output folder, and a folder it makes is 0700",
          "[symlinks][ledger]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::vector<std::string> proof = {"consent", "proof", "1001", "--purpose", "email-marketing", "-o"};
  s.run({"/bin/mkdir", "-m", "0755", s.path("elsewhere")});
  REQUIRE(s.run({"/bin/ln", "-s", s.path("elsewhere"), s.path("link")}).exit_code == 0);
  const std::string index_before = sha_of_file(s.archive() + "/index.sqlite");
  std::vector<std::string> to_link = proof;
  to_link.push_back(s.path("link"));
  Result r = s.kaappi(to_link);
  refused_naming(r, s.path("link"));
  CHECK(r.err.find("assphrase") == std::string::npos);
  CHECK(s.run({"/bin/ls", "-A", s.path("elsewhere")}).out.empty());
  struct stat st {};
  REQUIRE(::stat(s.path("elsewhere").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0755);  // the link's target is not touched
  CHECK(sha_of_file(s.archive() + "/index.sqlite") == index_before);  // no access recorded

  std::vector<std::string> to_new = proof;
  to_new.push_back(s.path("new-proof"));
  Result made = s.kaappi(to_new);
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  REQUIRE(::stat(s.path("new-proof").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat(s.path("new-proof/proof.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("the archive's own files (index, its WAL and shared memory, the lock) are never used through a link",
          "[symlinks]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(::mkdir(s.path("evil").c_str(), 0700) == 0);
  const std::string name = GENERATE(as<std::string>{}, "index.sqlite", "index.sqlite-wal", "index.sqlite-shm", "lock");
  const std::string path = s.archive() + "/" + name;
  if (file_exists(path)) REQUIRE(::rename(path.c_str(), s.path("evil/" + name).c_str()) == 0);
  else write_text(s.path("evil/" + name), "");
  REQUIRE(::symlink(s.path("evil/" + name).c_str(), path.c_str()) == 0);
  const std::string evil_before = sha_of_file(s.path("evil/" + name));
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"customer", "add", "--number", "7004", "--name", "U"}, {"customer", "list"}, {"verify"}}) {
    Result r = s.kaappi(args);
    INFO(name << ": " << args[0] << ": " << r.err);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains(path + " is a symbolic link, not a regular file"));
  }
  CHECK(sha_of_file(s.path("evil/" + name)) == evil_before);
  CHECK(folder_entries(s.path("evil")) == std::vector<std::string>{name});  // no WAL or journal made beside it
}
