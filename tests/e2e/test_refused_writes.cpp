// test_refused_writes.cpp — every command that writes refuses, with exit 1,
// one sentence and nothing changed, an archive whose index does not match
// its signed head (README: exit 1 for a write refused on an altered or
// rolled-back archive; store/index.h, refuse_write_unless_head_holds). An
// outside review found import exiting 70 there (the last signed row deleted
// outside kaappi) while the other commands exited 1.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {



}  // namespace

TEST_CASE("every command that writes refuses an archive whose last signed row was deleted, exit 1, nothing changed",
          "[rollback][exit-codes]") {
  Sandbox s;
  s.init_archive_with_station();
  REQUIRE(s.import({s.make_pdf("a.pdf", {"--seed", "81"})}) == std::vector<long>{1});
  scan_as_desk(s, s.make_pdf("b.pdf", {"--seed", "82"}));
  kaappi_ok(s, {"ingest", "--kind", "consent-form"});  // document 2, without a customer
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted", "--document", "1"});
  REQUIRE(s.import({s.make_pdf("c.pdf", {"--seed", "83"})}) == std::vector<long>{3});  // the last signed row
  sql(s, "DELETE FROM documents WHERE id = 3");
  // What the commands below are given.
  const std::string pdf = s.make_pdf("d.pdf", {"--seed", "84"});
  scan_as_desk(s, s.make_pdf("e.pdf", {"--seed", "85"}));
  write_text(s.path("customers.csv"), "number,name\n4242,Uusi Oy\n");
  write_text(s.path("consents.csv"), "customer,purpose,state\n1001,email-marketing,granted\n");
  write_text(s.path("edit.json"), "{\"name\": \"Oy Esimerkki Abp\"}");
  Result station = s.run({bin("kaappi-scan"), "init", "--station", "hall", "--json", "--station-key",
                          s.path("hall.key")});
  REQUIRE(station.exit_code == 0);
  const std::string hall = nlohmann::json::parse(station.out)["public_key"];
  const std::string before = s.archive_fingerprint();

  const std::vector<std::vector<std::string>> writes = {
      {"import", pdf, "--customer", "1001", "--kind", "other"},
      {"--json", "import", pdf, "--customer", "1001", "--kind", "other"},
      {"ingest", "--kind", "consent-form"},
      {"assign", "2", "--customer", "1001"},
      {"get", "1", "-o", s.path("out.pdf"), "--reason", "asked for it"},
      {"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "refused", "--source",
       "phone"},
      {"consent", "retract", "1", "--customer", "1001", "--note", "recorded wrongly"},
      {"consent", "proof", "1001", "--purpose", "research", "-o", s.path("proof"), "--reason", "audit"},
      {"consent", "import", s.path("consents.csv")},
      {"customer", "add", "--number", "4243", "--name", "Toinen Oy"},
      {"customer", "edit", "1001", "--from-json", s.path("edit.json"), "--reason", "asked by phone"},
      {"customer", "import", s.path("customers.csv")},
      {"station", "add", "hall", hall},
      {"station", "revoke", "desk"},
      {"accept-restore", "--reason", "restored on purpose"},
      {"recover"},
  };
  for (const auto& args : writes) {
    Result r = s.kaappi(args);
    std::string called;
    for (const std::string& a : args) called += a + " ";
    INFO(called << ": " << r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("the archive index does not match its signed head (altered outside kaappi); "
                                      "nothing was changed; run kaappi verify"));
    CHECK(s.archive_fingerprint() == before);
  }
  CHECK_FALSE(file_exists(s.path("out.pdf")));
  CHECK_FALSE(file_exists(s.path("proof")));
  CHECK(sql_value(s, "SELECT count(*) FROM documents") == "2");
  CHECK(sql_value(s, "SELECT count(*) FROM access_log") == "0");

  // What writes nothing to the archive is not refused, and changes nothing:
  // upgrade on a current archive (it does nothing), a read of no one. An
  // export shows personal data, so its read is logged: refused like a write.
  Result upgrade = s.kaappi({"upgrade"});
  CHECK(upgrade.exit_code == 0);
  CHECK_THAT(upgrade.out, Catch::Contains("nothing to do"));
  CHECK(s.kaappi({"documents"}).exit_code == 0);
  Result exported = s.kaappi({"customer", "export", "-o", s.path("out.csv")});
  CHECK(exported.exit_code == 1);
  CHECK_THAT(exported.err, Catch::Contains("the archive index does not match its signed head"));
  CHECK_FALSE(file_exists(s.path("out.csv")));
  CHECK(s.archive_fingerprint() == before);

  // verify names what happened.
  Result v = s.kaappi({"verify"});
  CHECK(v.exit_code == 1);
  CHECK_THAT(v.out, Catch::Contains("is missing"));
}
