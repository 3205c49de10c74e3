// test_form_filing.cpp — where kaappi import files a scan when no customer
// is given (forms/scan_filing.h), with the real binary: the customer number
// its text names, else unassigned with the reason said; --json's filing
// fields. Printed forms' QR codes: test_form_reader's scans.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("import without a customer files by the scan's text, else stores it unassigned", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string named = s.make_pdf("named.pdf", {"--seed", "41", "--text", "Suostumus. Asiakasnumero: 1001."});
  const std::string plain = s.make_pdf("plain.pdf", {"--seed", "42"});
  Result r = s.kaappi({"import", named, plain});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "as document 1 (1 page, "));
  CHECK(has(r.out, ") for customer 1001 (the scan names this customer number)\n"));
  CHECK(has(r.out, "as document 2 (1 page, "));
  CHECK(has(r.out, "), unassigned: no customer number found in the scan (kaappi assign 2 --customer N)\n"));
  CHECK(sql_value(s, "SELECT kind FROM documents WHERE id = 2") == "other");
  CHECK(sql_value(s, "SELECT customer_id IS NULL FROM documents WHERE id = 2") == "1");

  const std::string other = s.make_pdf("other.pdf", {"--seed", "43", "--text", "Customer number 9999"});
  Result j = s.kaappi({"import", other, "--kind", "contract", "--json"});
  REQUIRE(j.exit_code == 0);
  const auto row = nlohmann::json::parse(j.out)["results"][0];
  CHECK(row["status"] == "stored");
  CHECK(row["customer"] == "");
  CHECK(row["kind"] == "contract");
  CHECK(row["customer_from_form"] == false);
  CHECK(row["customer_from_scan"] == false);
  CHECK(row["unknown_numbers"] == std::vector<std::string>{"9999"});
  CHECK(row["forms"].empty());
  CHECK(row["filing_notes"].empty());
  CHECK(row["unassigned_because"].is_null());
  // Given a customer, the text is not read.
  const std::string again = s.make_pdf("again.pdf", {"--seed", "44", "--text", "Asiakasnumero: 1001"});
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  Result given = s.kaappi({"import", again, "--customer", "1002", "--kind", "contract", "--json"});
  REQUIRE(given.exit_code == 0);
  CHECK(nlohmann::json::parse(given.out)["results"][0]["customer"] == "1002");
  check_verifies_clean(s);
}
