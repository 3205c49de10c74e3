// test_customer_recognition.cpp — which customer a scan's text names
// (ingest files a scan by it), in-process with the archive fixture.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "forms/customer_recognition.h"
#include "support/archive_fixture.h"

using namespace kaappi;

namespace {
std::string scan_text(const std::string& text, const nlohmann::json& metadata = nlohmann::json::object()) {
  return nlohmann::json{{"pages", 1}, {"text", text}, {"metadata", metadata}}.dump();
}
}  // namespace

TEST_CASE("a scan names its customer after a label, in Finnish, Swedish or English", "[intake]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  fx.add_customer("2002", "Åbo Ägg Ab");
  Session& s = fx.session();
  auto one = [&](const std::string& pdf_json) { return customers_named_in(s, pdf_json).the_one(); };
  CHECK(one(scan_text("Asiakastietolomake\nAsiakasnumero: 1001\nNimi: ...")) == "1001");
  CHECK(one(scan_text("Kundnummer 2002")) == "2002");
  CHECK(one(scan_text("CUSTOMER NUMBER #1001.")) == "1001");
  // From the PDF's metadata when the text layer has nothing.
  CHECK(one(scan_text("", {{"Subject", "Asiakasnumero=2002"}})) == "2002");
}

TEST_CASE("no customer is guessed from unknown, ambiguous or unlabelled numbers, and what was found is told",
          "[intake]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  fx.add_customer("2002", "Åbo Ägg Ab");
  Session& s = fx.session();
  using List = std::vector<std::string>;
  NamedCustomers unknown = customers_named_in(s, scan_text("Asiakasnumero: 9999"));  // no such customer
  CHECK(unknown.the_one().empty());
  CHECK(unknown.customers.empty());
  CHECK(unknown.unknown == List{"9999"});
  NamedCustomers unlabelled = customers_named_in(s, scan_text("1001 2002 and no label"));
  CHECK(unlabelled.customers.empty());
  CHECK(unlabelled.unknown.empty());
  // Two customers, in the order the text names them: neither is chosen.
  NamedCustomers two = customers_named_in(s, scan_text("Kundnummer: 2002\nAsiakasnumero: 1001, Asiakasnro 9998"));
  CHECK(two.the_one().empty());
  CHECK(two.customers == List{"2002", "1001"});
  CHECK(two.unknown == List{"9998"});
  CHECK(customers_named_in(s, "not json at all").customers.empty());
  CHECK(customers_named_in(s, scan_text("")).customers.empty());
  // The same customer named twice is still one customer.
  NamedCustomers twice = customers_named_in(s, scan_text("Asiakasnumero: 1001 ... Customer number: 1001"));
  CHECK(twice.the_one() == "1001");
  CHECK(twice.customers == List{"1001"});
}

TEST_CASE("a scan naming many numbers is read only so far", "[intake]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  Session& s = fx.session();
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "Asiakasnumero: " + std::to_string(5000 + i) + "\n";
  NamedCustomers many = customers_named_in(s, scan_text(text + "Asiakasnumero: 1001"));
  CHECK(many.unknown.size() == k_max_named_numbers);
  CHECK(many.unknown.front() == "5000");
  CHECK(many.customers.empty());
}
