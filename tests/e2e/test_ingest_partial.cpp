// test_ingest_partial.cpp — kaappi ingest when not all of the inbox can be
// taken in, with the real binaries: an error in a later batch (an I/O error,
// a full disk) keeps what the batches before it stored reported, takes that
// batch back and names every envelope left in the inbox (exit 6; the error's
// own code when none was stored); an envelope still being written into the
// inbox by a slow writer is left there, not refused, until it is whole (and
// refused as truncated once it has not changed for the grace period); an
// envelope that changes while ingest reads it is never taken in by half nor
// refused; and a write the archive refuses leaves the inbox as it was.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

std::string inbox_of(const Sandbox& s) { return s.archive() + "/inbox"; }

std::vector<std::string> envelopes_in(const std::string& folder) {
  std::vector<std::string> names;
  for (const std::string& name : folder_entries(folder))
    if (name.size() > 5 && name.substr(name.size() - 5) == ".kenv") names.push_back(name);
  return names;
}

size_t documents(const Sandbox& s) {
  return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].size();
}

// Seals the files as station "desk" into `folder` (kaappi-scan removes them).
void seal(const Sandbox& s, const std::vector<std::string>& files, const std::string& folder) {
  std::vector<std::string> args = {bin("kaappi-scan")};
  args.insert(args.end(), files.begin(), files.end());
  args.insert(args.end(), {"--public-key", s.path("archive.pub"), "--inbox", folder, "--station", "desk", "-q"});
  Result r = s.run(args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

// An archive with station "desk" and 36 envelopes in its inbox: a whole
// batch (32) and 4 more. Made once per test process.
const Sandbox& inbox_of_36() {
  static Sandbox s;
  static bool made = false;
  if (!made) {
    s.init_archive_with_station();
    std::vector<std::string> scans;
    for (int i = 0; i < 36; ++i)
      scans.push_back(s.make_pdf("s" + std::to_string(i) + ".pdf", {"--seed", std::to_string(300 + i)}));
    seal(s, scans, inbox_of(s));
    REQUIRE(envelopes_in(inbox_of(s)).size() == 36);
    made = true;
  }
  return s;
}

void check_verify_full(const Sandbox& s) {
  Result v = s.kaappi({"verify", "--full"});
  INFO(v.out << v.err);
  CHECK(v.exit_code == 0);
}

// kaappi `args` in the sandbox, stopped at fault point `point` while `meanwhile` runs (harness stopped_at).
Result kaappi_stopped_at(const Sandbox& s, const std::vector<std::string>& args, const std::string& point,
                         const std::function<void()>& meanwhile) {
  std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--passphrase-file",
                                   s.pass()};
  argv.insert(argv.end(), args.begin(), args.end());
  return stopped_at(s, argv, point, meanwhile);
}

}  // namespace

TEST_CASE("ingest: an error in a later batch keeps the batches before it reported as stored, takes its own batch "
          "back and leaves its envelopes in the inbox, exit 6", "[ingest][batch][partial]") {
  Sandbox s;
  s.copy_from(inbox_of_36());

  SECTION("an I/O error at a blob's fsync in the 2nd batch, --json") {
    Result r = s.kaappi({"--json", "ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", "blob.fsync:error@34"}});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 6);
    auto j = nlohmann::json::parse(r.out);
    const auto& results = j["results"];
    REQUIRE(results.size() == 36);
    const auto stored = items_where(results, "status", "stored");
    const auto failed = items_where(results, "status", "failed");
    CHECK(stored.size() == 32);
    CHECK(failed.size() == 4);
    for (const auto& x : stored) CHECK(x["document"].is_number());
    for (const auto& x : failed) CHECK(x["document"].is_null());
    CHECK_THAT(j["error"].get<std::string>(), Catch::Contains("blob.fsync"));
    CHECK_THAT(r.err, Catch::Contains("ingest stopped"));
  }

  SECTION("a full disk at a blob's rename in the 2nd batch, text") {
    Result r = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", "blob.rename:enospc@33"}});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 6);
    size_t stored = 0, not_stored = 0, pos = 0;
    while ((pos = r.out.find("stored\t", pos)) != std::string::npos) {
      const bool negated = pos >= 4 && r.out.compare(pos - 4, 4, "not ") == 0;
      (negated ? not_stored : stored) += 1;
      pos += 7;
    }
    CHECK(stored == 32);
    CHECK(not_stored == 4);
    // The cause once, on stderr, not once per envelope.
    const std::string cause = "ingest stopped";
    CHECK(r.err.find(cause) != std::string::npos);
    CHECK(r.err.find(cause) == r.err.rfind(cause));
    CHECK_THAT(r.err, Catch::Contains("32 envelopes were taken in"));
  }

  CHECK(documents(s) == 32);
  CHECK(envelopes_in(inbox_of(s)).size() == 4);  // the failed batch's, as they were
  CHECK(folder_entries(inbox_of(s)) == envelopes_in(inbox_of(s)));  // nothing set aside
  CHECK(folder_entries(s.archive() + "/tmp").empty());
  check_verify_full(s);
  // The next ingest takes in the rest.
  Result again = s.kaappi({"--json", "ingest", "--customer", "1001"});
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  CHECK(items_where(nlohmann::json::parse(again.out)["results"], "status", "stored").size() == 4);
  CHECK(documents(s) == 36);
  CHECK(envelopes_in(inbox_of(s)).empty());
}

TEST_CASE("ingest: an error in the first batch stores nothing, names the envelopes not tried, keeps every envelope "
          "in the inbox, and exits with the error's code", "[ingest][batch][partial]") {
  Sandbox s;
  s.copy_from(inbox_of_36());
  const std::vector<std::string> before = envelopes_in(inbox_of(s));
  Result r = s.kaappi({"--json", "ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", "blob.fsync:error@2"}});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 70);
  auto j = nlohmann::json::parse(r.out);
  const auto& results = j["results"];
  REQUIRE(results.size() == 36);
  CHECK(items_where(results, "status", "failed").size() == 32);
  CHECK(items_where(results, "status", "left").size() == 4);  // read ahead, or never started
  CHECK(j["error"].is_string());
  CHECK(documents(s) == 0);
  CHECK(envelopes_in(inbox_of(s)) == before);
  CHECK(folder_entries(s.archive() + "/tmp").empty());
  check_verify_full(s);

  Result text = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", "blob.fsync:error@2"}});
  INFO(text.out << text.err);
  CHECK(text.exit_code == 70);
  CHECK_THAT(text.out, Catch::Contains("left\t") && Catch::Contains("not tried; it stays in the inbox"));
  CHECK(envelopes_in(inbox_of(s)) == before);
}

namespace {

// One envelope sealed into held/ (not the inbox); returns its path.
std::string one_envelope(Sandbox& s, const std::string& seed) {
  s.init_archive_with_station();
  REQUIRE(::mkdir(s.path("held").c_str(), 0700) == 0);
  seal(s, {s.make_pdf("scan.pdf", {"--seed", seed})}, s.path("held"));
  auto held = envelopes_in(s.path("held"));
  REQUIRE(held.size() == 1);
  return s.path("held/" + held[0]);
}

off_t size_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

}  // namespace

TEST_CASE("ingest: an envelope a slow writer is still copying into the inbox is left there, said to be still being "
          "written, and taken in once whole", "[ingest][inbox][slow-writer]") {
  Sandbox s;
  const std::string envelope = one_envelope(s, "401");
  const std::string name = envelope.substr(envelope.rfind('/') + 1);
  const std::string target = inbox_of(s) + "/" + name;
  const off_t size = size_of(envelope);
  REQUIRE(size > 2048);
  // A good envelope beside it, taken in meanwhile.
  seal(s, {s.make_pdf("other.pdf", {"--seed", "402"})}, inbox_of(s));
  // The writer: 24 pieces, 0.4 s apart, each written by a process of its own (as cp or a share client).
  const off_t piece = size / 24 + 1;
  const std::string script = "i=0; while [ $((i * " + std::to_string(piece) + ")) -lt " + std::to_string(size) +
                             " ]; do dd if='" + envelope + "' of='" + target + "' bs=" + std::to_string(piece) +
                             " skip=$i seek=$i count=1 conv=notrunc status=none || exit 1; i=$((i + 1)); sleep 0.4; done";
  int writer = s.spawn({"/bin/sh", "-c", script}, s.path("writer.out"));
  REQUIRE(eventually([&] { return size_of(target) >= piece; }, 10));

  Result list = s.kaappi({"ingest", "--list"});
  INFO(list.out << list.err);
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains(name) && Catch::Contains("still being written"));
  CHECK_THAT(list.out, !Catch::Contains("REFUSED"));

  Result r = s.kaappi({"--json", "ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  REQUIRE(size_of(target) < size);  // still being written when ingest was done with it
  CHECK(r.exit_code == 0);  // waiting counts neither way
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 2);
  const auto waiting = items_where(results, "envelope", name);
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0]["status"] == "waiting");
  CHECK_THAT(waiting[0]["message"].get<std::string>(), Catch::Contains("still being written"));
  CHECK(items_where(results, "status", "stored").size() == 1);
  CHECK(folder_entries(inbox_of(s) + "/rejected").empty());
  CHECK(file_exists(target));

  int status = 0;
  REQUIRE(::waitpid(writer, &status, 0) == writer);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  REQUIRE(sha_of_file(target) == sha_of_file(envelope));
  Result after = s.kaappi({"--json", "ingest", "--customer", "1001"});
  INFO(after.out << after.err);
  CHECK(after.exit_code == 0);
  auto done = nlohmann::json::parse(after.out)["results"];
  REQUIRE(done.size() == 1);
  CHECK(done[0]["status"] == "stored");
  CHECK(documents(s) == 2);
  CHECK(envelopes_in(inbox_of(s)).empty());
  CHECK(folder_entries(inbox_of(s) + "/rejected").empty());
  check_verify_full(s);
}

TEST_CASE("ingest: an unfinished envelope is waited for only while it was modified recently, and after the grace "
          "period it is rejected as truncated", "[ingest][inbox][slow-writer]") {
  Sandbox s;
  const std::string envelope = one_envelope(s, "403");
  const std::string name = envelope.substr(envelope.rfind('/') + 1);
  const std::string target = inbox_of(s) + "/" + name;
  const std::string whole = read_text(envelope);

  SECTION("its first half") { write_text(target, whole.substr(0, whole.size() / 2)); }
  SECTION("only the start of its magic") { write_text(target, whole.substr(0, 5)); }
  SECTION("empty, just made") { write_text(target, ""); }

  Result list = s.kaappi({"ingest", "--list"});
  CHECK_THAT(list.out, Catch::Contains("still being written"));
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("waiting\t") && Catch::Contains("still being written"));
  CHECK(file_exists(target));
  CHECK(folder_entries(inbox_of(s) + "/rejected").empty());

  // Its writer went away: nothing written to it for longer than the grace period.
  REQUIRE(s.run({"/usr/bin/touch", "-d", "2 minutes ago", target}).exit_code == 0);
  Result list_old = s.kaappi({"ingest", "--list"});
  CHECK_THAT(list_old.out, Catch::Contains("REFUSED") && !Catch::Contains("still being written"));
  Result old = s.kaappi({"ingest", "--customer", "1001"});
  INFO(old.out << old.err);
  CHECK(old.exit_code == 4);
  CHECK(!file_exists(target));
  CHECK(file_exists(inbox_of(s) + "/rejected/" + name));
  const std::string reason = read_text(inbox_of(s) + "/rejected/" + name + ".reason");
  CHECK_THAT(reason, Catch::Contains("truncated") || Catch::Contains("not a kaappi envelope"));
}

TEST_CASE("ingest: an envelope rewritten while ingest reads it is neither taken in by half nor rejected: it stays in "
          "the inbox and is taken in once whole", "[ingest][inbox][slow-writer]") {
  Sandbox s;
  const std::string envelope = one_envelope(s, "404");
  const std::string name = envelope.substr(envelope.rfind('/') + 1);
  const std::string target = inbox_of(s) + "/" + name;
  const std::string whole = read_text(envelope);
  write_text(target, whole);
  // Stopped while it copies the blob: a writer starts over (truncates the file and writes its first half).
  Result r = kaappi_stopped_at(s, {"--json", "ingest", "--customer", "1001"}, "blob.write",
                        [&] { write_text(target, whole.substr(0, whole.size() / 2)); });
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 1);
  CHECK(results[0]["status"] == "waiting");
  CHECK(documents(s) == 0);
  CHECK(file_exists(target));
  CHECK(folder_entries(inbox_of(s) + "/rejected").empty());
  CHECK(folder_entries(s.archive() + "/tmp").empty());

  write_text(target, whole);  // the writer finished
  Result again = s.kaappi({"--json", "ingest", "--customer", "1001"});
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  CHECK(nlohmann::json::parse(again.out)["results"][0]["status"] == "stored");
  CHECK(documents(s) == 1);
  check_verify_full(s);
}

TEST_CASE("ingest on an archive whose index does not match its signed head refuses before it moves anything: the "
          "inbox stays as it was", "[ingest][inbox][rollback]") {
  Sandbox s;
  s.init_archive_with_station();
  const long id = s.import({s.make_pdf("imported.pdf", {"--seed", "405"})}).at(0);
  seal(s, {s.make_pdf("good.pdf", {"--seed", "406"})}, inbox_of(s));
  write_text(inbox_of(s) + "/0123456789abcdef0123456789abcdef.kenv", "not an envelope at all, and never one");
  const std::vector<std::string> before = folder_entries(inbox_of(s));
  REQUIRE(before.size() == 2);
  // The last signed row deleted outside kaappi.
  sql(s, "DELETE FROM documents WHERE id = " + std::to_string(id));

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("nothing was changed"));
  CHECK(folder_entries(inbox_of(s)) == before);  // no rejected/ either
}

TEST_CASE("ingest: another envelope put under a stored envelope's name after it was read is not removed with it",
          "[ingest][inbox]") {
  Sandbox s;
  const std::string first = one_envelope(s, "405");
  const std::string name = first.substr(first.rfind('/') + 1);
  const std::string target = inbox_of(s) + "/" + name;
  write_text(target, read_text(first));
  REQUIRE(::mkdir(s.path("other").c_str(), 0700) == 0);
  seal(s, {s.make_pdf("other.pdf", {"--seed", "406"})}, s.path("other"));
  auto other = envelopes_in(s.path("other"));
  REQUIRE(other.size() == 1);
  const std::string second = read_text(s.path("other/" + other[0]));
  // Stopped once its batch is committed, before its envelope is removed: a
  // share client renames another envelope onto the name.
  Result r = kaappi_stopped_at(s, {"ingest", "--customer", "1001"}, "ingest.committed", [&] {
    write_text(s.path("replacement"), second);
    REQUIRE(::rename(s.path("replacement").c_str(), target.c_str()) == 0);
  });
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("another file was put under its envelope's name after it was read; that file is left in the "
                   "inbox for the next ingest") != std::string::npos);
  CHECK(documents(s) == 1);
  REQUIRE(file_exists(target));
  CHECK(read_text(target) == second);  // not removed

  Result again = s.kaappi({"ingest", "--customer", "1001"});
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  CHECK(documents(s) == 2);
  CHECK_FALSE(file_exists(target));
  check_verify_full(s);
}
