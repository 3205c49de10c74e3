// test_ingest.cpp — scan -> inbox -> kaappi ingest -> get, with the real
// binaries: customer assignment, every bad envelope, no duplicates, crashes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <set>

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// An archive with customer 1001 and a registered station "desk".
struct Station {
  Sandbox& s;
  explicit Station(Sandbox& sandbox) : s(sandbox) {
    s.init_archive_with_station();
  }
  std::string inbox() const { return s.archive() + "/inbox"; }
  // Seals files into the archive's inbox; returns the envelope paths.
  std::vector<std::string> seal(const std::vector<std::string>& files, const std::string& pub = "") const {
    std::vector<std::string> args = {bin("kaappi-scan")};
    args.insert(args.end(), files.begin(), files.end());
    for (const std::string& a : std::vector<std::string>{"--public-key", pub.empty() ? s.path("archive.pub") : pub,
                                                          "--inbox", inbox(), "--station", "desk", "--json"})
      args.push_back(a);
    Result r = s.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> out;
    auto j = nlohmann::json::parse(r.out);
    for (const auto& x : j["results"]) out.push_back(x["envelope"]);
    return out;
  }
  nlohmann::json ingest(std::vector<std::string> extra = {}, int expect = 0) const {
    std::vector<std::string> args = {"ingest", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = s.kaappi(args);
    INFO(r.err);
    CHECK(r.exit_code == expect);
    return nlohmann::json::parse(r.out)["results"];
  }
};

size_t documents(const Sandbox& s) {
  return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].size();
}

}  // namespace

TEST_CASE("scan, ingest, get: the same bytes, linked to the customer the scan names", "[ingest]") {
  Sandbox s;
  Station st(s);
  std::string named = s.make_pdf("lomake.pdf", {"--seed", "31", "--text", "Suostumus. Asiakasnumero: 1001. Allekirjoitus"});
  std::string plain = s.make_pdf("contract.pdf", {"--seed", "32", "--pages", "3"});
  std::string named_sha = sha_of_file(named), plain_sha = sha_of_file(plain);
  // One at a time: envelopes sealed in one batch may share a modification
  // time (the clock's tick), and ingest takes the inbox in time order.
  st.seal({named});
  st.seal({plain});

  Result list = s.kaappi({"ingest", "--list"});
  REQUIRE(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::StartsWith("ENVELOPE\tSTATION\tSCANNED\tPAGES\tSIZE\tFILE\tPROBLEM\n") &&
                           Catch::Contains("\tdesk\t") && Catch::Contains("\tlomake.pdf\t\n") && Catch::Contains("\t3\t"));
  CHECK(documents(s) == 0);  // --list takes nothing

  auto first = st.ingest({"--kind", "consent-form"});
  REQUIRE(first.size() == 2);
  CHECK(first[0]["status"] == "stored");
  CHECK(first[0]["customer"] == "1001");
  CHECK(first[0]["customer_from_scan"] == true);
  CHECK(first[1]["status"] == "stored");  // names no customer: stored unassigned
  CHECK(first[1]["customer"] == "");
  auto unassigned = nlohmann::json::parse(s.kaappi({"documents", "--unassigned", "--json"}).out)["documents"];
  REQUIRE(unassigned.size() == 1);
  CHECK(unassigned[0]["id"] == 2);
  CHECK(unassigned[0]["customer"].is_null());
  CHECK(nlohmann::json::parse(s.kaappi({"documents", "--customer", "1001", "--json"}).out)["documents"].size() == 1);
  // A consent cannot cite an unassigned document until it is assigned.
  CHECK(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted",
                  "--document", "2"}).exit_code == 4);
  Result assign = s.kaappi({"assign", "2", "--customer", "1001"});
  INFO(assign.err);
  REQUIRE(assign.exit_code == 0);
  CHECK_THAT(assign.out, Catch::Contains("Document 2 now belongs to customer 1001"));
  CHECK(s.kaappi({"assign", "2", "--customer", "1001"}).exit_code == 4);  // already assigned
  CHECK(s.kaappi({"assign", "99", "--customer", "1001"}).exit_code == 5);
  CHECK(nlohmann::json::parse(s.kaappi({"documents", "--unassigned", "--json"}).out)["documents"].empty());
  CHECK(nlohmann::json::parse(s.kaappi({"documents", "--customer", "1001", "--json"}).out)["documents"].size() == 2);
  CHECK(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted",
                  "--document", "2"}).exit_code == 0);

  REQUIRE(s.kaappi({"get", "1", "-o", s.path("1.pdf"), "--reason", "test"}).exit_code == 0);
  REQUIRE(s.kaappi({"get", "2", "-o", s.path("2.pdf"), "--reason", "test"}).exit_code == 0);
  CHECK(sha_of_file(s.path("1.pdf")) == named_sha);
  CHECK(sha_of_file(s.path("2.pdf")) == plain_sha);
  auto docs = nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"];
  CHECK(docs[1]["kind"] == "consent-form");
  CHECK(docs[0]["station"] == "desk");  // which station sent it
  CHECK(s.run({"/bin/ls", "-A", st.inbox()}).out.empty());  // envelopes removed after the commit
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
  // Ingest again: nothing to do. The same scan sealed again: a duplicate, removed.
  CHECK(st.ingest().empty());
  std::string again = s.make_pdf("lomake.pdf", {"--seed", "31", "--text", "Suostumus. Asiakasnumero: 1001. Allekirjoitus"});
  st.seal({again});
  auto dup = st.ingest();
  REQUIRE(dup.size() == 1);
  CHECK(dup[0]["status"] == "duplicate");
  CHECK(dup[0]["document"] == 1);
  CHECK(documents(s) == 2);

  // Someone removes the assignment to hide whose document it is: verify sees it.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(s.archive().append("/index.sqlite").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "DELETE FROM document_assignments", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  Result v = s.kaappi({"verify"});
  CHECK(v.exit_code == 1);
  CHECK_THAT(v.out, Catch::Contains("index row deleted"));
}

TEST_CASE("bad envelopes are refused into rejected/ with a reason, and nothing is imported", "[ingest]") {
  Sandbox s;
  Station st(s);
  // Another archive's public key.
  Sandbox other;
  REQUIRE(other.kaappi({"init", "--reuse-key"}).exit_code == 0);  // same key, another archive
  std::string other_pub = other.kaappi({"key", "public"}).out;
  other_pub.erase(other_pub.find_last_not_of("\n") + 1);
  REQUIRE_THAT(other_pub, Catch::StartsWith("kaappi-pk1:"));
  auto foreign = st.seal({s.make_pdf("foreign.pdf", {"--seed", "41"})}, other_pub);
  auto tampered = st.seal({s.make_pdf("tampered.pdf", {"--seed", "42"})});
  auto truncated = st.seal({s.make_pdf("truncated.pdf", {"--seed", "43"})});
  std::string t = read_text(tampered[0]);
  t[t.size() / 2] ^= 1;  // inside the blob
  write_text(tampered[0], t);
  std::string u = read_text(truncated[0]);
  write_text(truncated[0], u.substr(0, u.size() - 100));
  // Not written to for longer than the grace period: no writer is still at it (a fresh one waits, test_ingest_partial).
  REQUIRE(s.run({"/usr/bin/touch", "-d", "2 minutes ago", truncated[0]}).exit_code == 0);
  write_text(st.inbox() + "/0123456789abcdef0123456789abcdef.kenv", "%PDF-1.4 not an envelope");
  // A station that was never registered.
  Result init = s.run({bin("kaappi-scan"), "init", "--station", "stranger"});
  REQUIRE(init.exit_code == 0);
  Result r = s.run({bin("kaappi-scan"), s.make_pdf("stranger.pdf", {"--seed", "44"}), "--public-key",
                    s.path("archive.pub"), "--inbox", st.inbox(), "--station", "stranger"});
  REQUIRE(r.exit_code == 0);

  std::string blobs_before = s.run({"/usr/bin/find", s.archive() + "/blobs", s.archive() + "/tmp", "-type", "f"}).out;
  auto results = st.ingest({"--customer", "1001"}, 4);
  REQUIRE(results.size() == 5);
  std::string all;
  for (const auto& x : results) {
    CHECK(x["status"] == "rejected");
    all += x["message"].get<std::string>() + "\n";
  }
  CHECK_THAT(all, Catch::Contains("sealed for another archive") && Catch::Contains("not a kaappi envelope") &&
                      Catch::Contains("truncated") && Catch::Contains("unknown station") &&
                      Catch::Contains("altered"));
  CHECK(documents(s) == 0);
  Result rejected = s.run({"/bin/ls", "-A", st.inbox() + "/rejected"});
  CHECK(std::count(rejected.out.begin(), rejected.out.end(), '\n') == 10);  // 5 envelopes + 5 reasons
  CHECK(s.run({"/bin/ls", "-A", st.inbox()}).out == "rejected\n");
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
  CHECK(s.run({"/usr/bin/find", s.archive() + "/blobs", s.archive() + "/tmp", "-type", "f"}).out == blobs_before);

  // A revoked station's envelopes are refused too.
  auto late = st.seal({s.make_pdf("late.pdf", {"--seed", "45"})});
  REQUIRE(s.kaappi({"station", "revoke", "desk"}).exit_code == 0);
  auto revoked = st.ingest({"--customer", "1001"}, 4);
  REQUIRE(revoked.size() == 1);
  CHECK_THAT(revoked[0]["message"].get<std::string>(), Catch::Contains("revoked"));
  CHECK(documents(s) == 0);
}

TEST_CASE("ingest killed at any step loses no envelope and makes no duplicate", "[ingest]") {
  for (const char* point : {"ingest.intent", "blob.write", "blob.fsync", "blob.rename", "blob.dirsync", "index.commit",
                            "index.committed", "ingest.committed"}) {
    DYNAMIC_SECTION("crash at " << point) {
      Sandbox s;
      Station st(s);
      std::string pdf = s.make_pdf("scan.pdf", {"--seed", "51", "--pages", "2", "--size-mb", "1"});
      std::string sha = sha_of_file(pdf);
      st.seal({pdf});
      Result r = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", point}});
      INFO(r.err);
      bool killed = r.exit_code == 128 + SIGKILL;
      CHECK((killed || r.exit_code == 0));  // a point ingest does not pass through changes nothing
      // The next ingest finishes the job: one document, no envelope left.
      Result again = s.kaappi({"ingest", "--customer", "1001"});
      INFO(again.err);
      CHECK(again.exit_code == 0);
      CHECK(documents(s) == 1);
      CHECK(s.run({"/bin/ls", "-A", st.inbox()}).out.empty());
      REQUIRE(s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
      CHECK(sha_of_file(s.path("out.pdf")) == sha);
      CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
    }
  }
}

TEST_CASE("kaappi-scan watch takes a slowly written scan once, whole, sweeps what was there, rejects junk", "[ingest][watch]") {
  Sandbox s;
  Station st(s);
  s.run({"/bin/mkdir", s.path("share")});
  // Already there before the watch starts: swept in.
  std::string early = s.make_pdf("share/early.pdf", {"--seed", "61"});
  std::string early_sha = sha_of_file(early);
  write_text(s.path("share/.hidden.pdf"), "not taken");
  write_text(s.path("share/~$temp.pdf"), "not taken");
  write_text(s.path("share/junk.pdf"), "this is no PDF");
  int pid = s.spawn({bin("kaappi-scan"), "watch", s.path("share"), "--public-key", s.path("archive.pub"), "--inbox",
                     st.inbox(), "--settle", "2"},
                    s.path("watch.log"));
  auto envelopes = [&] {
    Result r = s.run({"/bin/ls", "-A", st.inbox()});
    return static_cast<int>(std::count(r.out.begin(), r.out.end(), '\n'));
  };
  CHECK(eventually([&] { return envelopes() == 1 && !file_exists(early); }, 20));

  // A scanner writing one file slowly, in pieces, keeping it open.
  std::string slow = s.make_pdf("slow-source.pdf", {"--seed", "62", "--pages", "3"});
  std::string data = read_text(slow);
  std::string target = s.path("share/slow.pdf");
  {
    FILE* f = std::fopen(target.c_str(), "wb");
    REQUIRE(f != nullptr);
    for (size_t i = 0; i < 4; ++i) {
      size_t from = data.size() * i / 4, to = data.size() * (i + 1) / 4;
      std::fwrite(data.data() + from, 1, to - from, f);
      std::fflush(f);
      ::usleep(900000);  // under the 2 s settle time: not yet complete
      CHECK(envelopes() == 1);
    }
    std::fclose(f);
  }
  CHECK(eventually([&] { return envelopes() == 2 && !file_exists(target); }, 20));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::string log = read_text(s.path("watch.log"));
  CHECK_THAT(log, Catch::Contains("sealed early.pdf") && Catch::Contains("sealed slow.pdf (3 pages)") &&
                      Catch::Contains("rejected junk.pdf") && Catch::Contains("stopped"));
  CHECK(file_exists(s.path("share/.hidden.pdf")));
  CHECK(file_exists(s.path("share/~$temp.pdf")));
  CHECK(file_exists(s.path("share/rejected/junk.pdf")));
  CHECK(file_exists(s.path("share/rejected/junk.pdf.reason")));

  // Taken in once and whole.
  auto results = st.ingest({"--customer", "1001"});
  REQUIRE(results.size() == 2);
  REQUIRE(documents(s) == 2);
  std::set<std::string> got;
  for (int id : {1, 2}) {
    REQUIRE(s.kaappi({"get", std::to_string(id), "-o", s.path("out" + std::to_string(id)), "--reason", "t"}).exit_code == 0);
    got.insert(sha_of_file(s.path("out" + std::to_string(id))));
  }
  CHECK(got == std::set<std::string>{early_sha, sha_of_file(slow)});
}

TEST_CASE("kill -9 of kaappi-scan and of ingest at random moments loses nothing and duplicates nothing", "[ingest][kill]") {
  Sandbox s;
  Station st(s);
  s.run({"/bin/mkdir", s.path("scans")});
  std::map<std::string, std::string> sha_of;  // every scan's content, by name
  for (int i = 0; i < 8; ++i) {
    std::string name = "scans/s" + std::to_string(i) + ".pdf";
    std::string path = s.make_pdf(name, {"--seed", std::to_string(700 + i), "--pages", std::to_string(1 + i % 3)});
    sha_of[path] = sha_of_file(path);
  }
  std::srand(12345);
  auto remaining = [&] {
    std::vector<std::string> left;
    for (const auto& [path, sha] : sha_of)
      if (file_exists(path)) left.push_back(path);
    return left;
  };
  // The station, killed at random moments until every scan is sealed.
  for (int round = 0; round < 30 && !remaining().empty(); ++round) {
    std::vector<std::string> argv = {bin("kaappi-scan")};
    for (const auto& f : remaining()) argv.push_back(f);
    for (const std::string& a : std::vector<std::string>{"--public-key", s.path("archive.pub"), "--inbox", st.inbox()})
      argv.push_back(a);
    int pid = s.spawn(argv, s.path("scan.log"));
    ::usleep(static_cast<useconds_t>(std::rand() % 400000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    for (const auto& [path, sha] : sha_of)
      if (file_exists(path)) REQUIRE(sha_of_file(path) == sha);  // a scan still here is whole
  }
  if (!remaining().empty()) {
    std::vector<std::string> argv = {bin("kaappi-scan")};
    for (const auto& f : remaining()) argv.push_back(f);
    for (const std::string& a : std::vector<std::string>{"--public-key", s.path("archive.pub"), "--inbox", st.inbox()})
      argv.push_back(a);
    REQUIRE(s.run(argv).exit_code == 0);
  }
  // The key holder's ingest, killed at random moments until the inbox is empty.
  for (int round = 0; round < 30; ++round) {
    int pid = s.spawn({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--passphrase-file", s.pass(),
                       "ingest", "--customer", "1001"},
                      s.path("ingest.log"));
    ::usleep(static_cast<useconds_t>(std::rand() % 500000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  Result last = s.kaappi({"ingest", "--customer", "1001"});
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  CHECK(s.run({"/bin/ls", "-A", st.inbox()}).out.empty());
  // Every scan is in the archive exactly once, byte for byte.
  auto docs = nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"];
  CHECK(docs.size() == sha_of.size());
  std::multiset<std::string> got, want;
  for (const auto& [path, sha] : sha_of) want.insert(sha);
  for (const auto& d : docs) {
    std::string out = s.path("got.pdf");
    s.run({"/bin/rm", "-f", out});
    REQUIRE(s.kaappi({"get", std::to_string(d["id"].get<long>()), "-o", out, "--reason", "t"}).exit_code == 0);
    got.insert(sha_of_file(out));
  }
  CHECK(got == want);
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("a FIFO, a symlink or a folder named like an envelope is reported by name, never opened or followed",
          "[ingest]") {
  Sandbox s;
  Station st(s);
  auto good = st.seal({s.make_pdf("a.pdf", {"--seed", "61"}), s.make_pdf("b.pdf", {"--seed", "62"})});
  // A real envelope outside the inbox, and a link to it inside.
  auto elsewhere = st.seal({s.make_pdf("c.pdf", {"--seed", "63"})});
  REQUIRE(s.run({"/bin/mv", elsewhere[0], s.path("target.kenv")}).exit_code == 0);
  const std::string target_sha = sha_of_file(s.path("target.kenv"));
  REQUIRE(s.run({"/usr/bin/mkfifo", st.inbox() + "/pipe.kenv"}).exit_code == 0);
  REQUIRE(s.run({"/bin/ln", "-s", s.path("target.kenv"), st.inbox() + "/link.kenv"}).exit_code == 0);
  REQUIRE(s.run({"/bin/mkdir", st.inbox() + "/folder.kenv"}).exit_code == 0);
  write_text(st.inbox() + "/folder.kenv/inside", "x");

  Result list = s.kaappi({"ingest", "--list"});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains("REFUSED: pipe.kenv is a FIFO, not an envelope file; it was not opened") &&
                           Catch::Contains("REFUSED: link.kenv is a symbolic link, not an envelope file") &&
                           Catch::Contains("REFUSED: folder.kenv is a folder, not an envelope file"));
  CHECK(std::count(list.out.begin(), list.out.end(), '\n') == 6);  // a header, 2 good, 3 refused

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  CHECK(r.exit_code == 6);
  CHECK_THAT(r.err, Catch::Contains("kaappi: rejected pipe.kenv: pipe.kenv is a FIFO, not an envelope file; it was "
                                    "not opened; moved to rejected/") &&
                        Catch::Contains("kaappi: rejected link.kenv: link.kenv is a symbolic link") &&
                        Catch::Contains("kaappi: rejected folder.kenv: folder.kenv is a folder"));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // the two good ones stored
  CHECK(documents(s) == 2);
  CHECK(s.run({"/bin/ls", "-A", st.inbox()}).out == "rejected\n");
  const std::string rejected = st.inbox() + "/rejected/";
  CHECK(s.run({"/usr/bin/test", "-p", rejected + "pipe.kenv"}).exit_code == 0);
  CHECK(s.run({"/usr/bin/test", "-L", rejected + "link.kenv"}).exit_code == 0);
  CHECK(read_text(rejected + "folder.kenv/inside") == "x");
  CHECK_THAT(read_text(rejected + "pipe.kenv.reason"), Catch::Contains("pipe.kenv is a FIFO"));
  CHECK(sha_of_file(s.path("target.kenv")) == target_sha);  // the link's target stays, untouched
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("when rejected/ cannot be used, the good envelopes are taken in and the bad ones stay in the inbox, named",
          "[ingest][symlinks]") {
  const std::string planted = GENERATE("a symbolic link", "a file", "a FIFO", "another user's folder");
  INFO("rejected/ is " << planted);
  Sandbox s;
  Station st(s);
  const std::string junk_name = "0123456789abcdef0123456789abcdef.kenv";
  const std::string junk = st.inbox() + "/" + junk_name, rejected = st.inbox() + "/rejected";
  write_text(junk, "not an envelope");
  st.seal({s.make_pdf("good.pdf", {"--seed", "64"})});
  s.run({"/bin/mkdir", s.path("elsewhere")});
  std::string unusable = planted + ", not a folder";
  if (planted == "a symbolic link") {
    REQUIRE(s.run({"/bin/ln", "-s", s.path("elsewhere"), rejected}).exit_code == 0);
    unusable = rejected + " is a symbolic link where a folder belongs; kaappi never follows one there (nothing was " +
               "written): remove the link, or name the real folder";
  } else if (planted == "a file") {
    write_text(rejected, "a file");
    unusable = rejected + " is a regular file, not a folder (nothing was written)";
  } else if (planted == "a FIFO") {
    REQUIRE(s.run({"/usr/bin/mkfifo", rejected}).exit_code == 0);
    unusable = rejected + " is a FIFO, not a folder (nothing was written)";
  } else if (::geteuid() == 0) {
    REQUIRE(s.run({"/bin/mkdir", "-m", "0777", rejected}).exit_code == 0);
    REQUIRE(s.run({"/bin/chown", "65534", rejected}).exit_code == 0);
    unusable = rejected + " belongs to another user (uid 65534); kaappi sets nothing aside in a folder it does not own";
  } else {  // not root: a folder that cannot be written is as unusable
    REQUIRE(s.run({"/bin/mkdir", "-m", "0500", rejected}).exit_code == 0);
    unusable = "could not create a temporary file in " + rejected + ": Permission denied";
  }
  auto rejected_state = [&] { return s.run({"/bin/ls", "-lAn", "--time-style=+", rejected + "/", rejected}).out; };
  const std::string rejected_before = rejected_state();

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.err);
  CHECK(r.exit_code == 6);  // done in part: the good one is in
  CHECK_THAT(r.out, Catch::Contains("stored\tgood.pdf from desk as document 1 for customer 1001"));
  CHECK_THAT(r.err, Catch::Contains("kaappi: rejected " + junk_name + ": " + junk_name + " is not a kaappi envelope; "
                                    "left in the inbox as it was, because it cannot be set aside: " + unusable));
  CHECK(documents(s) == 1);
  CHECK(s.run({"/bin/ls", "-A", st.inbox()}).out == junk_name + "\nrejected\n");  // the good envelope is gone
  CHECK(read_text(junk) == "not an envelope");
  CHECK(rejected_state() == rejected_before);  // nothing written into, through or beside it
  CHECK(s.run({"/bin/ls", "-A", s.path("elsewhere")}).out.empty());

  // Only the bad one left: nothing is taken in, nothing changes. (Not
  // archive_fingerprint(): it would open the FIFO planted in the inbox.)
  auto archive_state = [&] {
    return sha_of_file(s.archive() + "/index.sqlite") +
           s.run({"/usr/bin/find", s.archive() + "/blobs", s.archive() + "/tmp", "-type", "f"}).out;
  };
  const std::string archive_before = archive_state();
  Result again = s.kaappi({"ingest", "--customer", "1001", "--json"});
  CHECK(again.exit_code == 4);
  auto results = nlohmann::json::parse(again.out)["results"];
  REQUIRE(results.size() == 1);
  CHECK(results[0]["status"] == "rejected");
  CHECK(results[0]["moved_to"].is_null());
  CHECK_THAT(results[0]["message"].get<std::string>(), Catch::EndsWith("cannot be set aside: " + unusable));
  CHECK(archive_state() == archive_before);
  CHECK(read_text(junk) == "not an envelope");
  CHECK(rejected_state() == rejected_before);
}

TEST_CASE("a name already taken in rejected/ gets a number, and the output names the file as it was stored",
          "[ingest]") {
  Sandbox s;
  Station st(s);
  const std::string name = "0123456789abcdef0123456789abcdef.kenv", rejected = st.inbox() + "/rejected/";
  REQUIRE(s.run({"/bin/mkdir", "-m", "0700", rejected}).exit_code == 0);
  write_text(rejected + name, "refused earlier");
  write_text(rejected + name + ".reason", "an earlier reason\n");
  write_text(rejected + "2-" + name, "refused earlier too");
  write_text(st.inbox() + "/" + name, "not an envelope");
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains(name + " is not a kaappi envelope; moved to rejected/3-" + name + "\n"));
  CHECK(read_text(rejected + "3-" + name) == "not an envelope");
  CHECK_THAT(read_text(rejected + "3-" + name + ".reason"), Catch::Contains("is not a kaappi envelope"));
  CHECK(read_text(rejected + name) == "refused earlier");  // nothing there replaced
  CHECK(read_text(rejected + name + ".reason") == "an earlier reason\n");
  CHECK(read_text(rejected + "2-" + name) == "refused earlier too");
  CHECK(s.run({"/bin/ls", "-A", st.inbox()}).out == "rejected\n");

  write_text(st.inbox() + "/" + name, "not an envelope either");
  Result j = s.kaappi({"ingest", "--json"});
  auto results = nlohmann::json::parse(j.out)["results"];
  REQUIRE(results.size() == 1);
  CHECK(results[0]["moved_to"] == "rejected/4-" + name);
  CHECK(read_text(rejected + "4-" + name) == "not an envelope either");
}

TEST_CASE("a scan naming several customers, or numbers no customer has, is stored unassigned, and the output says "
          "what it named", "[ingest]") {
  Sandbox s;
  Station st(s);
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  st.seal({s.make_pdf("two.pdf", {"--seed", "65", "--text", "Asiakasnumero: 1001. Kundnummer: 1002."})});
  st.seal({s.make_pdf("stranger.pdf", {"--seed", "66", "--text", "Asiakasnumero: 9999"})});
  st.seal({s.make_pdf("plain.pdf", {"--seed", "67"})});
  Result r = s.kaappi({"ingest"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("stored\ttwo.pdf from desk as document 1, unassigned: the scan names several "
                                    "customers (1001, 1002), so it was not filed to any of them automatically "
                                    "(kaappi assign 1 --customer N)\n") &&
                        Catch::Contains("stored\tstranger.pdf from desk as document 2, unassigned: the scan names "
                                        "customer number 9999, which no customer has (kaappi assign 2 --customer N)\n") &&
                        Catch::Contains("stored\tplain.pdf from desk as document 3, unassigned: no customer number "
                                        "found in the scan (kaappi assign 3 --customer N)\n"));
  auto unassigned = nlohmann::json::parse(s.kaappi({"documents", "--unassigned", "--json"}).out)["documents"];
  CHECK(unassigned.size() == 3);
  CHECK(documents(s) == 3);

  st.seal({s.make_pdf("again.pdf", {"--seed", "68", "--text", "Kundnummer: 1002. Customer number: 1001. Kundnr 77"})});
  auto j = st.ingest();
  REQUIRE(j.size() == 1);
  CHECK(j[0]["customer"] == "");
  CHECK(j[0]["customers_named"] == nlohmann::json::array({"1002", "1001"}));
  CHECK(j[0]["unknown_numbers"] == nlohmann::json::array({"77"}));

  // One number a customer's, another no one's (yet): not filed to the one it knows.
  st.seal({s.make_pdf("mixed.pdf", {"--seed", "69", "--text", "Asiakasnumero: 1001 Kundnummer: 8888"})});
  Result mixed = s.kaappi({"ingest"});
  INFO(mixed.err);
  CHECK(mixed.exit_code == 0);
  CHECK_THAT(mixed.out, Catch::Contains("stored\tmixed.pdf from desk as document 5, unassigned: the scan names several "
                                        "customer numbers (customer 1001, and 8888, which no customer has), so it was "
                                        "not filed to any of them automatically (kaappi assign 5 --customer N)\n"));
}

TEST_CASE("a rejected/ of the inbox's owner is used, as a share that shows every file as one user's has it", "[ingest]") {
  if (::geteuid() != 0) return;  // only root can give the folders another owner
  Sandbox s;
  Station st(s);
  const std::string name = "0123456789abcdef0123456789abcdef.kenv";
  REQUIRE(s.run({"/bin/mkdir", "-m", "0777", st.inbox() + "/rejected"}).exit_code == 0);
  REQUIRE(s.run({"/bin/chown", "65534", st.inbox(), st.inbox() + "/rejected"}).exit_code == 0);
  write_text(st.inbox() + "/" + name, "not an envelope");
  Result r = s.kaappi({"ingest"});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains(name + " is not a kaappi envelope; moved to rejected/" + name + "\n"));
  CHECK(read_text(st.inbox() + "/rejected/" + name) == "not an envelope");
}

namespace {
// The blob files under blobs/ (the fan-out folders' *.blob).
size_t blob_files(const Sandbox& s) {
  Result r = s.run({"/usr/bin/find", s.archive() + "/blobs", "-name", "*.blob"});
  return static_cast<size_t>(std::count(r.out.begin(), r.out.end(), '\n'));
}
}  // namespace

TEST_CASE("a write that fails after the blob is in place leaves no blob behind, and the same command again stores it",
          "[ingest][import]") {
  for (const char* fault : {"blob.dirsync:error", "blob.rename:error", "blob.rename:enospc"}) {
    DYNAMIC_SECTION("ingest, fault " << fault) {
      Sandbox s;
      Station st(s);
      std::string pdf = s.make_pdf("scan.pdf", {"--seed", "71"});
      std::string sha = sha_of_file(pdf);
      st.seal({pdf});
      Result failed = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", fault}});
      INFO(failed.err);
      CHECK(failed.exit_code != 0);
      CHECK(blob_files(s) == 0);
      CHECK(documents(s) == 0);
      Result verify = s.kaappi({"verify"});
      INFO(verify.out + verify.err);
      CHECK(verify.exit_code == 0);
      auto again = st.ingest({"--customer", "1001"});
      REQUIRE(again.size() == 1);
      CHECK(again[0]["status"] == "stored");
      REQUIRE(s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
      CHECK(sha_of_file(s.path("out.pdf")) == sha);
      CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
    }
  }
  for (const char* fault : {"blob.rename:error", "blob.rename:enospc"}) {
    DYNAMIC_SECTION("import, fault " << fault) {
      Sandbox s;
      s.init_archive_with_customer();
      std::string pdf = s.make_pdf("scan.pdf", {"--seed", "72"});
      Result failed = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "contract"}, {{"KAAPPI_FAULT", fault}});
      INFO(failed.err);
      CHECK(failed.exit_code != 0);
      CHECK(failed.err.find("was not stored") != std::string::npos);
      CHECK(blob_files(s) == 0);
      Result verify = s.kaappi({"verify"});
      INFO(verify.out + verify.err);
      CHECK(verify.exit_code == 0);
      CHECK(s.kaappi({"import", pdf, "--customer", "1001", "--kind", "contract"}).exit_code == 0);
      CHECK(documents(s) == 1);
      CHECK(blob_files(s) == 1);
    }
  }
}
