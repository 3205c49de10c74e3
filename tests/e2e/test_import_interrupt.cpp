// test_import_interrupt.cpp — `kaappi import` stopped by Ctrl-C or SIGTERM:
// it finishes the file it is writing, commits what is done, says which files
// were stored and which not, and the same command again stores exactly the rest.
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

  struct Signal {
    std::string fault;
    int exit_code;
  };
  for (const Signal& signal : {Signal{"sigint", 130}, Signal{"sigterm", 143}}) {
    SECTION(signal.fault) {
      // The signal arrives while the 4th file is being written (its blob's fsync).
      Result r = s.kaappi(args, {{"KAAPPI_FAULT", "blob.fsync:" + signal.fault + "@4"}});
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
