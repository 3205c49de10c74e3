// test_csv.cpp — CSV reading/writing and customer rows from CSV.
#include <catch2/catch.hpp>

#include "base/csv.h"
#include "register/customer_csv.h"
#include "base/error.h"

using namespace kaappi;

TEST_CASE("semicolons, BOM, quotes and line breaks inside values", "[csv]") {
  auto t = parse_csv("\xEF\xBB\xBFnumber;name\r\n1;\"Oy \"\"A\"\"; B\"\r\n2;\"two\nlines\"\r\n\r\n3;x");
  CHECK(t.separator == ';');
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[0].values == std::vector<std::string>{"number", "name"});
  CHECK(t.rows[1].values[1] == "Oy \"A\"; B");
  CHECK(t.rows[2].values[1] == "two\nlines");
  CHECK(t.rows[3].line == 6);  // the blank line 5 is skipped, lines still count
  CHECK(parse_csv("a,b\n1,2").separator == ',');
  CHECK_THROWS_WITH(parse_csv("a,b\n1,\"open"), Catch::Contains("line 2"));
  CHECK_THROWS_WITH(parse_csv("a,b\n1,\"x\"y"), Catch::Contains("after a closing quote"));
}

TEST_CASE("written values read back unchanged", "[csv]") {
  std::vector<std::string> values = {"plain", "with,comma", "with;semi", "quote\"d", "multi\r\nline", " padded "};
  for (char sep : {',', ';'}) {
    auto t = parse_csv(csv_line({"h1", "h2", "h3", "h4", "h5", "h6"}, sep) + csv_line(values, sep));
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[1].values == values);
  }
}

TEST_CASE("customer CSV: every bad row is named with its line and field", "[csv]") {
  auto csv = read_customer_csv(
      "number,name,business_id,email,feedback\n"
      "1,Good,2468114-6,a@b.fi,2026-01-02 ok\n"
      "2,Bad id,1234567-8,,\n"
      "3,,,,\n"
      "4,Bad mail,,no-at-sign,\n"
      "1,Twice,,,\n"
      "5,Bad feedback,,,yesterday it was fine\n"
      "6,Short row\n");
  CHECK(csv.records.size() == 1);
  REQUIRE(csv.errors.size() == 6);
  CHECK_THAT(csv.errors[0], Catch::StartsWith("line 3, field 'business-id'"));
  CHECK_THAT(csv.errors[1], Catch::StartsWith("line 4, field 'name'"));
  CHECK_THAT(csv.errors[2], Catch::StartsWith("line 5, field 'email'"));
  CHECK_THAT(csv.errors[3], Catch::StartsWith("line 6, field 'number'") && Catch::Contains("line 2"));
  CHECK_THAT(csv.errors[4], Catch::StartsWith("line 7, field 'feedback'"));
  CHECK_THAT(csv.errors[5], Catch::StartsWith("line 8:"));
  for (const auto& e : csv.errors) CHECK_THAT(e, !Catch::Contains("1234567-8") && !Catch::Contains("no-at-sign"));
}

TEST_CASE("customer CSV: unknown and missing columns are refused", "[csv]") {
  auto csv = read_customer_csv("number,nimi,shoe-size\n1,x,42\n");
  REQUIRE(csv.errors.size() == 3);
  CHECK_THAT(csv.errors[0], Catch::StartsWith("line 1: column 2 is not a customer field (known: number, name"));
  for (const auto& e : csv.errors) CHECK_THAT(e, !Catch::Contains("nimi") && !Catch::Contains("shoe-size"));
  CHECK_THAT(csv.errors[2], Catch::Contains("no 'name' column"));
}

TEST_CASE("customer CSV: every field survives export and import", "[csv]") {
  Customer c;
  c.created_at = 1700000000;
  c.current.version = 2;
  c.current.recorded_by = "ceo";
  for (const auto& spec : customer_fields()) c.current.record.set(spec.key, std::string("Å ") + spec.key);
  c.current.record.set("business-id", "2468114-6");
  c.current.record.set("payer-business-id", "0112038-9");
  c.current.record.set("email", "åsa@example.fi");
  c.current.record.set("billing-email", "lasku@example.fi");
  c.current.record.set("payer-email", "maksaja@example.fi");
  c.current.record.set("phone", "+358 40 123 4567");
  c.current.record.set("source", "ytj");
  c.current.record.set("address", "Storgatan 1\n65100 Vasa");
  c.current.record.set("name", "=SUM(A1) \"Ölli\"; Oy, Ab");
  c.current.record.feedback = {{"2026-01-02", "Bra, tack"}, {"2026-02-03", "Hyvä \"palvelu\""}};
  for (char sep : {',', ';', '\t'}) {
    for (bool bom : {false, true}) {
      std::string text = write_customer_csv({c}, {sep, bom});
      CHECK_THAT(text, Catch::Contains("'=SUM"));  // a spreadsheet will not run it
      auto back = read_customer_csv(text);
      REQUIRE(back.errors.empty());
      REQUIRE(back.records.size() == 1);
      CHECK(back.records[0] == c.current.record);
    }
  }
}

TEST_CASE("customer CSV: a file that is not UTF-8 is named as such", "[csv]") {
  auto csv = read_customer_csv("number;name\n1;Hyv\xe4 Oy\n");  // Windows-1252 "Hyvä"
  REQUIRE(csv.errors.size() == 1);
  CHECK_THAT(csv.errors[0], Catch::StartsWith("line 2: the file is not UTF-8"));
}
