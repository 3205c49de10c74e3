// test_form_loop.cpp — the paper loop end to end with the real binaries: a
// form printed by kaappi form print, filled in and scanned by simulation
// (tests/tools/scan_form), imported or ingested: filed to its customer by its
// QR code (turned, skewed, both pages or one), unassigned when --customer
// names another, given customer kept for another archive's form; its boxes
// read and shown by kaappi review, accepted as consent events citing it;
// unsure boxes refused until set; every refusal changing nothing.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::map<std::string, std::string> texts_env() {
  return {{"KAAPPI_REGISTER_TEXTS", std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example"}};
}

// Forms printed for `customers` (one PDF each): their paths.
std::vector<std::string> print_forms(const Sandbox& s, const std::vector<std::string>& customers) {
  std::vector<std::string> out;
  for (const std::string& c : customers) {
    const std::string pdf = s.path("form-" + c + ".pdf");
    Result r = s.kaappi({"form", "print", "--customer", c, "-o", pdf}, texts_env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    out.push_back(pdf);
  }
  return out;
}

// scan_form FORM OUT args...: the simulated scan's path.
std::string scan(const Sandbox& s, const std::string& form, const std::string& name, std::vector<std::string> args) {
  const std::string out = s.path(name);
  args.insert(args.begin(), {std::string(KAAPPI_BIN_DIR) + "/scan_form", form, out});
  Result r = s.run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return out;
}

nlohmann::json import_json(const Sandbox& s, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"import"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--json");
  Result r = s.kaappi(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out)["results"];
}

nlohmann::json review_json(const Sandbox& s, const std::vector<std::string>& args = {}) {
  std::vector<std::string> argv = {"review", "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  Result r = s.kaappi(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out)["forms"];
}

// The readings of a review's form: purpose → mark.
std::map<std::string, std::string> marks_of(const nlohmann::json& form) {
  std::map<std::string, std::string> out;
  for (const auto& page : form["pages"])
    for (const auto& box : page["boxes"]) out[box["purpose"]] = box["mark"];
  return out;
}

}  // namespace

TEST_CASE("a printed form's scan files itself, its boxes are read, and accepted become consents", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  const auto forms = print_forms(s, {"1001", "1002"});
  const std::string filled = scan(s, forms[0], "scan.pdf",
                                  {"--marks", "email-marketing=tick,research=x,ban-direct-marketing=tick", "--dpi",
                                   "200", "--skew", "2", "--jpeg", "80", "--seed", "5"});
  const auto rows = import_json(s, {filled});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["status"] == "stored");
  CHECK(rows[0]["customer"] == "1001");
  CHECK(rows[0]["customer_from_form"] == true);
  CHECK(rows[0]["kind"] == "consent-form");
  CHECK(rows[0]["forms"].size() == 1);
  const long doc = rows[0]["document"].get<long>();

  auto listed = review_json(s);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["document"] == doc);
  CHECK(listed[0]["customer"] == "1001");
  CHECK(listed[0]["reviewed"] == false);
  const auto marks = marks_of(listed[0]);
  REQUIRE(marks.size() == 9);
  for (const auto& [purpose, mark] : marks) {
    INFO(purpose);
    const bool ticked = purpose == "email-marketing" || purpose == "research" || purpose == "ban-direct-marketing";
    CHECK(mark == (ticked ? "ticked" : "empty"));
  }
  CHECK(sql_value(s, "SELECT count(*) FROM reads WHERE action = 'review'") == "1");
  // Nothing is a consent before it is accepted.
  CHECK(sql_value(s, "SELECT count(*) FROM consent_events") == "0");

  const std::string signed_on = kaappi::today();
  Result accept = s.kaappi({"review", "accept", std::to_string(doc), "--signed", signed_on, "--json"});
  INFO(accept.err);
  REQUIRE(accept.exit_code == 0);
  const auto recorded = nlohmann::json::parse(accept.out)["recorded"];
  CHECK(recorded.size() == 9);
  std::map<std::string, std::string> states;
  for (const auto& e : recorded) states[e["purpose"]] = e["state"];
  CHECK(states["email-marketing"] == "granted");
  CHECK(states["research"] == "granted");
  CHECK(states["sms-marketing"] == "refused");
  CHECK(states["ban-direct-marketing"] == "granted");
  CHECK(states["ban-distance-selling"] == "withdrawn");
  Result history = s.kaappi({"consent", "history", "1001", "--purpose", "email-marketing"});
  CHECK(has(history.out, "signed-form"));
  CHECK(has(history.out, "document " + std::to_string(doc)));
  // Reviewed: off the list, and not accepted twice.
  CHECK(review_json(s).empty());
  CHECK(review_json(s, {"--all"}).size() == 1);
  const std::string before = s.archive_fingerprint();
  check_refusals(s, {{{"review", "accept", std::to_string(doc), "--signed", signed_on}, 4, "was reviewed already"}},
                 [&] { CHECK(s.archive_fingerprint() == before); });
  check_verifies_clean(s);
}

TEST_CASE("turned, skewed and one-page scans file by their code", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  const auto forms = print_forms(s, {"1001"});
  int n = 0;
  for (const std::vector<std::string>& how :
       std::vector<std::vector<std::string>>{{"--turn", "90"}, {"--turn", "180"}, {"--turn", "270", "--skew", "-4"},
                                             {"--skew", "5", "--dpi", "200", "--scale", "0.94"}}) {
    std::vector<std::string> args = how;
    args.insert(args.end(), {"--marks", "sms-marketing=tick", "--seed", std::to_string(10 + n)});
    const std::string pdf = scan(s, forms[0], "turned-" + std::to_string(n++) + ".pdf", args);
    const auto rows = import_json(s, {pdf});
    INFO(how.front() + " " + how[1]);
    CHECK(rows[0]["customer"] == "1001");
    CHECK(rows[0]["customer_from_form"] == true);
  }
  // One page of the form, either: filed alike; without the boxes' page nothing is accepted.
  const std::string both = scan(s, forms[0], "both.pdf", {"--marks", "research=tick", "--seed", "20"});
  for (const char* page : {"1", "2"}) {
    const std::string one = s.path(std::string("page-") + page + ".pdf");
    Result split = s.run({"/usr/bin/qpdf", both, "--pages", both, page, "--", one});
    INFO(split.err);
    REQUIRE(split.exit_code == 0);
    const auto rows = import_json(s, {one});
    CHECK(rows[0]["customer"] == "1001");
    CHECK(rows[0]["customer_from_form"] == true);
  }
  const auto only_notice = review_json(s, {"--document", "6"});
  REQUIRE(only_notice.size() == 1);
  CHECK(only_notice[0]["notes"][0] == "page 1 of the form, with its boxes, is not in the scan");
  const std::string before = s.archive_fingerprint();
  check_refusals(s, {{{"review", "accept", "6", "--signed", kaappi::today()}, 4, "holds no page of a form printed"}},
                 [&] { CHECK(s.archive_fingerprint() == before); });
}

TEST_CASE("a form of another customer than --customer names, or of another archive, is not filed by its code",
          "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  const auto forms = print_forms(s, {"1002"});
  const std::string pdf = scan(s, forms[0], "other.pdf", {"--seed", "3"});
  Result r = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "consent-form"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "unassigned: its form is customer 1002's, not customer 1001's as given"));
  CHECK(sql_value(s, "SELECT customer_id IS NULL FROM documents WHERE id = 1") == "1");

  // Another archive's form (same number, another key): its code does not authenticate here.
  Sandbox other;
  const std::vector<std::string> own = {std::string(KAAPPI_BIN_DIR) + "/kaappi", "--archive", other.archive(), "--key",
                                        other.path("own.key"), "--passphrase-file", other.pass()};
  const auto run_own = [&](std::vector<std::string> args) {
    args.insert(args.begin(), own.begin(), own.end());
    Result r = other.run(args, texts_env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  run_own({"init", "--kdf", "interactive"});
  run_own({"customer", "add", "--number", "1001", "--name", "Sama Numero"});
  run_own({"form", "print", "--customer", "1001", "-o", other.path("f.pdf")});
  const std::string foreign = scan(other, other.path("f.pdf"), "foreign.pdf", {"--seed", "4"});
  Result given = s.kaappi({"import", foreign, "--customer", "1002", "--kind", "contract"});
  INFO(given.err);
  REQUIRE(given.exit_code == 0);
  CHECK(has(given.err, "a kaappi form code that does not authenticate"));
  CHECK(sql_value(s, "SELECT kind FROM documents WHERE id = 2") == "contract");
}

TEST_CASE("an unsure box is asked about: accept refuses until it is set or left out", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  const auto forms = print_forms(s, {"1001"});
  const std::string pdf = scan(s, forms[0], "filled.pdf", {"--marks", "research=filled,email-marketing=tick", "--seed", "8"});
  const long doc = import_json(s, {pdf})[0]["document"].get<long>();
  const auto listed = review_json(s);
  REQUIRE(listed.size() == 1);
  CHECK(marks_of(listed[0])["research"] == "unsure");
  Result shown = s.kaappi({"review"});
  CHECK(has(shown.out, "unsure (filled)"));
  const std::string today = kaappi::today();
  const std::string before = s.archive_fingerprint();
  check_refusals(s,
                 {
                     {{"review", "accept", std::to_string(doc), "--signed", today}, 4, "research (filled) is unsure"},
                     {{"review", "accept", std::to_string(doc), "--signed", "2020-01-01"}, 4, "the form was printed on"},
                     {{"review", "accept", std::to_string(doc), "--signed", "2026-02-30"}, 2, "signing date"},
                     {{"review", "accept", "99", "--signed", today}, 5, "no document 99"},
                 },
                 [&] { CHECK(s.archive_fingerprint() == before); });
  kaappi_ok(s, {"review", "set", std::to_string(doc), "research", "refused", "--signed", today});
  Result accept = s.kaappi({"review", "accept", std::to_string(doc), "--signed", today, "--except", "sms-marketing"});
  INFO(accept.err);
  REQUIRE(accept.exit_code == 0);
  CHECK(has(accept.err, "left out: sms-marketing"));
  CHECK(sql_value(s, "SELECT count(*) FROM consent_events") == "8");
  const auto after = review_json(s, {"--document", std::to_string(doc)});
  CHECK(after[0]["pending"] == std::vector<std::string>{"sms-marketing"});
  check_verifies_clean(s);
}

TEST_CASE("an ingested form scan files itself too", "[forms]") {
  Sandbox s;
  s.init_archive_with_station();
  const auto forms = print_forms(s, {"1001"});
  scan_as_desk(s, scan(s, forms[0], "desk.pdf", {"--marks", "all=tick", "--seed", "9"}));
  Result r = s.kaappi({"ingest", "--kind", "contract"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "for customer 1001 (by its printed form's QR code, as consent-form)"));
  CHECK(has(r.err, "stored as consent-form, not contract: it is a printed form"));
}

TEST_CASE("a scan holding two customers' forms is stored unassigned, and once assigned its customer's form is reviewed",
          "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  const auto forms = print_forms(s, {"1002", "1001"});
  const std::string theirs = scan(s, forms[0], "theirs.pdf", {"--seed", "11"});
  const std::string ours = scan(s, forms[1], "ours.pdf", {"--marks", "research=tick", "--seed", "12"});
  const std::string both = s.path("both.pdf");
  REQUIRE(s.run({"/usr/bin/qpdf", "--empty", "--pages", theirs, ours, "--", both}).exit_code == 0);
  const auto rows = import_json(s, {both});
  const long doc = rows[0]["document"].get<long>();
  INFO(rows.dump());
  CHECK(rows[0]["customer"] == "");  // unassigned
  CHECK(rows[0]["form_customers"] == std::vector<std::string>{"1001", "1002"});
  kaappi_ok(s, {"assign", std::to_string(doc), "--customer", "1001"});
  const auto listed = review_json(s, {"--document", std::to_string(doc)});
  REQUIRE(listed.size() == 1);
  CHECK(marks_of(listed[0])["research"] == "ticked");  // 1001's form, not 1002's (nothing ticked)
  REQUIRE(listed[0]["notes"].size() >= 1);
  CHECK(has(listed[0]["notes"][0].get<std::string>(), "the scan holds 2 forms: this review reads form "));
  Result accept = s.kaappi({"review", "accept", std::to_string(doc), "--signed", kaappi::today()});
  INFO(accept.err);
  REQUIRE(accept.exit_code == 0);
  CHECK(sql_value(s, "SELECT count(*) FROM consent_events") == "9");
  check_verifies_clean(s);
}

TEST_CASE("one printout is accepted once: a second scan of the same form is named and its accept refused", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  const auto forms = print_forms(s, {"1001"});
  const std::string first = scan(s, forms[0], "first.pdf", {"--marks", "research=tick", "--seed", "21"});
  const std::string again = scan(s, forms[0], "again.pdf", {"--marks", "all=tick", "--seed", "22", "--skew", "2"});
  const long one = import_json(s, {first})[0]["document"].get<long>();
  const long two = import_json(s, {again})[0]["document"].get<long>();
  auto listed = review_json(s, {"--document", std::to_string(two)});
  CHECK(listed[0]["also_in"] == std::vector<long>{one});
  CHECK(listed[0]["accepted_in"] == nlohmann::json::array());
  kaappi_ok(s, {"review", "accept", std::to_string(one), "--signed", kaappi::today()});
  listed = review_json(s, {"--document", std::to_string(two)});
  CHECK(listed[0]["accepted_in"] == std::vector<long>{one});
  Result shown = s.kaappi({"review", "--document", std::to_string(two)});
  CHECK(has(shown.out, "is also in document " + std::to_string(one) + " (accepted from " + std::to_string(one) + ")"));
  const std::string before = s.archive_fingerprint();
  check_refusals(s, {{{"review", "accept", std::to_string(two), "--signed", kaappi::today()}, 4,
                      "was accepted already from document " + std::to_string(one)}},
                 [&] { CHECK(s.archive_fingerprint() == before); });
  CHECK(sql_value(s, "SELECT count(*) FROM consent_events") == "9");
}

TEST_CASE("a restricted document's form is not accepted", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  const auto forms = print_forms(s, {"1001"});
  const long doc = import_json(s, {scan(s, forms[0], "held.pdf", {"--seed", "23"})})[0]["document"].get<long>();
  kaappi_ok(s, {"hold", "add", std::to_string(doc), "--until", kaappi::add_months(kaappi::today(), 2), "--reason",
                "a dispute"});
  REQUIRE(s.kaappi({"erase", "document", std::to_string(doc), "--reason", "asked"}).exit_code == 6);
  const std::string before = s.archive_fingerprint();
  check_refusals(s,
                 {{{"review", "accept", std::to_string(doc), "--signed", kaappi::today()}, 4,
                   "document " + std::to_string(doc) + " is restricted since " + kaappi::today()},
                  {{"review", "set", std::to_string(doc), "research", "refused", "--signed", kaappi::today()}, 4,
                   "is restricted since"}},
                 [&] { CHECK(s.archive_fingerprint() == before); });
}

TEST_CASE("the printed PDF itself, imported, is said so and its boxes are not accepted", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  const auto forms = print_forms(s, {"1001"});
  const auto rows = import_json(s, {forms[0]});
  CHECK(rows[0]["customer"] == "1001");
  CHECK(rows[0]["filing_notes"] ==
        std::vector<std::string>{"it is a drawn PDF of the form (kaappi's printout, or a copy of it), not a scan: no one signed it"});
  const long doc = rows[0]["document"].get<long>();
  const auto listed = review_json(s, {"--document", std::to_string(doc)});
  CHECK(has(listed[0]["notes"].dump(), "this is a drawn PDF of the form"));
  const std::string before = s.archive_fingerprint();
  check_refusals(s,
                 {{{"review", "accept", std::to_string(doc), "--signed", kaappi::today()}, 4,
                   "is a drawn PDF of the form (kaappi's printout, or a copy of it), not a scan of the signed form"},
                  {{"review", "set", std::to_string(doc), "research", "granted", "--signed", kaappi::today()}, 4,
                   "it proves nothing"}},
                 [&] { CHECK(s.archive_fingerprint() == before); });
  // A copy another program wrote (its Creator gone): its form page still draws no image, as no scan does.
  const std::string copy = s.path("copy.pdf");
  REQUIRE(s.run({"/usr/bin/qpdf", "--empty", "--pages", forms[0], "--", copy}).exit_code == 0);
  const auto copied = import_json(s, {copy});
  CHECK(copied[0]["filing_notes"] ==
        std::vector<std::string>{"it is a drawn PDF of the form (kaappi's printout, or a copy of it), not a scan: no one "
                                 "signed it"});
  const std::string id = std::to_string(copied[0]["document"].get<long>());
  const std::string before_copy = s.archive_fingerprint();
  check_refusals(s, {{{"review", "accept", id, "--signed", kaappi::today()}, 4, "is a drawn PDF of the form"}},
                 [&] { CHECK(s.archive_fingerprint() == before_copy); });
}

TEST_CASE("a form printed for a customer erased since is not accepted for a new customer of the same number",
          "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Poistuva Oy"});
  const auto forms = print_forms(s, {"1002"});
  const std::string pdf = scan(s, forms[0], "erased.pdf", {"--seed", "24"});
  kaappi_ok(s, {"erase", "customer", "1002", "--reason", "asked by letter"});
  const auto rows = import_json(s, {pdf});
  CHECK(rows[0]["customer"] == "");
  CHECK(rows[0]["unassigned_because"] == "its form was printed for a customer erased since");
  const long doc = rows[0]["document"].get<long>();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Uusi Oy"});
  kaappi_ok(s, {"assign", std::to_string(doc), "--customer", "1002"});
  const auto listed = review_json(s, {"--document", std::to_string(doc)});
  CHECK(listed[0]["printed_for_customer"] == true);
  const std::string before = s.archive_fingerprint();
  check_refusals(s,
                 {{{"review", "accept", std::to_string(doc), "--signed", kaappi::today()}, 4,
                   "was printed for a customer erased since, not for customer 1002"}},
                 [&] { CHECK(s.archive_fingerprint() == before); });
}
