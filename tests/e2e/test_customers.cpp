// test_customers.cpp — customer records and consents (end to end).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

TEST_CASE("customer add, show and list, bad Y-tunnus, duplicates and unknown numbers are refused", "[customers]") {
  Sandbox s;
  s.init_archive_with_customer();
  Result show = s.kaappi({"customer", "show", "1001", "--json"});
  REQUIRE(show.exit_code == 0);
  auto j = nlohmann::json::parse(show.out);
  CHECK(j["name"] == "Oy Testiasiakas Ab");
  CHECK(j["business_id"] == "2468114-6");
  CHECK(j["email"] == "anna.asiakas@example.fi");
  CHECK(j["phone"] == "+358 40 123 4567");
  CHECK(j["address"] == "Ebban tie 24, Porvoo");

  Result add = s.kaappi({"customer", "add", "--number", "1002", "--name", "Åsa Öberg-Ääninen"});
  REQUIRE(add.exit_code == 0);
  Result list = s.kaappi({"customer", "list"});
  // A header, and every column in every row, empty or not.
  CHECK(list.out == "NUMBER\tNAME\tBUSINESS ID\tEMAIL\n"
                    "1001\tOy Testiasiakas Ab\t2468114-6\tanna.asiakas@example.fi\n"
                    "1002\tÅsa Öberg-Ääninen\t\t\n");

  std::string before = s.archive_fingerprint();
  Result bad = s.kaappi({"customer", "add", "--number", "1003", "--name", "X", "--business-id", "2468114-5"});
  CHECK(bad.exit_code == 4);
  CHECK(bad.err.find("invalid business ID (Y-tunnus)") != std::string::npos);
  CHECK(bad.err.find("2468114-5") == std::string::npos);  // personal data stays out of messages
  Result dup = s.kaappi({"customer", "add", "--number", "1001", "--name", "Another"});
  CHECK(dup.exit_code == 4);
  CHECK(dup.err.find("a customer with that number already exists") != std::string::npos);
  Result email = s.kaappi({"customer", "add", "--number", "1004", "--name", "X", "--email", "not-an-address"});
  CHECK(email.exit_code == 4);
  CHECK(s.archive_fingerprint() == before);

  Result missing = s.kaappi({"customer", "show", "9999"});
  CHECK(missing.exit_code == 5);
  CHECK(missing.err.find("no customer with that number") != std::string::npos);
  CHECK(missing.err.find("9999") == std::string::npos);
}

TEST_CASE("consent set appends events, consent show gives each purpose's state as of a date with its proof", "[consents]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string form = s.make_pdf("form.pdf", {"--seed", "5"});
  long doc = s.import({form}).at(0);
  auto set = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"consent", "set", "--customer", "1001"};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = s.kaappi(args);
    INFO(r.err);
    return r.exit_code;
  };
  REQUIRE(set({"--purpose", "email-marketing", "--state", "granted", "--document", std::to_string(doc), "--effective", "2026-01-10"}) == 0);
  REQUIRE(set({"--purpose", "email-marketing", "--state", "withdrawn", "--effective", "2026-06-01", "--source", "e-mail"}) == 0);
  REQUIRE(set({"--purpose", "ban-distance-selling", "--state", "granted", "--document", std::to_string(doc), "--effective", "2026-01-10"}) == 0);

  auto state_of = [&](const std::string& as_of, const std::string& purpose) {
    Result r = s.kaappi({"consent", "show", "1001", "--as-of", as_of, "--json"});
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    for (const auto& c : j["consents"])
      if (c["purpose"] == purpose) return c;
    FAIL("purpose missing");
    return nlohmann::json();
  };
  CHECK(state_of("2026-01-09", "email-marketing")["state"] == "none");
  auto granted = state_of("2026-01-10", "email-marketing");
  CHECK(granted["state"] == "granted");
  CHECK(granted["document"] == doc);
  CHECK(state_of("2026-05-31", "email-marketing")["state"] == "granted");
  CHECK(state_of("2026-06-01", "email-marketing")["state"] == "withdrawn");
  CHECK(state_of("2026-06-01", "ban-distance-selling")["state"] == "granted");
  CHECK(state_of("2026-06-01", "research")["state"] == "none");
  auto label = state_of("2026-06-01", "research")["labels"];
  CHECK(label["fi"] == "Tieteellinen tutkimus");
  CHECK(label["sv"] == "Vetenskaplig forskning");

  Result text = s.kaappi({"consent", "show", "1001", "--as-of", "2026-02-01"});
  CHECK(text.out.find("email-marketing         granted since 2026-01-10, proven by document " + std::to_string(doc)) !=
        std::string::npos);

  CHECK(set({"--purpose", "telepathy", "--state", "granted"}) == 2);
  CHECK(set({"--purpose", "research", "--state", "granted", "--document", "999"}) == 5);
  CHECK(set({"--purpose", "research", "--state", "granted", "--effective", "2026-02-30"}) == 2);
  Result other = s.kaappi({"customer", "add", "--number", "2000", "--name", "Toinen Oy"});
  REQUIRE(other.exit_code == 0);
  Result cross = s.kaappi({"consent", "set", "--customer", "2000", "--purpose", "research", "--state", "granted",
                           "--document", std::to_string(doc)});
  CHECK(cross.exit_code == 4);
  CHECK(cross.err.find("belongs to another customer") != std::string::npos);
}

TEST_CASE("customer add and edit take field values from a JSON file or standard input, off the command line",
          "[customers]") {
  Sandbox s;
  s.init_archive_with_customer();
  write_text(s.path("new.json"), R"({"number": "1002", "name": "Åsa Öberg", "email": "asa@example.fi",
                                     "address": "Rantatie 1\nPorvoo"})");
  Result add = s.kaappi({"customer", "add", "--from-json", s.path("new.json"), "--phone", "+358 40 765 4321"});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(add.out == "Added customer 1002\n");
  auto j = nlohmann::json::parse(s.kaappi({"customer", "show", "1002", "--json"}).out);
  CHECK(j["name"] == "Åsa Öberg");
  CHECK(j["email"] == "asa@example.fi");
  CHECK(j["address"] == "Rantatie 1\nPorvoo");
  CHECK(j["phone"] == "+358 40 765 4321");

  write_text(s.path("changes.json"), R"({"email": "", "name": "Åsa Öberg-Ääninen"})");
  Result edit = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--passphrase-file", s.pass(),
                       "customer", "edit", "1002", "--from-json", "-", "--reason", "asked by phone"},
                      {}, s.path("changes.json"));
  INFO(edit.err);
  REQUIRE(edit.exit_code == 0);
  j = nlohmann::json::parse(s.kaappi({"customer", "show", "1002", "--json"}).out);
  CHECK(j["name"] == "Åsa Öberg-Ääninen");
  CHECK_FALSE((j.contains("email") && j["email"] != ""));

  // Refused, naming the key, and nothing changes.
  std::string before = s.archive_fingerprint();
  struct Bad {
    std::string json, message;
    std::vector<std::string> command;
  };
  std::vector<std::string> add_cmd = {"customer", "add", "--from-json", s.path("bad.json")};
  std::vector<std::string> edit_cmd = {"customer", "edit", "1002", "--from-json", s.path("bad.json"), "--reason", "x"};
  for (const Bad& bad : std::vector<Bad>{
           {R"({"number": "1003", "name": "X", "mail": "x@example.fi"})",
            "kaappi: unknown customer field \"mail\" in --from-json (known: number, name,", add_cmd},
           {R"({"number": 1003, "name": "X"})",
            "kaappi: customer field \"number\" in --from-json must be a string, not number", add_cmd},
           {R"({"number": "1003", "name": ["X"]})",
            "kaappi: customer field \"name\" in --from-json must be a string, not array", add_cmd},
           {R"(["1003", "X"])", "kaappi: the customer fields in --from-json must be one JSON object", add_cmd},
           {R"([{"name": "X", "name": "Y"}])", "kaappi: the customer fields in --from-json must be one JSON object",
            add_cmd},
           {R"({"number": "1003", "name": "X",)", "kaappi: the customer fields in --from-json must be one JSON object",
            add_cmd},
           {R"({"number": "1009"})",
            "kaappi: the customer number cannot change; remove \"number\" from --from-json", edit_cmd},
           {R"({"name": "X", "number": "1003", "name": "Y"})",
            "kaappi: customer field \"name\" is given twice in --from-json; give each field once", add_cmd},
           {R"({"email": "a@example.fi", "phone": "1", "email": "b@example.fi"})",
            "kaappi: customer field \"email\" is given twice in --from-json; give each field once", edit_cmd},
       }) {
    write_text(s.path("bad.json"), bad.json);
    Result r = s.kaappi(bad.command);
    INFO(bad.json << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith(bad.message));
    CHECK(s.archive_fingerprint() == before);
  }
  write_text(s.path("bad.json"), R"({"email": "x@example.fi"})");
  Result twice = s.kaappi({"customer", "edit", "1002", "--from-json", s.path("bad.json"), "--email", "y@example.fi",
                           "--reason", "x"});
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err, Catch::StartsWith("kaappi: --email is given both on the command line and in --from-json; give it once"));
  CHECK(s.archive_fingerprint() == before);
  Result missing = s.kaappi({"customer", "add", "--from-json", s.path("nothing.json")});
  CHECK(missing.exit_code == 5);
  CHECK(s.archive_fingerprint() == before);

  // The help says why.
  for (std::string sub : {"add", "edit"}) {
    Result help = s.run({bin("kaappi"), "customer", sub, "--help"});
    CHECK(help.out.find("--from-json") != std::string::npos);
    CHECK(help.out.find("/proc/PID/cmdline") != std::string::npos);
  }
}
