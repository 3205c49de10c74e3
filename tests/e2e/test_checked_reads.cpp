// test_checked_reads.cpp — a command that writes never decides on a row
// altered outside kaappi (docs/FORMAT.md, "Rows a command decides on"). The
// attacks an outside review showed with the real binaries: someone with
// write access to the folder alters a row a decision reads, lets the key
// holder run an ordinary command, and puts the row back, so that the signed
// history would hold a change built on a lie and verify would find nothing.
// Each command must refuse instead, with nothing changed.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

std::string envelope_in(const Sandbox& s, const std::string& station_key, const std::string& file) {
  Result r = s.run({bin("forge_envelope"), "--public-key", s.path("archive.pub"), "--station-key", station_key,
                    "--inbox", s.archive() + "/inbox", "--file", file});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

// What the refusal must look like: exit 1, the cause named, the index as it was.
void check_refused(const Sandbox& s, const Result& r, const std::string& index_before) {
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("altered outside kaappi") && Catch::Contains("nothing was changed") &&
                        Catch::Contains("kaappi verify"));
  CHECK(sql_value(s, "SELECT max(tx) FROM transactions") == index_before);
}

}  // namespace

TEST_CASE("ingest refuses when a station's key was swapped for an attacker's", "[checked-reads][stations]") {
  Sandbox s;
  s.init_archive_with_station(s.path("desk.key"));
  // The attacker's own station key, registered nowhere that matters: its
  // public key taken from an archive of their own.
  Sandbox theirs;
  theirs.init_archive_with_station(s.path("evil.key"));
  const std::string evil_pk = sql_value(theirs, "SELECT hex(sign_pk) FROM stations WHERE id = 1");
  const std::string desk_pk = sql_value(s, "SELECT hex(sign_pk) FROM stations WHERE id = 1");
  REQUIRE(evil_pk.size() == 64);

  const std::string envelope = envelope_in(s, s.path("evil.key"), s.make_pdf("forged.pdf", {"--seed", "61"}));
  // Unaltered, the envelope is rejected: no station has that key.
  sql(s, "UPDATE stations SET sign_pk = x'" + evil_pk + "' WHERE id = 1");
  const std::string before = sql_value(s, "SELECT max(tx) FROM transactions");
  Result r = s.kaappi({"ingest", "--customer", "1001", "--json"});
  check_refused(s, r, before);
  CHECK(sql_value(s, "SELECT count(*) FROM documents") == "0");
  CHECK(file_exists(envelope));  // left where it was, for an ingest after the archive is repaired
  // Put back, the archive is as it was and verify is clean.
  sql(s, "UPDATE stations SET sign_pk = x'" + desk_pk + "' WHERE id = 1");
  CHECK(s.kaappi({"verify"}).exit_code == 0);
}

TEST_CASE("ingest refuses when a revocation was moved to another station", "[checked-reads][stations]") {
  Sandbox s;
  s.init_archive_with_station(s.path("desk.key"));
  s.register_station("porch", s.path("porch.key"));
  REQUIRE(s.kaappi({"station", "revoke", "desk"}).exit_code == 0);
  const std::string envelope = envelope_in(s, s.path("desk.key"), s.make_pdf("late.pdf", {"--seed", "62"}));
  sql(s, "UPDATE station_revocations SET station_id = 2");
  const std::string before = sql_value(s, "SELECT max(tx) FROM transactions");
  Result r = s.kaappi({"ingest", "--customer", "1001", "--json"});
  check_refused(s, r, before);
  CHECK(sql_value(s, "SELECT count(*) FROM documents") == "0");
  CHECK(file_exists(envelope));
  sql(s, "UPDATE station_revocations SET station_id = 1");
  CHECK(s.kaappi({"verify"}).exit_code == 0);
}

TEST_CASE("consent set refuses when two customers' number tags were swapped", "[checked-reads][consent]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  const std::string tag1 = sql_value(s, "SELECT hex(number_tag) FROM customers WHERE id = 1");
  const std::string tag2 = sql_value(s, "SELECT hex(number_tag) FROM customers WHERE id = 2");
  auto swap = [&](const std::string& a, const std::string& b) {
    sql(s, "UPDATE customers SET number_tag = x'00' WHERE id = 1");
    sql(s, "UPDATE customers SET number_tag = x'" + b + "' WHERE id = 2");
    sql(s, "UPDATE customers SET number_tag = x'" + a + "' WHERE id = 1");
  };
  swap(tag2, tag1);
  const std::string before = sql_value(s, "SELECT max(tx) FROM transactions");
  Result r = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "granted",
                       "--source", "email"});
  check_refused(s, r, before);
  CHECK(sql_value(s, "SELECT count(*) FROM consent_events") == "0");
  swap(tag1, tag2);
  CHECK(s.kaappi({"verify"}).exit_code == 0);
  // Unaltered, the same command is taken.
  CHECK(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "granted",
                  "--source", "email"})
            .exit_code == 0);
}

TEST_CASE("consent set refuses a proof whose document was moved to the customer outside kaappi",
          "[checked-reads][consent]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  Result imported = s.kaappi({"import", s.make_pdf("form.pdf", {"--seed", "63"}), "--customer", "1002", "--kind",
                              "consent-form"});
  REQUIRE(imported.exit_code == 0);
  // Customer 1002's form, made to look like customer 1001's.
  sql(s, "UPDATE documents SET customer_id = 1 WHERE id = 1");
  const std::string before = sql_value(s, "SELECT max(tx) FROM transactions");
  Result r = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "granted",
                       "--source", "signed-form", "--document", "1"});
  check_refused(s, r, before);
  sql(s, "UPDATE documents SET customer_id = 2 WHERE id = 1");
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("a row hash list altered outside kaappi does not stop a command, and verify reports it",
          "[checked-reads]") {
  Sandbox s;
  s.init_archive_with_customer();
  sql(s, "UPDATE row_hashes SET hashes = zeroblob(length(hashes)) WHERE tx = (SELECT max(tx) FROM row_hashes)");
  // The rows themselves still hold, so the command goes on.
  Result r = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "granted",
                       "--source", "email"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  Result v = s.kaappi({"verify"});
  CHECK(v.exit_code != 0);
  CHECK_THAT(v.out + v.err, Catch::Contains("row hashes kept beside change"));
}

TEST_CASE("verify --full names a station's document that the station's registration does not account for",
          "[checked-reads][stations]") {
  Sandbox s;
  s.init_archive_with_station(s.path("desk.key"));
  envelope_in(s, s.path("desk.key"), s.make_pdf("scan.pdf", {"--seed", "64"}));
  Result ingest = s.kaappi({"ingest", "--customer", "1001"});
  INFO(ingest.err);
  REQUIRE(ingest.exit_code == 0);
  REQUIRE(s.kaappi({"verify", "--full"}).exit_code == 0);
  Sandbox theirs;
  theirs.init_archive_with_station(s.path("evil.key"));
  sql(s, "UPDATE stations SET sign_pk = x'" + sql_value(theirs, "SELECT hex(sign_pk) FROM stations WHERE id = 1") +
             "' WHERE id = 1");
  Result v = s.kaappi({"verify", "--full"});
  CHECK(v.exit_code != 0);
  CHECK_THAT(v.out + v.err, Catch::Contains("taken in from a station key that no registered station has"));
}
