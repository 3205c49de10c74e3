// test_interrupt.cpp — `kaappi import`, `kaappi ingest` and `kaappi-scan FILE...`
// stopped by Ctrl-C or SIGTERM: each finishes the item it is writing, says
// which items were done and which not, exits 130 (143), leaves nothing half
// written, and running it again does exactly the rest.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::size_t documents(const Sandbox& s) {
  return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"].size();
}

struct Signal {
  std::string fault;  // KAAPPI_FAULT's action: the program sends itself this signal
  int exit_code;
};
const std::vector<Signal> k_signals = {{"sigint", 130}, {"sigterm", 143}};

// The names in a folder, one a line ("" when empty).
std::string listing(const Sandbox& s, const std::string& folder) { return s.run({"/bin/ls", "-A", folder}).out; }

Result seal(const Sandbox& s, const std::vector<std::string>& files, const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> argv = {bin("kaappi-scan")};
  argv.insert(argv.end(), files.begin(), files.end());
  argv.insert(argv.end(), {"--public-key", s.path("archive.pub"), "--inbox", s.archive() + "/inbox", "--station-key",
                           s.path("desk.key")});
  return s.run(argv, env);
}

}  // namespace

TEST_CASE("an interrupted import says what was stored, and running it again stores exactly the rest", "[interrupt]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::vector<std::string> args = {"import"};
  std::vector<std::string> files;
  for (int i = 0; i < 12; ++i) {
    files.push_back(s.make_pdf("scan-" + std::to_string(i) + ".pdf", {"--seed", std::to_string(100 + i)}));
    args.push_back(files.back());
  }
  args.insert(args.end(), {"--customer", "1001", "--kind", "consent-form"});

  for (const Signal& signal : k_signals) {
    SECTION(signal.fault) {
      // The signal arrives while the 4th file is being written: its blob's
      // header, the 7th write (a small scan's blob is written in two: the
      // header on the importing thread, then its one batch of chunks). The
      // fsyncs run on threads of their own, so a signal sent from there
      // would arrive at no fixed file.
      Result r = s.kaappi(args, {{"KAAPPI_FAULT", "blob.write:" + signal.fault + "@7"}});
      INFO(r.out << r.err);
      CHECK(r.exit_code == signal.exit_code);
      for (int i = 0; i < 4; ++i) CHECK(r.out.find("stored   " + files[i] + " as document") != std::string::npos);
      for (int i = 4; i < 12; ++i) CHECK(r.out.find("not stored (interrupted)  " + files[i] + "\n") != std::string::npos);
      CHECK(count_of(r.out, "stored   ") == 4);
      CHECK(r.err.find("kaappi: interrupted: 4 files stored, 8 not stored; run the same command again to store the "
                       "rest (files already stored are skipped)\n") != std::string::npos);
      CHECK(documents(s) == 4);
      CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);

      Result again = s.kaappi(args);
      INFO(again.out << again.err);
      CHECK(again.exit_code == 0);
      CHECK(count_of(again.out, "stored   ") == 8);
      CHECK(count_of(again.out, "skipped  ") == 4);
      CHECK(documents(s) == 12);  // each file once
      Result v = s.kaappi({"verify", "--full"});
      INFO(v.out << v.err);
      CHECK(v.exit_code == 0);
    }
  }
}

TEST_CASE("an interrupted ingest finishes the batch it commits, says what it took in and what is left, and the "
          "next ingest takes exactly the rest", "[interrupt][ingest]") {
  struct Stop {
    std::string at;  // where the signal arrives
    int scans;
    std::size_t taken;
  };
  // Right after the first batch's commit (32 envelopes), before its envelopes
  // are removed: the 33rd to 35th, read ahead, are taken back. And while the
  // 5th envelope's blob is copied in (a small one's blob is one write): the
  // batch ends there with the 1st and 2nd, and the 3rd to 5th, read ahead,
  // are taken back.
  for (const Stop& stop : {Stop{"ingest.committed@1", 36, 32}, Stop{"blob.write@5", 8, 2}}) {
    for (const Signal& signal : k_signals) {
      DYNAMIC_SECTION(signal.fault << " at " << stop.at) {
        Sandbox s;
        s.init_archive_with_station(s.path("desk.key"));
        std::vector<std::string> scans;
        for (int i = 0; i < stop.scans; ++i)
          scans.push_back(s.make_pdf("scan-" + std::to_string(i) + ".pdf", {"--seed", std::to_string(300 + i)}));
        REQUIRE(seal(s, scans).exit_code == 0);
        const std::string inbox = s.archive() + "/inbox";
        const std::string at = stop.at.substr(0, stop.at.find('@'));
        const std::string fault = at + ":" + signal.fault + stop.at.substr(stop.at.find('@'));

        Result r = s.kaappi({"ingest", "--customer", "1001"}, {{"KAAPPI_FAULT", fault}});
        INFO(r.out << r.err);
        CHECK(r.exit_code == signal.exit_code);
        const std::size_t left = static_cast<std::size_t>(stop.scans) - stop.taken;
        CHECK(count_of(r.out, "stored\t") == stop.taken);
        CHECK(count_of(r.out, "interrupted\t") == left);
        CHECK(count_of(r.out, ": not taken in: ingest was stopped before it; it stays in the inbox\n") == left);
        CHECK(r.err.find("kaappi: interrupted: " + std::to_string(stop.taken) + " envelopes taken in, " +
                         std::to_string(left) + " left in the inbox; run kaappi ingest again to take in the rest\n") !=
              std::string::npos);
        CHECK(documents(s) == stop.taken);
        CHECK(count_of(listing(s, inbox), ".kenv\n") == left);  // the committed ones' envelopes are gone
        CHECK(listing(s, s.archive() + "/tmp").empty());
        Result v = s.kaappi({"verify", "--full"});
        INFO(v.out << v.err);
        CHECK(v.exit_code == 0);  // no blob and no intent of an envelope taken back is left
        CHECK(v.out.find("interrupted import") == std::string::npos);

        Result again = s.kaappi({"ingest", "--customer", "1001"});
        INFO(again.out << again.err);
        CHECK(again.exit_code == 0);
        CHECK(count_of(again.out, "stored\t") == left);
        CHECK(documents(s) == static_cast<std::size_t>(stop.scans));  // each scan once
        CHECK(listing(s, inbox).empty());
        CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
      }
    }
  }
}

TEST_CASE("an interrupted kaappi-scan finishes the file it seals, leaves no half envelope, lists what it did not "
          "seal, and sealing those does the rest", "[interrupt][scanner]") {
  for (const Signal& signal : k_signals) {
    SECTION(signal.fault) {
      Sandbox s;
      s.init_archive_with_station(s.path("desk.key"));
      std::vector<std::string> scans;
      for (int i = 0; i < 5; ++i) scans.push_back(s.make_pdf("scan-" + std::to_string(i) + ".pdf", {"--seed", std::to_string(400 + i)}));
      const std::string inbox = s.archive() + "/inbox";
      // The signal arrives while the 2nd file's envelope is being written (its
      // first write: each of these small scans' envelopes is written in 4).
      // Files are sealed in batches, their fsyncs beside the next file's
      // writing, so a signal during the 2nd fsync could find the 3rd file
      // started; a file started is finished, one not started is not.
      Result r = seal(s, scans, {{"KAAPPI_FAULT", "envelope.write:" + signal.fault + "@5"}});
      INFO(r.out << r.err);
      CHECK(r.exit_code == signal.exit_code);
      for (int i = 0; i < 2; ++i) {
        CHECK(r.out.find("sealed   " + scans[i] + " (1 page) -> " + inbox + "/") != std::string::npos);
        CHECK_FALSE(file_exists(scans[i]));  // sealed: the plaintext is gone
      }
      for (int i = 2; i < 5; ++i) {
        CHECK(r.out.find("not sealed (interrupted)  " + scans[i] + "\n") != std::string::npos);
        CHECK(file_exists(scans[i]));
      }
      CHECK(r.err.find("kaappi-scan: interrupted: 2 files sealed, 3 not sealed (left where they are); run kaappi-scan "
                       "again on the files not sealed\n") != std::string::npos);
      std::string names = listing(s, inbox);
      CHECK(count_of(names, "\n") == 2);  // two whole envelopes, nothing else
      CHECK(count_of(names, ".kenv\n") == 2);

      Result rest = seal(s, {scans[2], scans[3], scans[4]});
      INFO(rest.out << rest.err);
      CHECK(rest.exit_code == 0);
      Result ingest = s.kaappi({"ingest", "--customer", "1001"});
      INFO(ingest.out << ingest.err);
      CHECK(ingest.exit_code == 0);
      CHECK(count_of(ingest.out, "stored\t") == 5);  // each scan once, none twice
      CHECK(documents(s) == 5);
    }
  }
}
