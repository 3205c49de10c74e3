// test_ingest_rejected.cpp — ingest's side of setting envelopes aside and
// taking them in, with the real binaries: INBOX/rejected/ never has a file
// replaced (all 999 names taken) and is made private when others could change
// it; an entry planted in blobs/ under an envelope's uid is left alone (the
// archive chooses the document's uid); a taken envelope is removed through
// the inbox ingest holds, never by its path again.
#include <sys/stat.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// An archive with customer 1001, the station "desk" registered (its key in
// the sandbox) and the archive's public key in archive.pub.
struct Desk {
  Sandbox& s;
  explicit Desk(Sandbox& sandbox) : s(sandbox) {
    s.init_archive_with_station(key());
  }
  std::string inbox() const { return s.archive() + "/inbox"; }
  std::string key() const { return s.path("desk.key"); }
  // Seals `file` as desk (forge_envelope's extra arguments); returns the envelope's path.
  std::string forge(const std::string& file, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {bin("forge_envelope"), "--public-key", s.path("archive.pub"), "--station-key",
                                     key(), "--inbox", inbox(), "--file", file};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = s.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
  }
  size_t documents() const {
    return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].size();
  }
};

// A Desk whose inbox holds one file that is no envelope, under an envelope's
// name: ingest sets it aside into rejected/.
struct JunkInInbox : Desk {
  const std::string junk = "0123456789abcdef0123456789abcdef.kenv";
  const std::string rejected = inbox() + "/rejected";
  explicit JunkInInbox(Sandbox& sandbox) : Desk(sandbox) { write_text(inbox() + "/" + junk, "not an envelope"); }
};

std::string ls(const Sandbox& s, const std::string& dir) { return s.run({"/bin/ls", "-A", dir}).out; }

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// This test process's umask (inherited by every program it runs) for one test.
struct Umask {
  mode_t old;
  explicit Umask(mode_t mask) : old(::umask(mask)) {}
  ~Umask() { ::umask(old); }
};

// Every file or folder under `dir` that its group or others may use (links,
// whose mode means nothing, left out), one per line.
std::string open_to_others(const Sandbox& s, const std::string& dir) {
  return s.run({"/usr/bin/find", dir, "!", "-type", "l", "-perm", "/077"}).out;
}

}  // namespace

TEST_CASE("ingest: when all 999 names in rejected/ are taken, the envelope stays in the inbox, said, and nothing "
          "there is replaced",
          "[ingest][rejected]") {
  Sandbox s;
  JunkInInbox d(s);
  const std::string& junk = d.junk;
  const std::string& rejected = d.rejected;
  // rejected/ already holds junk, 2-junk ... 999-junk, each with its reason.
  REQUIRE(s.run({"/bin/sh", "-c",
                 "mkdir -m 0700 '" + rejected + "' && cd '" + rejected + "' && echo old > " + junk + " && echo old > " +
                     junk + ".reason && for n in $(seq 2 999); do echo \"file $n\" > $n-" + junk +
                     " && echo \"reason $n\" > $n-" + junk + ".reason; done"})
              .exit_code == 0);
  const std::string rejected_before = s.run({"/bin/sh", "-c", "cd '" + rejected + "' && ls -A | wc -l && cat *"}).out;
  const std::string archive_before = s.archive_fingerprint();

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::EndsWith("\nkaappi: rejected " + junk + ": " + junk + " is not a kaappi envelope; left in " +
                                    "the inbox as it was, because it cannot be set aside: " + rejected +
                                    " has no free name left for " + junk + " (" + junk + " and 2-" + junk + " to 999-" +
                                    junk + " are taken)\n"));
  CHECK(read_text(d.inbox() + "/" + junk) == "not an envelope");
  CHECK(read_text(rejected + "/999-" + junk + ".reason") == "reason 999\n");
  CHECK(s.run({"/bin/sh", "-c", "cd '" + rejected + "' && ls -A | wc -l && cat *"}).out == rejected_before);
  CHECK(s.archive_fingerprint() == archive_before);
}

TEST_CASE("ingest: a rejected/ of ours that others could change is made 0700 before an envelope is set aside",
          "[ingest][rejected]") {
  Sandbox s;
  JunkInInbox d(s);
  const std::string& junk = d.junk;
  const std::string& rejected = d.rejected;
  REQUIRE(s.run({"/bin/mkdir", "-m", "0777", rejected}).exit_code == 0);
  REQUIRE(mode_of(rejected) == 0777);

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::EndsWith("\nkaappi: rejected " + junk + ": " + junk + " is not a kaappi envelope; moved to " +
                                    "rejected/" + junk + "\n"));
  CHECK(mode_of(rejected) == 0700);
  CHECK(read_text(rejected + "/" + junk) == "not an envelope");
  CHECK(ls(s, d.inbox()) == "rejected\n");
}

TEST_CASE("ingest: a link, a folder or a FIFO planted in blobs/ under an envelope's uid is left as it was, and the "
          "envelope is stored under a document uid of the archive's",
          "[ingest][rejected]") {
  const std::string planted = GENERATE("a FIFO", "a symbolic link", "a folder");
  INFO("blobs/ holds " << planted);
  Sandbox s;
  Desk d(s);
  const std::string uid = "0123456789abcdef0123456789abcdef";
  const std::string blob = s.archive() + "/blobs/01/" + uid + ".blob";
  write_text(s.path("elsewhere"), "not a blob");
  if (planted == "a FIFO") REQUIRE(s.run({"/usr/bin/mkfifo", blob}).exit_code == 0);
  if (planted == "a symbolic link") REQUIRE(s.run({"/bin/ln", "-s", s.path("elsewhere"), blob}).exit_code == 0);
  if (planted == "a folder") REQUIRE(s.run({"/bin/mkdir", blob}).exit_code == 0);
  const std::string pdf = s.make_pdf("scan.pdf", {"--seed", "81"});
  d.forge(pdf, {"--uid", uid});
  auto entry = [&] { return s.run({"/bin/ls", "-lAnd", "--time-style=+", blob}).out; };
  const std::string before = entry();

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(entry() == before);
  CHECK(read_text(s.path("elsewhere")) == "not a blob");
  CHECK(ls(s, d.inbox()).empty());
  REQUIRE(d.documents() == 1);
  REQUIRE(s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
  CHECK(sha_of_file(s.path("out.pdf")) == sha_of_file(pdf));
}

// The PDF helper is started once the envelope's blob is copied: a wrapper
// around it puts another folder in the inbox's place, holding a file of the
// envelope's name, before the scan is committed. Ingest removes the envelope
// it took from the inbox it holds; the file in the new folder is not touched.
TEST_CASE("ingest removes a taken envelope through the inbox it holds, not by its path again", "[ingest]") {
  Sandbox s;
  Desk d(s);
  const std::string envelope = d.forge(s.make_pdf("scan.pdf", {"--seed", "82"}));
  const std::string name = envelope.substr(envelope.rfind('/') + 1);
  write_text(s.path("decoy"), "another file of the envelope's name");
  const std::string moved = s.path("inbox-moved");
  write_text(s.path("probe-wrapper"),
             "#!/bin/sh\n"
             "if [ ! -e '" + moved + "' ]; then\n"
             "  mv '" + d.inbox() + "' '" + moved + "' && mkdir '" + d.inbox() + "' && mv '" + s.path("decoy") +
             "' '" + d.inbox() + "/" + name + "'\n"
             "fi\n"
             "exec '" + bin("kaappi-pdf-probe") + "' \"$@\"\n");
  REQUIRE(::chmod(s.path("probe-wrapper").c_str(), 0700) == 0);

  Result r = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_PDF_PROBE", s.path("probe-wrapper")}});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("stored\tscan.pdf from desk as document 1 for customer 1001"));
  CHECK(ls(s, moved).empty());  // the envelope taken in is gone from the inbox it was in
  CHECK(read_text(d.inbox() + "/" + name) == "another file of the envelope's name");
  CHECK(d.documents() == 1);
}

TEST_CASE("ingest: under umask 0 an envelope is 0640, what rejected/ gets and its reason are private (0600, the folder 0700)",
          "[ingest][rejected]") {
  Sandbox s;
  Umask none(0);  // files and folders made with whatever mode kaappi asks for
  Desk d(s);
  const std::string pdf = s.make_pdf("scan.pdf", {"--seed", "3"});
  Result sealed = s.run({bin("kaappi-scan"), pdf, "--public-key", s.path("archive.pub"), "--inbox", d.inbox(),
                         "--station-key", d.key(), "--json"});
  INFO(sealed.err);
  REQUIRE(sealed.exit_code == 0);
  const std::string envelope = nlohmann::json::parse(sealed.out)["results"][0]["envelope"];
  CHECK(mode_of(envelope) == 0640);  // group-readable for an ingest user of the station's group
  // Junk under an envelope's name, as a careless writer leaves it: readable by all.
  const std::string junk = "0123456789abcdef0123456789abcdef.kenv";
  write_text(d.inbox() + "/" + junk, "not an envelope");
  REQUIRE(mode_of(d.inbox() + "/" + junk) == 0666);

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 6);  // the envelope taken in, the junk set aside
  CHECK(d.documents() == 1);
  const std::string rejected = d.inbox() + "/rejected";
  CHECK(mode_of(rejected) == 0700);
  CHECK(read_text(rejected + "/" + junk) == "not an envelope");
  CHECK(mode_of(rejected + "/" + junk) == 0600);
  CHECK(mode_of(rejected + "/" + junk + ".reason") == 0600);
  // Nothing that kaappi or kaappi-scan made is open to others: the archive
  // (blobs, index, inbox, rejected/), this machine's records, the station key.
  CHECK(open_to_others(s, s.archive()).empty());
  CHECK(open_to_others(s, s.dir() + "/home").empty());
  CHECK(mode_of(d.key()) == 0600);
}
