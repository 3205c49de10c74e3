// test_scan_filing.cpp — where a scan is filed (forms/scan_filing.h), from
// the QR codes its PDF summary lists: a printed form's customer first (as a
// consent-form), unassigned when it is another customer's than the one given,
// several customers', an erased or a restricted customer's; a blank form by
// the customer given or its text; forged, foreign, unknown and malformed
// codes never block, each said in a note; no code: the customer given, the
// number its text names, else unassigned. In-process, with summaries as the
// PDF helper writes them.
#include <catch2/catch.hpp>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "forms/form_instances.h"
#include "forms/scan_filing.h"
#include "rights/erasure.h"
#include "rights/retention.h"
#include "support/archive_fixture.h"
#include "support/printed_forms.h"

using namespace kaappi;

using test::Printed;
using test::code_of;
using test::summary_with;

TEST_CASE("a printed form's scan goes to its customer as a consent-form", "[forms]") {
  Printed p;
  Session& s = p.fx.session();
  const SecretBuffer key = p.key();
  ScanFiler filer(s, std::nullopt, "other");
  const ScanFiling f = filer.file(summary_with({{1, {code_of(p.rows[0], 1, key)}}, {2, {code_of(p.rows[0], 2, key)}}}));
  REQUIRE(f.customer);
  CHECK(f.customer->id == p.anna.id);
  CHECK(f.by == ScanFiling::By::form);
  CHECK(f.kind == "consent-form");
  CHECK(f.forms == std::vector<std::int64_t>{p.rows[0].id});
  REQUIRE(f.notes.size() == 1);
  CHECK(f.notes[0] == "stored as consent-form, not other: it is a printed form");
  // Given the same customer: the same, without a note when the kind was asked.
  ScanFiler given(s, p.anna, "consent-form");
  const ScanFiling g = given.file(summary_with({{2, {code_of(p.rows[0], 2, key)}}}));
  REQUIRE(g.customer);
  CHECK(g.customer->id == p.anna.id);
  CHECK(g.by == ScanFiling::By::form);
  CHECK(g.notes.empty());
}

TEST_CASE("a form of another customer than the one given, or of several, is stored unassigned", "[forms]") {
  Printed p;
  Session& s = p.fx.session();
  const SecretBuffer key = p.key();
  ScanFiler given(s, p.anna, "consent-form");
  const ScanFiling other = given.file(summary_with({{1, {code_of(p.rows[1], 1, key)}}}));
  CHECK_FALSE(other.customer);
  CHECK(other.form_customers == std::vector<std::string>{"1002"});
  CHECK(other.unassigned_because == "its form is customer 1002's, not customer 1001's as given");
  CHECK(other.kind == "consent-form");

  ScanFiler none(s, std::nullopt, "other");
  const ScanFiling both =
      none.file(summary_with({{1, {code_of(p.rows[0], 1, key)}}, {3, {code_of(p.rows[1], 1, key)}}}));
  CHECK_FALSE(both.customer);
  CHECK(both.form_customers == std::vector<std::string>{"1001", "1002"});
  CHECK(both.unassigned_because == "its forms were printed for several customers (1001 and 1002): scan each form on its own");
  // One customer's form and a blank one: that customer's.
  const ScanFiling with_blank =
      none.file(summary_with({{1, {code_of(p.rows[0], 1, key)}}, {3, {code_of(p.rows[2], 1, key)}}}));
  REQUIRE(with_blank.customer);
  CHECK(with_blank.customer->id == p.anna.id);
}

TEST_CASE("a blank form is a consent-form filed by the customer given or its text", "[forms]") {
  Printed p;
  Session& s = p.fx.session();
  const SecretBuffer key = p.key();
  const std::string blank = code_of(p.rows[2], 1, key);
  ScanFiler none(s, std::nullopt, "other");
  const ScanFiling unnamed = none.file(summary_with({{1, {blank}}}));
  CHECK_FALSE(unnamed.customer);
  CHECK(unnamed.kind == "consent-form");
  CHECK(unnamed.unassigned_because.empty());  // the text's findings say why
  const ScanFiling named = none.file(summary_with({{1, {blank}}}, "Asiakasnumero: 1002"));
  REQUIRE(named.customer);
  CHECK(named.customer->id == p.bert.id);
  CHECK(named.by == ScanFiling::By::text);
  ScanFiler given(s, p.anna, "contract");
  const ScanFiling g = given.file(summary_with({{1, {blank}}}));
  REQUIRE(g.customer);
  CHECK(g.customer->id == p.anna.id);
  CHECK(g.by == ScanFiling::By::given);
  CHECK(g.kind == "consent-form");
}

TEST_CASE("forged, foreign and unknown codes never block and are each said", "[forms]") {
  Printed p;
  Session& s = p.fx.session();
  const SecretBuffer key = p.key();
  SecretBuffer other_key(32);
  randombytes_buf(other_key.data(), other_key.size());
  FormInstanceRow unprinted = p.rows[0];
  unprinted.instance[0] ^= 0xff;
  const std::string summary = summary_with({{1, {code_of(p.rows[0], 1, other_key), "https://example.com/x"}},
                                            {2, {code_of(unprinted, 2, key)}},
                                            {3, {code_of(p.rows[1], 1, other_key)}}},
                                           "Customer number 1002");
  ScanFiler given(s, p.anna, "contract");
  const ScanFiling g = given.file(summary);
  REQUIRE(g.customer);
  CHECK(g.customer->id == p.anna.id);
  CHECK(g.by == ScanFiling::By::given);
  CHECK(g.kind == "contract");
  CHECK(g.forms.empty());
  CHECK(g.notes == std::vector<std::string>{
                       "page 1: a QR code that is not a kaappi form's, not used",
                       "pages 1 and 3: a kaappi form code that does not authenticate (another archive's form, or "
                       "altered), not used",
                       "page 2: a kaappi form code of no form printed from this archive, not used"});
  ScanFiler none(s, std::nullopt, "other");
  const ScanFiling by_text = none.file(summary);
  REQUIRE(by_text.customer);
  CHECK(by_text.customer->id == p.bert.id);
  CHECK(by_text.by == ScanFiling::By::text);
}

TEST_CASE("a summary's codes are read defensively", "[forms]") {
  CHECK(scan_codes("not json").empty());
  CHECK(scan_codes("[]").empty());
  CHECK(scan_codes(R"({"form_pages": 3})").empty());
  CHECK(scan_codes(R"({"form_pages": [{"page": "1", "codes": ["A"]}, {"page": 2, "codes": "A"}, 5]})").empty());
  const auto codes = scan_codes(R"({"form_pages": [{"page": 2, "codes": ["A", 7, "B"]}]})");
  REQUIRE(codes.size() == 2);
  CHECK(codes[0].page == 2);
  CHECK(codes[1].text == "B");
  nlohmann::json many = {{"form_pages", nlohmann::json::array()}};
  for (int i = 0; i < 1000; ++i) many["form_pages"].push_back({{"page", i + 1}, {"codes", {"X"}}});
  CHECK(scan_codes(many.dump()).size() == k_max_codes_read);
}

TEST_CASE("a form of an erased or restricted customer is stored unassigned", "[forms]") {
  Printed p;
  Session& s = p.fx.session();
  const SecretBuffer key = p.key();
  const std::string annas = code_of(p.rows[0], 1, key);
  const std::string berts = code_of(p.rows[1], 1, key);
  add_customer_hold(s, p.bert, "2099-01-01", "an unpaid invoice");
  carry_out_erasure(s, plan_customer_erasure(s, p.bert), "asked");
  carry_out_erasure(s, plan_customer_erasure(s, p.anna), "asked");
  ScanFiler none(s, std::nullopt, "other");
  const ScanFiling erased = none.file(summary_with({{1, {annas}}}));
  CHECK_FALSE(erased.customer);
  CHECK(erased.unassigned_because == "its form was printed for a customer erased since");
  const ScanFiling restricted = none.file(summary_with({{1, {berts}}}));
  CHECK_FALSE(restricted.customer);
  CHECK(restricted.unassigned_because.find("its form is customer 1002's, restricted since") == 0);
}

TEST_CASE("a scan not searched wholly for form codes is filed to no one, saying why", "[forms]") {
  Printed p;
  Session& s = p.fx.session();
  const SecretBuffer key = p.key();
  const auto searched = [&](const nlohmann::json& search, const std::vector<std::string>& codes) {
    nlohmann::json j = nlohmann::json::parse(summary_with({{1, codes}}));
    j["form_search"] = search;
    return j.dump();
  };
  const nlohmann::json stopped = {{"pages_searched", 64}, {"image_pages", 64}, {"over_budget", nlohmann::json::array()},
                                  {"stopped_at", 65}};
  const nlohmann::json slow = {{"pages_searched", 3}, {"image_pages", 0}, {"over_budget", {2, 4}}, {"stopped_at", nullptr}};
  ScanFiler by_code(s, std::nullopt, "");
  const ScanFiling f = by_code.file(searched(stopped, {code_of(p.rows[0], 1, key)}));
  CHECK_FALSE(f.customer);
  CHECK(f.forms == std::vector<std::int64_t>{p.rows[0].id});
  CHECK(f.unassigned_because ==
        "not every page was searched for form codes (the search stopped at page 65 (its time for the document, or its "
        "limit of pages with codes, was spent)): it may hold another customer's form");
  ScanFiler given(s, p.anna, "contract");
  const ScanFiling g = given.file(searched(slow, {}));
  CHECK_FALSE(g.customer);
  CHECK(g.unassigned_because ==
        "not every page was searched for form codes (pages 2 and 4 went over a page's search budget (too slow to "
        "search, or an image too large to decode)): it may hold another customer's form");
  // Filed to no one anyway: said in a note.
  ScanFiler none(s, std::nullopt, "");
  const ScanFiling n = none.file(searched(slow, {}));
  CHECK_FALSE(n.customer);
  CHECK(n.unassigned_because.empty());
  CHECK(n.notes == std::vector<std::string>{"not every page was searched for form codes: pages 2 and 4 went over a "
                                            "page's search budget (too slow to search, or an image too large to "
                                            "decode)"});
  // Searched wholly: filed as before.
  const nlohmann::json whole = {{"pages_searched", 1}, {"image_pages", 1}, {"over_budget", nlohmann::json::array()},
                                {"stopped_at", nullptr}};
  ScanFiler again(s, p.anna, "contract");
  CHECK(again.file(searched(whole, {})).customer);
}

TEST_CASE("a scan filed by its form says when its text names another customer", "[forms]") {
  Printed p;
  Session& s = p.fx.session();
  const SecretBuffer key = p.key();
  ScanFiler filer(s, std::nullopt, "");
  const ScanFiling f = filer.file(summary_with({{1, {code_of(p.rows[0], 1, key)}}}, "Asiakasnumero: 1002"));
  REQUIRE(f.customer);
  CHECK(f.customer->id == p.anna.id);
  CHECK(std::find(f.notes.begin(), f.notes.end(), "its text names customer 1002 too: its form decides; look at the scan") !=
        f.notes.end());
}
