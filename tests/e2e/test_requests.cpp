// test_requests.cpp — kaappi request add|list|extend|close with the real
// binary: what the key holder sees (the table, the JSON, the warnings of
// deadlines near or past), and every refusal with its exit code, the archive
// unchanged.
#include <catch2/catch.hpp>
#include <ctime>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;

namespace {

std::string days_ago(int days) { return kaappi::date_of(std::time(nullptr) - static_cast<std::time_t>(days) * 86400); }

}  // namespace

TEST_CASE("request add and list show each request's deadline and warn of those near or past it", "[requests]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string fresh = kaappi::today(), soon = days_ago(26), late = days_ago(40);
  Result a = s.kaappi({"request", "add", "1001", "--kind", "inspection", "--received", fresh, "--note", "at the desk"});
  INFO(a.err);
  REQUIRE(a.exit_code == 0);
  CHECK(a.out.find("Request 1 recorded: inspection of customer 1001, received " + fresh + " (in-person)") == 0);
  CHECK(a.out.find("answer by " + kaappi::add_months(fresh, 1)) != std::string::npos);
  REQUIRE(s.kaappi({"request", "add", "1001", "--kind", "erasure", "--received", soon, "--channel", "letter"}).exit_code == 0);
  REQUIRE(s.kaappi({"request", "add", "1001", "--kind", "objection", "--received", late, "--channel", "email"}).exit_code == 0);

  Result list = s.kaappi({"request", "list"});
  REQUIRE(list.exit_code == 0);
  const std::string soon_deadline = kaappi::add_months(soon, 1), late_deadline = kaappi::add_months(late, 1);
  const auto soon_left = kaappi::days_between(fresh, soon_deadline);
  const auto late_past = -kaappi::days_between(fresh, late_deadline);
  const auto fresh_left = kaappi::days_between(fresh, kaappi::add_months(fresh, 1));
  CHECK(list.out == "ID\tCUSTOMER\tKIND\tRECEIVED\tCHANNEL\tDEADLINE\tSTATE\n"
                    "1\t1001\tinspection\t" + fresh + "\tin-person\t" + kaappi::add_months(fresh, 1) + "\topen, " +
                        std::to_string(fresh_left) + " days left\n"
                    "2\t1001\terasure\t" + soon + "\tletter\t" + soon_deadline + "\topen, " + std::to_string(soon_left) +
                        " days left (near the deadline)\n"
                    "3\t1001\tobjection\t" + late + "\temail\t" + late_deadline + "\topen, " +
                        std::to_string(late_past) + " days past the deadline\n");
  CHECK(list.err.find("request 2 (erasure, customer 1001) must be answered by " + soon_deadline) != std::string::npos);
  CHECK(list.err.find("request 3 (objection, customer 1001) is past its deadline " + late_deadline) != std::string::npos);
  CHECK(list.err.find("request 1 ") == std::string::npos);

  Result json = s.kaappi({"request", "list", "--json"});
  REQUIRE(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  REQUIRE(j["requests"].size() == 3);
  CHECK(j["requests"][0]["note"] == "at the desk");
  CHECK(j["requests"][0]["customer"] == "1001");
  CHECK(j["requests"][1]["state"] == "near");
  CHECK(j["requests"][2]["state"] == "passed");
  CHECK(j["requests"][2]["days_left"] == -late_past);
  CHECK(j["requests"][0]["closed"].is_null());

  // Extended once; closed in person or with a reason; --open leaves the closed out.
  Result ext = s.kaappi({"request", "extend", "2", "--reason", "the archive is large"});
  INFO(ext.err);
  REQUIRE(ext.exit_code == 0);
  CHECK(ext.out.find("answer by " + kaappi::add_months(soon, 3)) != std::string::npos);
  // A fee is for an inspection copy the fee rule charged for (kaappi inspect decides it; test_inspect).
  const std::string unclosed = s.archive_fingerprint();
  check_refusals(s, {
      {{"request", "close", "1", "--handed-over-in-person", "--identity-checked-with", "driving-licence", "--by", "M",
        "--fee", "12,50"}, 4, "request 1 cannot be charged for: its copy has not been made yet"},
      {{"request", "close", "2", "--reason", "x", "--fee", "5"}, 4,
       "request 2 cannot be charged for: only an inspection copy can be, and this is a request of erasure"},
      {{"request", "close", "1", "--handed-over-in-person", "--identity-checked-with", "passport", "--by", "M",
        "--reason", "x"}, 2, "closed either by a handover in person or with a reason, not both"},
  }, [&] { CHECK(s.archive_fingerprint() == unclosed); });
  Result closed = s.kaappi({"request", "close", "1", "--handed-over-in-person", "--identity-checked-with", "driving-licence",
                            "--by", "Maija Myyjä"});
  INFO(closed.err);
  REQUIRE(closed.exit_code == 0);
  CHECK(closed.out.find("closed " + fresh + ", handed over in person") != std::string::npos);
  REQUIRE(s.kaappi({"request", "close", "3", "--reason", "the person withdrew it"}).exit_code == 0);
  Result open = s.kaappi({"request", "list", "--open"});
  CHECK(open.out == "ID\tCUSTOMER\tKIND\tRECEIVED\tCHANNEL\tDEADLINE\tSTATE\n"
                    "2\t1001\terasure\t" + soon + "\tletter\t" + kaappi::add_months(soon, 3) + " (extended)\topen, " +
                        std::to_string(kaappi::days_between(fresh, kaappi::add_months(soon, 3))) + " days left\n");
  auto all = nlohmann::json::parse(s.kaappi({"request", "list", "--json", "--customer", "1001"}).out);
  CHECK(all["requests"][0]["closed"]["identity_checked_with"] == "driving-licence");
  CHECK(all["requests"][0]["closed"]["handed_over_by"] == "Maija Myyjä");
  CHECK(all["requests"][0]["closed"]["fee"].is_null());
  CHECK(all["requests"][1]["extension"]["reason"] == "the archive is large");
  CHECK(all["requests"][2]["closed"]["reason"] == "the person withdrew it");
  CHECK(all["requests"][2]["closed"]["handed_over_in_person"] == false);
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("request refusals say what is wrong and change nothing", "[requests]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string fresh = kaappi::today();
  REQUIRE(s.kaappi({"request", "add", "1001", "--kind", "inspection", "--received", fresh}).exit_code == 0);
  REQUIRE(s.kaappi({"request", "close", "1", "--reason", "answered by letter"}).exit_code == 0);
  REQUIRE(s.kaappi({"request", "add", "1001", "--kind", "rectification", "--received", fresh}).exit_code == 0);
  REQUIRE(s.kaappi({"request", "extend", "2", "--reason", "waiting for the old records"}).exit_code == 0);
  const std::string before = s.archive_fingerprint();

  check_refusals(s, {
      {{"request", "add", "1001", "--kind", "complaint", "--received", fresh}, 2,
       "--kind must be one of inspection, rectification, erasure, objection, not 'complaint'"},
      {{"request", "add", "1001", "--kind", "inspection", "--received", "2026-02-30"}, 2, "--received must be a date"},
      {{"request", "add", "1001", "--kind", "inspection", "--received", "2999-01-01"}, 2, "is later than today"},
      {{"request", "add", "1001", "--kind", "inspection", "--received", fresh, "--channel", "fax"}, 2,
       "--channel must be one of in-person, letter, email, phone"},
      {{"request", "add", "9999", "--kind", "inspection", "--received", fresh}, 5, "no customer with that number"},
      {{"request", "add", "1001", "--received", fresh}, 2, "--kind is required"},
      {{"request", "extend", "1", "--reason", "more time"}, 4, "request 1 was closed on " + fresh},
      {{"request", "extend", "2", "--reason", "more time"}, 4, "request 2 was extended already"},
      {{"request", "extend", "2", "--reason", " "}, 2, "say why the request needs more time"},
      {{"request", "extend", "7", "--reason", "more time"}, 5, "no request 7"},
      {{"request", "close", "2"}, 2, "a request not handed over in person is closed with a reason: --reason TEXT"},
      {{"request", "close", "2", "--handed-over-in-person", "--by", "Maija"}, 2,
       "say how the person's identity was checked: --identity-checked-with KIND"},
      {{"request", "close", "2", "--handed-over-in-person", "--identity-checked-with", "passport"}, 2,
       "say who handed the copy over: --by NAME"},
      {{"request", "close", "2", "--handed-over-in-person", "--identity-checked-with", "AB1234567", "--by", "M"}, 2,
       "--identity-checked-with must be one of passport, id-card, driving-licence, known-person"},
      {{"request", "close", "2", "--identity-checked-with", "passport", "--reason", "x"}, 2,
       "give --handed-over-in-person too"},
      {{"request", "close", "2", "--reason", "x", "--fee", "-5"}, 2, "--fee must be an amount in euros"},
      {{"request", "close", "1", "--reason", "again"}, 4, "request 1 was closed on " + fresh},
      {{"request", "close", "7", "--reason", "x"}, 5, "no request 7"},
  }, [&] { CHECK(s.archive_fingerprint() == before); });
}
