// test_customer_recognition.cpp — which customer a scan's text names
// (ingest files a scan by it), in-process with the archive fixture.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "intake/customer_recognition.h"
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
  CHECK(customer_named_in(s, scan_text("Asiakastietolomake\nAsiakasnumero: 1001\nNimi: ...")) == "1001");
  CHECK(customer_named_in(s, scan_text("Kundnummer 2002")) == "2002");
  CHECK(customer_named_in(s, scan_text("CUSTOMER NUMBER #1001.")) == "1001");
  // From the PDF's metadata when the text layer has nothing.
  CHECK(customer_named_in(s, scan_text("", {{"Subject", "Asiakasnumero=2002"}})) == "2002");
}

TEST_CASE("no customer is guessed from unknown, ambiguous or unlabelled numbers", "[intake]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  fx.add_customer("2002", "Åbo Ägg Ab");
  Session& s = fx.session();
  CHECK(customer_named_in(s, scan_text("Asiakasnumero: 9999")).empty());           // no such customer
  CHECK(customer_named_in(s, scan_text("1001 2002 and no label")).empty());        // no label
  CHECK(customer_named_in(s, scan_text("Asiakasnumero: 1001\nKundnummer: 2002")).empty());  // two customers
  CHECK(customer_named_in(s, "not json at all").empty());
  CHECK(customer_named_in(s, scan_text("")).empty());
  // The same customer named twice is still one customer.
  CHECK(customer_named_in(s, scan_text("Asiakasnumero: 1001 ... Customer number: 1001")) == "1001");
}
