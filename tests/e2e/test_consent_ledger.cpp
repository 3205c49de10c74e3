// test_consent_ledger.cpp — the consent ledger end to end: as-of queries at
// event boundaries, corrections, history, marketing lists that honour bans,
// proof of consent for an auditor.
#include <sys/stat.h>

#include <algorithm>
#include <ctime>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

int set_consent(const Sandbox& s, const std::string& customer, std::vector<std::string> extra) {
  std::vector<std::string> args = {"consent", "set", "--customer", customer};
  args.insert(args.end(), extra.begin(), extra.end());
  Result r = s.kaappi(args);
  INFO(r.err);
  return r.exit_code;
}

nlohmann::json state(const Sandbox& s, const std::string& customer, const std::string& as_of, const std::string& purpose) {
  Result r = s.kaappi({"consent", "show", customer, "--as-of", as_of, "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  for (const auto& c : j["consents"])
    if (c["purpose"] == purpose) return c;
  FAIL("purpose missing");
  return {};
}

std::vector<std::string> listed(const Sandbox& s, const std::string& purpose, const std::string& as_of,
                                const std::string& st = "granted") {
  Result r = s.kaappi({"consent", "list", "--purpose", purpose, "--state", st, "--as-of", as_of, "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(r.out);
  for (const auto& c : j["customers"]) out.push_back(c["number"]);
  return out;
}

void add_customer(const Sandbox& s, const std::string& number, const std::string& name) {
  REQUIRE(s.kaappi({"customer", "add", "--number", number, "--name", name, "--email", number + "@example.fi"})
              .exit_code == 0);
}

}  // namespace

TEST_CASE("consent show --as-of at event boundaries: the day before, the day of, the day after", "[ledger]") {
  Sandbox s;
  s.init_archive_with_customer();
  long doc = s.import({s.make_pdf("form.pdf", {"--seed", "3"})}).at(0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "research", "--state", "granted", "--document", std::to_string(doc),
                                  "--effective", "2026-02-10"}) == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "research", "--state", "withdrawn", "--source", "email",
                                  "--effective", "2026-05-20", "--note", "asked by e-mail"}) == 0);
  // Recorded later, effective the same day as the grant: it wins that day.
  REQUIRE(set_consent(s, "1001", {"--purpose", "personal-data", "--state", "granted", "--source", "web-form",
                                  "--effective", "2026-02-10"}) == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "personal-data", "--state", "refused", "--source", "phone",
                                  "--effective", "2026-02-10"}) == 0);
  CHECK(state(s, "1001", "2026-02-09", "research")["state"] == "none");
  CHECK(state(s, "1001", "2026-02-10", "research")["state"] == "granted");
  CHECK(state(s, "1001", "2026-02-10", "research")["document"] == doc);
  CHECK(state(s, "1001", "2026-05-19", "research")["state"] == "granted");
  CHECK(state(s, "1001", "2026-05-20", "research")["state"] == "withdrawn");
  CHECK(state(s, "1001", "2026-05-20", "research")["source"] == "email");
  CHECK(state(s, "1001", "2026-05-21", "research")["state"] == "withdrawn");
  CHECK(state(s, "1001", "2026-02-10", "personal-data")["state"] == "refused");
  // Without --document or --source the source is "other".
  REQUIRE(set_consent(s, "1001", {"--purpose", "development-contact", "--state", "granted", "--effective", "2026-02-10"}) == 0);
  CHECK(state(s, "1001", "2026-02-10", "development-contact")["source"] == "other");
  CHECK(listed(s, "research", "2026-02-09").empty());
  CHECK(listed(s, "research", "2026-02-10") == std::vector<std::string>{"1001"});
  CHECK(listed(s, "research", "2026-05-19") == std::vector<std::string>{"1001"});
  CHECK(listed(s, "research", "2026-05-20").empty());
  CHECK(listed(s, "research", "2026-05-20", "withdrawn") == std::vector<std::string>{"1001"});
  CHECK(listed(s, "research", "2026-02-09", "none") == std::vector<std::string>{"1001"});
}

TEST_CASE("consent list leaves out anyone with a ban in force, for the marketing purposes only", "[ledger]") {
  Sandbox s;
  REQUIRE(s.kaappi({"init", "--reuse-key"}).exit_code == 0);
  add_customer(s, "1", "Vapaa Oy");                 // granted everything, no ban
  add_customer(s, "2", "Suoramarkkinointikielto Oy");
  add_customer(s, "3", "Suoramainontakielto Oy");
  add_customer(s, "4", "Etämyyntikielto Oy");
  add_customer(s, "5", "Kielto Purettu Oy");        // ban lifted later
  add_customer(s, "6", "Kieltäytyi Oy");            // refused
  const std::vector<std::string> marketing = {"email-marketing", "sms-marketing", "electronic-marketing"};
  for (const char* c : {"1", "2", "3", "4", "5"})
    for (const auto& p : marketing)
      REQUIRE(set_consent(s, c, {"--purpose", p, "--state", "granted", "--source", "web-form", "--effective", "2026-01-01"}) == 0);
  for (const char* c : {"1", "2", "3", "4", "5", "6"})
    REQUIRE(set_consent(s, c, {"--purpose", "research", "--state", "granted", "--source", "web-form", "--effective", "2026-01-01"}) == 0);
  REQUIRE(set_consent(s, "6", {"--purpose", "email-marketing", "--state", "refused", "--source", "web-form", "--effective", "2026-01-01"}) == 0);
  REQUIRE(set_consent(s, "2", {"--purpose", "ban-direct-marketing", "--state", "granted", "--source", "phone", "--effective", "2026-03-01"}) == 0);
  REQUIRE(set_consent(s, "3", {"--purpose", "ban-direct-advertising", "--state", "granted", "--source", "phone", "--effective", "2026-03-01"}) == 0);
  REQUIRE(set_consent(s, "4", {"--purpose", "ban-distance-selling", "--state", "granted", "--source", "phone", "--effective", "2026-03-01"}) == 0);
  REQUIRE(set_consent(s, "5", {"--purpose", "ban-direct-marketing", "--state", "granted", "--source", "phone", "--effective", "2026-03-01"}) == 0);
  REQUIRE(set_consent(s, "5", {"--purpose", "ban-direct-marketing", "--state", "withdrawn", "--source", "email", "--effective", "2026-06-01"}) == 0);

  using V = std::vector<std::string>;
  for (const auto& p : marketing) {
    INFO(p);
    CHECK(listed(s, p, "2026-02-28") == V{"1", "2", "3", "4", "5"});  // before any ban
    CHECK(listed(s, p, "2026-03-01") == V{"1"});                     // every ban excludes every marketing purpose
    CHECK(listed(s, p, "2026-06-01") == V{"1", "5"});                // the lifted ban no longer excludes
  }
  // Bans do not touch the other purposes.
  CHECK(listed(s, "research", "2026-03-01") == V{"1", "2", "3", "4", "5", "6"});
  CHECK(listed(s, "email-marketing", "2026-03-01", "refused") == V{"6"});
  CHECK(listed(s, "ban-direct-marketing", "2026-03-01") == V{"2", "5"});

  auto shown = state(s, "2", "2026-03-01", "email-marketing");
  CHECK(shown["state"] == "granted");
  CHECK(shown["may_contact"] == false);
  CHECK(shown["excluded_by"] == nlohmann::json::array({"ban-direct-marketing"}));
  Result text = s.kaappi({"consent", "show", "2", "--as-of", "2026-03-01"});
  CHECK_THAT(text.out, Catch::Contains("excluded by ban-direct-marketing") && Catch::Contains("IN FORCE since 2026-03-01"));

  Result csv = s.kaappi({"consent", "list", "--purpose", "sms-marketing", "--as-of", "2026-06-01", "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out == "number,name,email,phone,since,document,event\r\n"
                   "1,Vapaa Oy,1@example.fi,,2026-01-01,,2\r\n"
                   "5,Kielto Purettu Oy,5@example.fi,,2026-01-01,,14\r\n");
  CHECK(s.kaappi({"consent", "list", "--purpose", "spam"}).exit_code == 2);
  CHECK(s.kaappi({"consent", "list", "--purpose", "research", "--as-of", "2026-13-01"}).exit_code == 2);
}

TEST_CASE("a wrong event is corrected by a later one that says so, nothing is changed in place", "[ledger]") {
  Sandbox s;
  s.init_archive_with_customer();
  long doc = s.import({s.make_pdf("form.pdf", {"--seed", "9"})}).at(0);
  std::string d = std::to_string(doc);
  // Event 1: recorded with the wrong effective date.
  REQUIRE(set_consent(s, "1001", {"--purpose", "email-marketing", "--state", "granted", "--document", d, "--effective", "2025-01-01"}) == 0);
  // Event 2: sets it right.
  REQUIRE(set_consent(s, "1001", {"--purpose", "email-marketing", "--state", "granted", "--document", d, "--effective",
                                  "2026-01-01", "--corrects", "1", "--note", "date misread from the form"}) == 0);
  CHECK(state(s, "1001", "2025-06-01", "email-marketing")["state"] == "none");
  CHECK(state(s, "1001", "2026-01-01", "email-marketing")["event"] == 2);
  // Event 3: a ban recorded for the wrong customer; event 4 retracts it.
  REQUIRE(set_consent(s, "1001", {"--purpose", "ban-direct-marketing", "--state", "granted", "--source", "phone",
                                  "--effective", "2026-02-01"}) == 0);
  CHECK(state(s, "1001", "2026-03-01", "email-marketing")["may_contact"] == false);
  CHECK(listed(s, "email-marketing", "2026-03-01").empty());
  Result retract = s.kaappi({"consent", "retract", "3", "--customer", "1001", "--note", "wrong customer"});
  INFO(retract.err);
  REQUIRE(retract.exit_code == 0);
  CHECK(state(s, "1001", "2026-03-01", "ban-direct-marketing")["state"] == "none");
  CHECK(state(s, "1001", "2026-03-01", "email-marketing")["may_contact"] == true);
  // consent list reads the ledger its own (faster) way; it must agree.
  CHECK(listed(s, "email-marketing", "2025-06-01").empty());
  CHECK(listed(s, "email-marketing", "2025-06-01", "none") == std::vector<std::string>{"1001"});
  CHECK(listed(s, "email-marketing", "2026-03-01") == std::vector<std::string>{"1001"});
  CHECK(listed(s, "ban-direct-marketing", "2026-03-01").empty());

  Result h = s.kaappi({"consent", "history", "1001", "--json"});
  REQUIRE(h.exit_code == 0);
  auto events = nlohmann::json::parse(h.out)["events"];
  REQUIRE(events.size() == 4);  // every event is still there
  CHECK(events[0]["effective"] == "2025-01-01");
  CHECK(events[0]["corrected_by"] == 2);
  CHECK(events[1]["corrects"] == 1);
  CHECK(events[1]["note"] == "date misread from the form");
  CHECK(events[2]["corrected_by"] == 4);
  CHECK(events[3]["state"] == "retracted");
  for (const auto& e : events) {
    CHECK(!e["recorded_by"].get<std::string>().empty());
    CHECK(!e["recorded"].get<std::string>().empty());
  }
  Result only = s.kaappi({"consent", "history", "1001", "--purpose", "ban-direct-marketing"});
  CHECK_THAT(only.out, Catch::Contains("#3") && Catch::Contains("[corrected by #4]") && !Catch::Contains("#1 "));

  std::string before = s.archive_fingerprint();
  // An event can be corrected once; later fixes correct the correction.
  CHECK(set_consent(s, "1001", {"--purpose", "email-marketing", "--state", "refused", "--source", "phone", "--corrects", "1"}) == 4);
  CHECK(set_consent(s, "1001", {"--purpose", "email-marketing", "--state", "refused", "--source", "phone", "--corrects", "99"}) == 5);
  CHECK(set_consent(s, "1001", {"--purpose", "email-marketing", "--state", "granted", "--source", "signed-form"}) == 2);
  CHECK(set_consent(s, "1001", {"--purpose", "email-marketing", "--state", "granted", "--source", "rumour"}) == 2);
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("consent proof: the events and the signed forms, decrypted into a private folder, with proof.json", "[ledger]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string form = s.make_pdf("lomake.pdf", {"--seed", "21"});
  std::string later = s.make_pdf("kielto.pdf", {"--seed", "22"});
  auto ids = s.import({form, later});
  REQUIRE(ids.size() == 2);
  REQUIRE(set_consent(s, "1001", {"--purpose", "email-marketing", "--state", "granted", "--document",
                                  std::to_string(ids[0]), "--effective", "2026-01-05"}) == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "ban-distance-selling", "--state", "granted", "--document",
                                  std::to_string(ids[1]), "--effective", "2026-02-05"}) == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "research", "--state", "granted", "--source", "phone"}) == 0);

  std::string dir = s.path("proof");
  Result r = s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", dir, "--reason",
                       "Auditor request 2026/14"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // The summary names the ban that forbids contact; it never says just "granted".
  CHECK(r.out.find(": email-marketing is excluded by ban-distance-selling (granted, but the ban is in force) on ") !=
        std::string::npos);
  CHECK(r.out.find("is granted") == std::string::npos);
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  for (const auto& f : {"/proof.json", "/document-1.pdf", "/document-2.pdf"}) {
    REQUIRE(::stat((dir + f).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
  CHECK(sha_of_file(dir + "/document-1.pdf") == sha_of_file(form));
  CHECK(sha_of_file(dir + "/document-2.pdf") == sha_of_file(later));
  auto p = nlohmann::json::parse(read_text(dir + "/proof.json"));
  CHECK(p["customer"]["number"] == "1001");
  CHECK(p["kaappi_consent_proof"] == 2);
  CHECK(p["customer"]["name"] == "Oy Testiasiakas Ab");
  const auto& consent = p["consent"];
  CHECK(consent["purpose"] == "email-marketing");
  CHECK(consent["labels"]["sv"] == "E-postmarknadsföring");
  CHECK(consent["state"] == "granted");
  CHECK(consent["since"] == "2026-01-05");
  CHECK(consent["event"] == 1);
  CHECK(consent["document"] == 1);
  CHECK(consent["may_contact"] == false);  // the distance-selling ban excludes it
  CHECK(consent["excluded_by"] == nlohmann::json::array({"ban-distance-selling"}));
  CHECK(p["bans"].size() == 3);
  CHECK(p["events"].size() == 2);  // the purpose and its bans; not research
  CHECK(p["documents"].size() == 2);
  CHECK(p["documents"][0]["file_name"] == "lomake.pdf");
  CHECK(p["documents"][0]["file"] == "document-1.pdf");
  CHECK(p["documents"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(p["reason"] == "Auditor request 2026/14");

  Result log = s.kaappi({"access-log", "--json"});
  REQUIRE(log.exit_code == 0);
  CHECK_THAT(log.out, Catch::Contains("\"proof\"") && Catch::Contains("Auditor request 2026/14"));

  // Only into a new or empty folder; a reason is required.
  std::string before = s.archive_fingerprint();
  Result again = s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", dir, "--reason", "x"});
  CHECK(again.exit_code == 4);
  CHECK(s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", s.path("p2"), "--reason", " "})
            .exit_code == 2);
  CHECK(s.kaappi({"consent", "proof", "1001", "--purpose", "spam", "-o", s.path("p2")}).exit_code == 2);
  CHECK(s.kaappi({"consent", "proof", "9999", "--purpose", "research", "-o", s.path("p2")}).exit_code == 5);
  CHECK(s.archive_fingerprint() == before);
  CHECK_FALSE(file_exists(s.path("p2")));
  // Without --reason the access log still says what it was for.
  REQUIRE(s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", s.path("p4")}).exit_code == 0);
  CHECK_THAT(s.kaappi({"access-log"}).out, Catch::Contains("proof of consent (email-marketing)"));

  Result as_json = s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", s.path("p5"), "--json"});
  REQUIRE(as_json.exit_code == 0);
  auto summary = nlohmann::json::parse(as_json.out);
  CHECK(summary["state"] == "granted");
  CHECK(summary["excluded_by"] == nlohmann::json::array({"ban-distance-selling"}));
  // A proof of a purpose without signed documents still summarizes the events.
  Result phone = s.kaappi({"consent", "proof", "1001", "--purpose", "research", "-o", s.path("p3"), "--reason", "audit"});
  REQUIRE(phone.exit_code == 0);
  auto p3 = nlohmann::json::parse(read_text(s.path("p3/proof.json")));
  CHECK(p3["documents"].empty());
  CHECK(p3["events"][0]["source"] == "phone");
}

TEST_CASE("consent show --json, history --json, documents --json and proof.json describe the same things alike",
          "[ledger]") {
  Sandbox s;
  s.init_archive_with_customer();
  auto ids = s.import({s.make_pdf("lomake.pdf", {"--seed", "31"}), s.make_pdf("kielto.pdf", {"--seed", "32"})});
  REQUIRE(ids.size() == 2);
  std::string d0 = std::to_string(ids[0]), d1 = std::to_string(ids[1]);
  REQUIRE(set_consent(s, "1001", {"--purpose", "sms-marketing", "--state", "granted", "--document", d0,
                                  "--effective", "2026-01-05"}) == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "ban-direct-advertising", "--state", "granted", "--source", "phone",
                                  "--effective", "2026-02-01"}) == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "ban-direct-marketing", "--state", "granted", "--document", d1,
                                  "--effective", "2026-02-10"}) == 0);
  REQUIRE(s.kaappi({"consent", "retract", "2", "--customer", "1001", "--note", "wrong customer"}).exit_code == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "sms-marketing", "--state", "granted", "--document", d0,
                                  "--effective", "2026-01-06", "--corrects", "1", "--note", "date misread"}) == 0);
  REQUIRE(set_consent(s, "1001", {"--purpose", "research", "--state", "granted", "--source", "email"}) == 0);

  for (const char* as_of : {"2026-01-05", "2026-01-06", "2026-02-10", "2026-12-31"}) {
    INFO(as_of);
    Result shown = s.kaappi({"consent", "show", "1001", "--as-of", as_of, "--json"});
    REQUIRE(shown.exit_code == 0);
    std::map<std::string, nlohmann::json> by_purpose;
    auto consents = nlohmann::json::parse(shown.out)["consents"];
    for (const auto& c : consents) by_purpose[c["purpose"].get<std::string>()] = c;
    std::string dir = s.path(std::string("proof-") + as_of);
    Result r = s.kaappi({"consent", "proof", "1001", "--purpose", "sms-marketing", "-o", dir, "--reason", "audit",
                         "--as-of", as_of});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto p = nlohmann::json::parse(read_text(dir + "/proof.json"));
    // The same state, field for field, under the same names.
    CHECK(p["consent"] == by_purpose["sms-marketing"]);
    REQUIRE(p["bans"].size() == 3);
    for (const auto& ban : p["bans"]) CHECK(ban == by_purpose[ban["purpose"].get<std::string>()]);
    // The same events as history gives them.
    Result h = s.kaappi({"consent", "history", "1001", "--json"});
    REQUIRE(h.exit_code == 0);
    nlohmann::json relevant = nlohmann::json::array();
    auto history = nlohmann::json::parse(h.out)["events"];
    for (const auto& e : history)
      if (e["purpose"] != "research") relevant.push_back(e);
    CHECK(p["events"] == relevant);
    // The same documents as `documents` lists them, with the file and its hash.
    Result docs = s.kaappi({"documents", "--json"});
    REQUIRE(docs.exit_code == 0);
    auto listed_docs = nlohmann::json::parse(docs.out)["documents"];
    REQUIRE(p["documents"].size() == 2);
    for (auto doc : p["documents"]) {
      CHECK(doc["sha256"].get<std::string>().size() == 64);
      doc.erase("sha256");
      doc.erase("file");
      CHECK(std::find(listed_docs.begin(), listed_docs.end(), doc) != listed_docs.end());
    }
  }
  auto events = nlohmann::json::parse(s.kaappi({"consent", "history", "1001", "--json"}).out)["events"];
  CHECK(events[0]["id"] == 1);
  CHECK(events[0]["corrected_by"] == 5);
  CHECK(events[0]["counts"] == false);
  CHECK(events[3]["state"] == "retracted");
  CHECK(events[3]["counts"] == false);
  CHECK(events[4]["counts"] == true);
}

TEST_CASE("lists of thousands of customers come out whole and in order", "[ledger]") {
  Sandbox s;
  REQUIRE(s.kaappi({"init", "--reuse-key"}).exit_code == 0);
  std::string csv = "number;name;email\n";
  for (int i = 0; i < 2600; ++i)
    csv += "N" + std::to_string(10000 + i) + ";Yritys " + std::to_string(i) + (i % 2 ? " Oy" : " Ab") + ";y" +
           std::to_string(i) + "@example.fi\n";
  write_text(s.path("many.csv"), csv);
  Result imp = s.kaappi({"customer", "import", s.path("many.csv")});
  INFO(imp.err);
  REQUIRE(imp.exit_code == 0);
  REQUIRE(set_consent(s, "N10007", {"--purpose", "research", "--state", "granted", "--source", "email"}) == 0);
  auto none = listed(s, "research", "2030-01-01", "none");
  REQUIRE(none.size() == 2599);
  CHECK(none.front() == "N10000");
  CHECK(none[7] == "N10008");
  CHECK(none.back() == "N12599");
  CHECK(listed(s, "research", "2030-01-01") == std::vector<std::string>{"N10007"});
  Result found = s.kaappi({"customer", "list", "--search", "oy"});
  REQUIRE(found.exit_code == 0);
  CHECK(std::count(found.out.begin(), found.out.end(), '\n') == 1301);  // a header and 1,300 customers
  CHECK_THAT(found.out, Catch::StartsWith("NUMBER\tNAME\tBUSINESS ID\tEMAIL\nN10001\tYritys 1 Oy\t\ty1@example.fi\n") &&
                            Catch::EndsWith("N12599\tYritys 2599 Oy\t\ty2599@example.fi\n"));
}

TEST_CASE("a correction without --effective keeps the date of the event it corrects", "[ledger]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(set_consent(s, "1001", {"--purpose", "sms-marketing", "--state", "granted", "--source", "phone",
                                  "--effective", "2025-06-01"}) == 0);
  Result r = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "refused",
                       "--source", "phone", "--corrects", "1", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto event = nlohmann::json::parse(r.out);
  CHECK(event["corrects"] == 1);
  CHECK(event["effective"] == "2025-06-01");
  // History is not rewritten: on a date between, the corrected state holds from the original date.
  CHECK(state(s, "1001", "2025-07-01", "sms-marketing")["state"] == "refused");
  // An explicit date is still taken as given, and a new event without one takes effect today.
  REQUIRE(set_consent(s, "1001", {"--purpose", "sms-marketing", "--state", "granted", "--source", "phone",
                                  "--corrects", "2", "--effective", "2025-08-01"}) == 0);
  CHECK(state(s, "1001", "2025-07-01", "sms-marketing")["state"] == "none");
  Result fresh = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted",
                           "--source", "phone", "--json"});
  REQUIRE(fresh.exit_code == 0);
  std::time_t now = std::time(nullptr);
  std::tm local {};
  localtime_r(&now, &local);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", &local);
  CHECK(nlohmann::json::parse(fresh.out)["effective"] == today);
}
