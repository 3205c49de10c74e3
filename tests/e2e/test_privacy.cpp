// test_privacy.cpp — a copy of the archive folder without the key shows no
// personal data, file names or PDF text.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

TEST_CASE("the archive folder holds no personal data, file names or document text in plaintext", "[privacy]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string pdf = s.make_pdf("Anna-Asiakas-suostumus.pdf", {"--text", "Salainen sopimusteksti 4711"});
  long id = s.import({pdf}).at(0);
  REQUIRE(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted",
                    "--document", std::to_string(id), "--note", "Soitettu Annalle"}).exit_code == 0);
  REQUIRE(s.kaappi({"get", std::to_string(id), "-o", s.path("o.pdf"), "--reason", "Tarkastuspyyntö Annalta"}).exit_code == 0);
  // Keep a WAL around: copy the folder while it is fresh.
  std::string everything;
  Result files = s.run({"/bin/sh", "-c", "find '" + s.archive() + "' -type f"});
  std::string list = files.out;
  size_t start = 0;
  int count = 0;
  while (start < list.size()) {
    size_t end = list.find('\n', start);
    std::string f = list.substr(start, end - start);
    everything += read_text(f);
    ++count;
    start = end + 1;
  }
  CHECK(count >= 3);
  for (const std::string secret : {"Testiasiakas", "2468114-6", "anna.asiakas", "123 4567", "Ebban tie", "1001",
                                   "Anna-Asiakas", "suostumus.pdf", "Salainen", "4711", "Soitettu", "Tarkastuspyynt",
                                   "research", "kaappi test scanner", "make_scan_pdf"}) {
    INFO(secret);
    CHECK(everything.find(secret) == std::string::npos);
  }
  // The PDF really has that text layer, and it is what kaappi extracts and
  // keeps (encrypted), so the check above could fail.
  Result probe = s.run({bin("kaappi-pdf-probe")}, {}, pdf);
  CHECK(probe.out.find("Salainen sopimusteksti 4711") != std::string::npos);
}
