// test_customer_fields.cpp — what a customer record holds and how each field
// is checked.
#include <catch2/catch.hpp>

#include "register/customer_fields.h"
#include "base/error.h"

using namespace kaappi;

namespace {
std::string check(const char* key, const std::string& value) {
  return check_customer_field(*find_customer_field(key), value);
}
}  // namespace

TEST_CASE("every field of the register description has a key, a label and help", "[customer_fields]") {
  for (const char* key : {"number", "name", "business-id", "email", "phone", "address", "billing-name",
                          "billing-address", "billing-email", "e-invoice-address", "e-invoice-operator", "payer-name",
                          "payer-business-id", "payer-address", "payer-email", "payment-method", "payment-notes",
                          "source"}) {
    INFO(key);
    const FieldSpec* spec = find_customer_field(key);
    REQUIRE(spec != nullptr);
    CHECK(std::string(spec->label).size() > 0);
    CHECK(std::string(spec->help).size() > 0);
  }
  CHECK(find_customer_field("shoe-size") == nullptr);
}

TEST_CASE("values are trimmed, checked and normalized, messages name the field, not the value", "[customer_fields]") {
  CHECK(check("business-id", " 2468114-6 ") == "2468114-6");
  CHECK(check("payer-business-id", "0112038-9") == "0112038-9");
  CHECK_THROWS_WITH(check("payer-business-id", "0112038-8"),
                    Catch::StartsWith("field 'payer-business-id'") && !Catch::Contains("0112038-8"));
  CHECK_THROWS_WITH(check("billing-email", "laskut at firma"), Catch::StartsWith("field 'billing-email'"));
  CHECK_THROWS_WITH(check("phone", "call me"), Catch::StartsWith("field 'phone'"));
  CHECK(check("address", "Kauppakatu 1\n00100 Helsinki") == "Kauppakatu 1\n00100 Helsinki");
  CHECK_THROWS_WITH(check("name", "two\nlines"), Catch::Contains("one line"));
  CHECK_THROWS_WITH(check("name", std::string("bad \xff utf8")), Catch::Contains("UTF-8"));
  CHECK_THROWS_WITH(check("number", std::string(65, '1')), Catch::Contains("64 bytes"));
  for (const auto& source : record_sources()) CHECK(check("source", source) == source);
  CHECK_THROWS_WITH(check("source", "gossip"), Catch::Contains("population-register"));
  CHECK(check("email", "  ") == "");
}

TEST_CASE("a record needs a number and a name, feedback entries need a date and text", "[customer_fields]") {
  CustomerRecord r;
  r.set("name", "Oy X Ab");
  CHECK_THROWS_WITH(check_customer_record(r), Catch::Contains("'number'"));
  r.set("number", "1");
  r.set("email", "");
  r.feedback = {{"2026-02-30", "impossible day"}};
  CHECK_THROWS_WITH(check_customer_record(r), Catch::Contains("'feedback'"));
  r.feedback = {{"2026-02-28", "  fine  "}};
  CustomerRecord ok = check_customer_record(r);
  CHECK(ok.feedback[0].text == "fine");
  CHECK(ok.values.count("email") == 0);  // empty values are not kept
  r.values["colour"] = "blue";
  CHECK_THROWS_AS(check_customer_record(r), Error);
}
