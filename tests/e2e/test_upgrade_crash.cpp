// test_upgrade_crash.cpp — kill -9 of kaappi upgrade (format 1 to format 2)
// at each of its steps and at random moments, on copies of the frozen
// archive (tests/data/archive-v3.tar.gz). Afterwards the archive is either
// still format 1 as it was (the index file byte for byte, this machine's
// record of it unchanged, every command saying it needs kaappi upgrade), or
// format 2 complete (verify --full clean; every document, customer history
// and consent state as a clean upgrade gives them); either way a second
// kaappi upgrade finishes the job.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "harness.h"

using namespace e2e;

namespace {

const std::string k_data = std::string(KAAPPI_SOURCE_DIR) + "/tests/data";

std::string head_record(const Sandbox& s, const std::string& id) { return s.path("home/state/kaappi/" + id + ".head"); }

// The frozen archive, unpacked as the sandbox's archive; when `remembered`,
// this machine remembers its format-1 head, as the kaappi that made it did.
void unpack_frozen(const Sandbox& s, bool remembered) {
  Result r = s.run({"/bin/tar", "-xzf", k_data + "/archive-v3.tar.gz", "-C", s.dir()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  write_text(s.path("archive.pub"),
             nlohmann::json::parse(read_text(k_data + "/archive-v3.expected.json"))["public_key"].get<std::string>() +
                 "\n");
  if (!remembered) return;
  const std::string id = sql_value(s, "SELECT lower(hex(archive_id)) FROM archive");
  REQUIRE(s.run({"/bin/mkdir", "-p", "-m", "700", s.path("home/state/kaappi")}).exit_code == 0);
  write_text(head_record(s, id), sql_value(s, "SELECT seq FROM head") + " " +
                                     sql_value(s, "SELECT lower(hex(digest)) FROM head") + "\n");
  REQUIRE(s.run({"/bin/chmod", "600", head_record(s, id)}).exit_code == 0);
}

// This machine's records of archive heads and folders, with their contents.
std::string machine_records(const Sandbox& s) {
  Result r = s.run({"/bin/sh", "-c", "cd '" + s.path("home/state") + "' 2>/dev/null && find . -type f | sort | "
                                     "xargs -r sha256sum"});
  return r.out;
}

std::string index_sha(const Sandbox& s) { return sha_of_file(s.archive() + "/index.sqlite"); }

// What the archive shows with the key: each customer's history and consent
// states, the document list, and each document's bytes (read by get).
std::map<std::string, std::string> what_it_shows(const Sandbox& s) {
  std::map<std::string, std::string> out;
  auto shown = [&](const std::vector<std::string>& args) {
    std::vector<std::string> with_json = args;
    with_json.push_back("--json");
    Result r = s.kaappi(with_json);
    INFO(args.front() << ": " << r.err);
    CHECK(r.exit_code == 0);
    return r.out;
  };
  for (const char* number : {"1001", "1002", "1003"}) {
    out[std::string("customer history ") + number] = shown({"customer", "history", number});
    out[std::string("consent show ") + number] = shown({"consent", "show", number, "--as-of", "2026-11-26"});
  }
  out["documents"] = shown({"documents"});
  const nlohmann::json listed = nlohmann::json::parse(out["documents"]);  // outlives the loop over its part
  for (const auto& d : listed["documents"]) {
    const std::string id = std::to_string(d["id"].get<long>());
    const std::string file = s.path("doc-" + id + ".pdf");
    Result g = s.kaappi({"get", id, "-o", file, "--reason", "upgrade crash test", "--force"});
    INFO(g.err);
    CHECK(g.exit_code == 0);
    out["document " + id] = sha_of_file(file);
  }
  return out;
}

// What the frozen archive shows after a clean upgrade (made once per run).
const std::map<std::string, std::string>& after_clean_upgrade() {
  static const std::map<std::string, std::string> shown = [] {
    Sandbox s;
    unpack_frozen(s, false);
    Result up = s.kaappi({"upgrade"});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    return what_it_shows(s);
  }();
  return shown;
}

enum class Left { format1, format2 };

// The either/or after a kill; then a second upgrade, after which the archive
// is format 2 complete. `index_before` and `records_before`: the index file's
// hash and this machine's records before the killed upgrade.
Left check_either_or(const Sandbox& s, const std::string& index_before, const std::string& records_before) {
  const std::string index_after_kill = index_sha(s);
  Result show = s.kaappi({"customer", "show", "1001"});
  INFO("after the kill: " << show.out << show.err);
  REQUIRE((show.exit_code == 7 || show.exit_code == 0));
  const Left left = show.exit_code == 7 ? Left::format1 : Left::format2;
  if (left == Left::format1) {
    CHECK(show.err.find("needs kaappi upgrade") != std::string::npos);
    Result keyless = s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--public-key", s.path("archive.pub")});
    INFO(keyless.out << keyless.err);
    CHECK(keyless.exit_code == 7);
    CHECK(index_after_kill == index_before);
    CHECK(index_sha(s) == index_before);
    CHECK(machine_records(s) == records_before);
    Result up = s.kaappi({"upgrade"});
    INFO(up.out << up.err);
    REQUIRE(up.exit_code == 0);
    CHECK(up.out.find("from schema version 3 to 5") != std::string::npos);
  } else {
    Result up = s.kaappi({"upgrade"});
    INFO(up.out << up.err);
    REQUIRE(up.exit_code == 0);
    CHECK(up.out.find("is current (schema version 5); nothing to do") != std::string::npos);
  }
  Result full = s.kaappi({"verify", "--full"});
  INFO(full.out << full.err);
  CHECK(full.exit_code == 0);
  Result keyless = s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--public-key", s.path("archive.pub")});
  INFO(keyless.out << keyless.err);
  CHECK(keyless.exit_code == 0);
  CHECK(what_it_shows(s) == after_clean_upgrade());
  CHECK(s.kaappi({"customer", "add", "--number", "1010", "--name", "Jatko Oy"}).exit_code == 0);
  return left;
}

}  // namespace

TEST_CASE("kaappi upgrade killed after each step leaves format 1 as it was or format 2 complete", "[crash][frozen]") {
  struct Point {
    std::string name;
    Left left;        // what the archive is afterwards
    bool remembered;  // whether this machine remembers the format-1 head before
  };
  const std::vector<Point> points = {
      {"upgrade.checked", Left::format1, true},     // format 1 checked, nothing changed yet
      {"upgrade.commit", Left::format1, true},      // every change made, not committed
      {"upgrade.commit", Left::format1, false},
      {"upgrade.committed", Left::format2, true},   // committed; the WAL not yet checkpointed
      {"upgrade.closed", Left::format2, true},      // checkpointed; this machine's record not yet written
      {"upgrade.closed", Left::format2, false},
      {"state.write@1", Left::format2, true},       // writing the record of the new head
      {"state.rename@1", Left::format2, true},      // the record in place, its folder not yet synced
      {"state.write@2", Left::format2, false},      // writing the record of the archive's folder
  };
  after_clean_upgrade();
  for (const auto& [point, expected, remembered] : points) {
    DYNAMIC_SECTION("crash at " << point << (remembered ? ", a format-1 head remembered" : ", nothing remembered")) {
      Sandbox s;
      unpack_frozen(s, remembered);
      const std::string index_before = index_sha(s), records_before = machine_records(s);
      Result r = s.kaappi({"upgrade"}, {{"KAAPPI_FAULT", point}});
      CHECK(r.exit_code == 128 + SIGKILL);
      CHECK(r.out.find("Upgraded") == std::string::npos);
      CHECK(check_either_or(s, index_before, records_before) == expected);
    }
  }
}

TEST_CASE("kill -9 of kaappi upgrade at random moments leaves format 1 as it was or format 2 complete",
          "[crash][frozen]") {
  after_clean_upgrade();
  // How long a whole upgrade takes here. Its first half is mostly the key's
  // derivation (Argon2id); the kills fall over the second half, where the
  // index is checked, changed, committed and remembered.
  std::chrono::milliseconds whole{};
  {
    Sandbox s;
    unpack_frozen(s, true);
    auto start = std::chrono::steady_clock::now();
    REQUIRE(s.kaappi({"upgrade"}).exit_code == 0);
    whole = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  }
  std::mt19937 rng(20261127);
  std::uniform_int_distribution<long> delay_ms(whole.count() / 2, whole.count() + 20);
  int killed = 0;
  std::map<Left, int> outcomes;
  for (int round = 0; round < 5; ++round) {
    Sandbox s;
    unpack_frozen(s, round % 2 == 0);
    const std::string index_before = index_sha(s), records_before = machine_records(s);
    int pid = s.spawn_kaappi({"upgrade"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    if (::kill(pid, SIGKILL) == 0) ++killed;
    int status = 0;
    ::waitpid(pid, &status, 0);
    ++outcomes[check_either_or(s, index_before, records_before)];
  }
  CHECK(killed > 0);
  INFO("left format 1: " << outcomes[Left::format1] << ", format 2: " << outcomes[Left::format2]);
  CHECK(outcomes[Left::format1] + outcomes[Left::format2] == 5);
}
