// test_register.cpp — the customer register end to end: every field,
// rectification history, search, CSV import and export.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// Every register field with a value that exercises it.
const std::vector<std::pair<std::string, std::string>> k_full_record = {
    {"number", "A-7001"},
    {"name", "Ålands Örtförädling Ab"},
    {"business-id", "0112038-9"},
    {"email", "asa.ostman@ortforadling.ax"},
    {"phone", "+358 18 123 456"},
    {"address", "Torggatan 5\n22100 Mariehamn"},
    {"billing-name", "Ekonomiavdelningen"},
    {"billing-address", "PB 12, 22101 Mariehamn"},
    {"billing-email", "faktura@ortforadling.ax"},
    {"e-invoice-address", "003701120389"},
    {"e-invoice-operator", "003721291126"},
    {"payer-name", "Moderbolaget Öst Oy"},
    {"payer-business-id", "2468114-6"},
    {"payer-address", "Ebban tie 24, 06400 Porvoo"},
    {"payer-email", "reskontra@moderbolaget.fi"},
    {"payment-method", "e-invoice"},
    {"payment-notes", "Paid 14 days late in 3/2026; reminder sent"},
    {"source", "ytj"},
};

std::string json_key(std::string k) {
  for (auto& c : k)
    if (c == '-') c = '_';
  return k;
}

std::vector<std::string> add_args() {
  std::vector<std::string> args = {"customer", "add"};
  for (const auto& [k, v] : k_full_record) {
    args.push_back("--" + k);
    args.push_back(v);
  }
  return args;
}

// The export without its read-only columns (version, created, changed, changed-by).
std::string importable_part(const std::string& csv) {
  std::string out;
  size_t start = 0;
  while (start < csv.size()) {
    size_t end = csv.find("\r\n", start);
    std::string line = csv.substr(start, end - start);
    // the last four columns never hold separators or quotes
    for (int k = 0; k < 4; ++k) line = line.substr(0, line.rfind(','));
    out += line + "\n";
    start = end + 2;
  }
  return out;
}

}  // namespace

TEST_CASE("every register field round-trips through add, show, export and import", "[register]") {
  Sandbox s;
  REQUIRE(s.kaappi({"init", "--reuse-key"}).exit_code == 0);
  Result add = s.kaappi(add_args());
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  REQUIRE(s.kaappi({"customer", "feedback", "A-7001", "--text", "Mycket nöjd med leveransen", "--date", "2026-04-03"})
              .exit_code == 0);

  Result show = s.kaappi({"customer", "show", "A-7001", "--json"});
  REQUIRE(show.exit_code == 0);
  auto j = nlohmann::json::parse(show.out);
  for (const auto& [k, v] : k_full_record) {
    INFO(k);
    CHECK(j[json_key(k)] == v);
  }
  CHECK(j["feedback"][0]["date"] == "2026-04-03");
  CHECK(j["feedback"][0]["text"] == "Mycket nöjd med leveransen");
  CHECK(j["version"] == 2);
  CHECK(!j["created"].get<std::string>().empty());
  CHECK(!j["created_by"].get<std::string>().empty());

  Result text = s.kaappi({"customer", "show", "A-7001"});
  CHECK_THAT(text.out, Catch::Contains("E-invoice operator: 003721291126") && Catch::Contains("Source:") &&
                           Catch::Contains("2026-04-03  Mycket nöjd") && Catch::Contains("Saved:"));
  // A multi-line address reads as lines under its label, not as escapes.
  CHECK_THAT(text.out, Catch::Contains("Address:            Torggatan 5\n                    22100 Mariehamn\n"));
  CHECK(text.out.find("\\x0a") == std::string::npos);

  Result exp = s.kaappi({"customer", "export", "-o", s.path("out.csv")});
  INFO(exp.err);
  REQUIRE(exp.exit_code == 0);
  struct stat st {};
  REQUIRE(::stat(s.path("out.csv").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string first = read_text(s.path("out.csv"));
  CHECK(s.kaappi({"customer", "export", "-o", s.path("out.csv")}).exit_code == 4);  // no silent overwrite

  Sandbox other;
  REQUIRE(other.kaappi({"init", "--reuse-key"}).exit_code == 0);
  Result imp = other.kaappi({"customer", "import", s.path("out.csv")});
  INFO(imp.err);
  REQUIRE(imp.exit_code == 0);
  CHECK_THAT(imp.out, Catch::Contains("Imported 1 customer"));
  auto j2 = nlohmann::json::parse(other.kaappi({"customer", "show", "A-7001", "--json"}).out);
  for (const auto& [k, v] : k_full_record) CHECK(j2[json_key(k)] == v);
  CHECK(j2["feedback"] == j["feedback"]);
  Result again = other.kaappi({"customer", "export", "-o", "-", "--separator", "semicolon", "--bom"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.substr(0, 3) == "\xEF\xBB\xBF");
  Sandbox third;
  REQUIRE(third.kaappi({"init", "--reuse-key"}).exit_code == 0);
  write_text(third.path("semi.csv"), again.out);
  REQUIRE(third.kaappi({"customer", "import", third.path("semi.csv")}).exit_code == 0);
  std::string last = third.kaappi({"customer", "export", "-o", "-"}).out;
  CHECK(importable_part(last) == importable_part(first));
}

TEST_CASE("a rectification keeps the old values: history shows every version with when, who and why", "[register]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "edit", "1001", "--email", "uusi.osoite@example.fi", "--address",
                    "Mannerheimintie 1, Helsinki", "--source", "customer", "--reason", "Customer called 2026-03-02"})
              .exit_code == 0);
  REQUIRE(s.kaappi({"customer", "edit", "1001", "--phone", "", "--business-id", "0112038-9", "--source", "ytj",
                    "--reason", "Checked from YTJ"})
              .exit_code == 0);
  Result h = s.kaappi({"customer", "history", "1001", "--json"});
  REQUIRE(h.exit_code == 0);
  auto v = nlohmann::json::parse(h.out)["versions"];
  REQUIRE(v.size() == 3);
  CHECK(v[0]["record"]["email"] == "anna.asiakas@example.fi");
  CHECK(v[0]["record"]["phone"] == "+358 40 123 4567");
  CHECK(v[1]["reason"] == "Customer called 2026-03-02");
  CHECK(v[1]["record"]["email"] == "uusi.osoite@example.fi");
  CHECK(v[1]["changes"].size() == 2);
  CHECK(v[2]["reason"] == "Checked from YTJ");
  CHECK(v[2]["record"]["phone"] == "");
  CHECK(v[2]["record"]["business_id"] == "0112038-9");
  CHECK(v[2]["record"]["source"] == "ytj");
  for (const auto& version : v) CHECK(!version["recorded_by"].get<std::string>().empty());

  Result text = s.kaappi({"customer", "history", "1001"});
  CHECK_THAT(text.out, Catch::Contains("3 versions") &&
                           Catch::Contains("email: \"anna.asiakas@example.fi\" -> \"uusi.osoite@example.fi\"") &&
                           Catch::Contains("phone: \"+358 40 123 4567\" -> (empty)") &&
                           Catch::Contains("reason: Checked from YTJ"));
  auto now = nlohmann::json::parse(s.kaappi({"customer", "show", "1001", "--json"}).out);
  CHECK(now["email"] == "uusi.osoite@example.fi");
  CHECK(now["version"] == 3);

  std::string before = s.archive_fingerprint();
  Result no_reason = s.kaappi({"customer", "edit", "1001", "--email", "x@example.fi"});
  CHECK(no_reason.exit_code == 2);
  Result number = s.kaappi({"customer", "edit", "1001", "--number", "1002", "--reason", "x"});
  CHECK(number.exit_code == 2);  // --number is not an edit option
  Result same = s.kaappi({"customer", "edit", "1001", "--email", "uusi.osoite@example.fi", "--reason", "again"});
  CHECK(same.exit_code == 4);
  CHECK_THAT(same.err, Catch::Contains("nothing was recorded"));
  Result bad = s.kaappi({"customer", "edit", "1001", "--payer-business-id", "1234567-8", "--reason", "x"});
  CHECK(bad.exit_code == 4);
  CHECK_THAT(bad.err, Catch::Contains("payer-business-id") && !Catch::Contains("1234567-8"));
  Result source = s.kaappi({"customer", "edit", "1001", "--source", "gossip", "--reason", "x"});
  CHECK(source.exit_code == 4);
  CHECK(s.kaappi({"customer", "edit", "9999", "--email", "a@b.fi", "--reason", "x"}).exit_code == 5);
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("search finds customers by name, number, business ID or e-mail, ignoring case and accents", "[register]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "2002", "--name", "Åström & Söderqvist Kb", "--email",
                    "info@astrom.ax"}).exit_code == 0);
  REQUIRE(s.kaappi({"customer", "add", "--number", "2003", "--name", "Hämeenlinnan Äänitys Oy", "--business-id",
                    "0112038-9"}).exit_code == 0);
  auto numbers = [&](const std::string& query) {
    Result r = s.kaappi({"customer", "list", "--search", query, "--json"});
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> out;
    auto j = nlohmann::json::parse(r.out);
    for (const auto& c : j["customers"]) out.push_back(c["number"]);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(numbers("astrom") == V{"2002"});
  CHECK(numbers("ÅSTRÖM") == V{"2002"});
  CHECK(numbers("söderqvist åström") == V{"2002"});  // every word, any order
  CHECK(numbers("hameenlinnan aanitys") == V{"2003"});
  CHECK(numbers("HÄMEEN") == V{"2003"});
  CHECK(numbers("0112038-9") == V{"2003"});
  CHECK(numbers("ANNA.ASIAKAS@") == V{"1001"});
  CHECK(numbers("1001") == V{"1001"});
  CHECK(numbers("oy") == V{"1001", "2003"});
  CHECK(numbers("nobody") == V{});
  CHECK(s.kaappi({"customer", "list", "--search", "  "}).exit_code == 2);
  // Search follows rectifications: the old name no longer matches.
  REQUIRE(s.kaappi({"customer", "edit", "2003", "--name", "Tampereen Tallenne Oy", "--reason", "name changed"})
              .exit_code == 0);
  CHECK(numbers("hameenlinnan") == V{});
  CHECK(numbers("tallenne") == V{"2003"});
  Result text = s.kaappi({"customer", "list", "--search", "zzz"});
  CHECK(text.out == "NUMBER\tNAME\tBUSINESS ID\tEMAIL\n");  // the header, always
  CHECK_THAT(text.err, Catch::Contains("no customer matches"));
}

TEST_CASE("a CSV with bad rows is refused whole, naming every bad row and field", "[register]") {
  Sandbox s;
  s.init_archive_with_customer();
  write_text(s.path("bad.csv"),
                    "\xEF\xBB\xBFnumber;name;business-id;email;phone\r\n"
                    "3001;Hyvä Oy;2468114-6;hyva@example.fi;\r\n"
                    "3002;Väärä Tunnus Oy;2468114-5;;\r\n"
                    "3003;;;;\r\n"
                    "1001;Jo olemassa;;;\r\n"
                    "3004;Huono Posti;;ei-osoite;\r\n"
                    "3001;Kahdesti;;;\r\n"
                    "3005;Puhelin;;;soita minulle\r\n");
  std::string before = s.archive_fingerprint();
  Result r = s.kaappi({"customer", "import", s.path("bad.csv")});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("6 problems; nothing was imported"));
  for (const char* expected :
       {"line 3, field 'business-id'", "line 4, field 'name'", "line 5, field 'number'", "line 6, field 'email'",
        "line 7, field 'number': the same customer number is already on line 2", "line 8, field 'phone'"}) {
    INFO(expected);
    CHECK_THAT(r.err, Catch::Contains(std::string("\n  ") + expected));  // each bad row on a line of its own
  }
  CHECK_THAT(r.err, !Catch::Contains("\\x0a"));
  for (const char* value : {"2468114-5", "ei-osoite", "soita minulle", "Väärä"}) CHECK_THAT(r.err, !Catch::Contains(value));
  CHECK(s.archive_fingerprint() == before);
  CHECK(sql_value(s, "SELECT count(*) FROM customers") == "1");  // (a list would log its read)

  write_text(s.path("unknown.csv"), "number,name,kengännumero\n3001,X,42\n");
  Result unknown = s.kaappi({"customer", "import", s.path("unknown.csv")});
  CHECK(unknown.exit_code == 4);
  CHECK_THAT(unknown.err, Catch::Contains("line 1: column 3 is not a customer field"));
  CHECK_THAT(unknown.err, !Catch::Contains("kengännumero"));
  // A file that is no CSV (here a passphrase file given by mistake): its first line is never echoed.
  Result secret = s.kaappi({"customer", "import", s.pass()});
  CHECK(secret.exit_code == 4);
  CHECK_THAT(secret.err, !Catch::Contains("kaappi-example-passphrase"));
  write_text(s.path("open.csv"), "number,name\n3001,\"never closed\n");
  Result open = s.kaappi({"customer", "import", s.path("open.csv")});
  CHECK(open.exit_code == 4);
  CHECK_THAT(open.err, Catch::Contains("line 2: a quoted value is never closed"));
  CHECK(s.kaappi({"customer", "import", s.path("missing.csv")}).exit_code == 5);
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("Finnish and Swedish characters survive CSV import, search and export", "[register]") {
  Sandbox s;
  REQUIRE(s.kaappi({"init", "--reuse-key"}).exit_code == 0);
  write_text(s.path("excel.csv"),
                    "\xEF\xBB\xBFnumber;name;address;payment-notes\r\n"
                    "4001;Äänekosken Öljy ja Jää Oy;\"Kävelykatu 5\r\nÄänekoski\";Myöhässä 2 kertaa\r\n"
                    "4002;Östra Åbo Ägg Ab;Åkervägen 2, Åbo;\r\n");
  Result imp = s.kaappi({"customer", "import", s.path("excel.csv")});
  INFO(imp.err);
  REQUIRE(imp.exit_code == 0);
  auto found = nlohmann::json::parse(s.kaappi({"customer", "list", "--search", "aanekosken jaa", "--json"}).out);
  REQUIRE(found["customers"].size() == 1);
  CHECK(found["customers"][0]["name"] == "Äänekosken Öljy ja Jää Oy");
  CHECK(found["customers"][0]["address"] == "Kävelykatu 5\r\nÄänekoski");
  CHECK(nlohmann::json::parse(s.kaappi({"customer", "list", "--search", "ÖSTRA ÅBO", "--json"}).out)["customers"].size() ==
        1);
  std::string out = s.kaappi({"customer", "export", "-o", "-"}).out;
  CHECK_THAT(out, Catch::Contains("Äänekosken Öljy ja Jää Oy") && Catch::Contains("Östra Åbo Ägg Ab") &&
                      Catch::Contains("Åkervägen 2, Åbo") && Catch::Contains("Myöhässä 2 kertaa"));
}

TEST_CASE("the index holds none of the register's or ledger's personal data in plaintext", "[register][privacy]") {
  Sandbox s;
  REQUIRE(s.kaappi({"init", "--reuse-key"}).exit_code == 0);
  REQUIRE(s.kaappi(add_args()).exit_code == 0);
  REQUIRE(s.kaappi({"customer", "feedback", "A-7001", "--text", "Kiitos nopeasta toimituksesta"}).exit_code == 0);
  REQUIRE(s.kaappi({"customer", "edit", "A-7001", "--name", "Örtförädlarna Ab", "--reason", "Nimi muuttui kaupparekisterissä"})
              .exit_code == 0);
  write_text(s.path("c.csv"), "number;name;email\nB-8001;Zacharias Topelius;zachris@topelius.fi\n");
  REQUIRE(s.kaappi({"customer", "import", s.path("c.csv")}).exit_code == 0);
  REQUIRE(s.kaappi({"consent", "set", "--customer", "B-8001", "--purpose", "sms-marketing", "--state", "granted",
                    "--source", "phone", "--note", "Puhelinsoitto Zachariakselle"}).exit_code == 0);
  REQUIRE(s.kaappi({"customer", "list", "--search", "topelius"}).exit_code == 0);
  std::string everything;
  Result files = s.run({"/bin/sh", "-c", "find '" + s.archive() + "' -type f"});
  for (size_t start = 0; start < files.out.size();) {
    size_t end = files.out.find('\n', start);
    everything += read_text(files.out.substr(start, end - start));
    start = end + 1;
  }
  CHECK(everything.find("SQLite format") != std::string::npos);  // we really read the index
  std::vector<std::string> secrets;
  for (const auto& [k, v] : k_full_record)
    if (k != "source" && k != "payment-method") secrets.push_back(v);
  for (const char* extra : {"Mariehamn", "ortforadling", "ortforadlarna", "Kiitos nopeasta", "Nimi muuttui", "B-8001",
                            "Topelius", "topelius", "zachris", "Puhelinsoitto", "sms-marketing", "alands"})
    secrets.push_back(extra);
  for (const auto& secret : secrets) {
    INFO(secret);
    CHECK(everything.find(secret) == std::string::npos);
  }
}

TEST_CASE("a crash while importing a CSV, editing or recording consent stores nothing half-way", "[register]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string csv = "number,name\n";
  for (int i = 0; i < 50; ++i) csv += std::to_string(5000 + i) + ",Asiakas " + std::to_string(i) + "\n";
  write_text(s.path("c.csv"), csv);
  auto customers = [&] {
    return nlohmann::json::parse(s.kaappi({"customer", "list", "--json"}).out)["customers"].size();
  };
  for (const char* point : {"index.commit", "index.committed"}) {
    INFO(point);
    Result r = s.kaappi({"customer", "import", s.path("c.csv")}, {{"KAAPPI_FAULT", point}});
    CHECK(r.exit_code == 128 + SIGKILL);
    CHECK_THAT(r.out, !Catch::Contains("Imported"));
    size_t n = customers();
    CHECK((n == 1 || n == 51));  // all or nothing
    CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
    if (n == 51) break;
  }
  Result edit = s.kaappi({"customer", "edit", "1001", "--name", "Uusi Nimi Oy", "--reason", "x"},
                         {{"KAAPPI_FAULT", "index.commit"}});
  CHECK(edit.exit_code == 128 + SIGKILL);
  auto history = nlohmann::json::parse(s.kaappi({"customer", "history", "1001", "--json"}).out)["versions"];
  CHECK(history.size() == 1);
  Result consent = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted",
                             "--source", "phone"},
                            {{"KAAPPI_FAULT", "index.commit"}});
  CHECK(consent.exit_code == 128 + SIGKILL);
  CHECK(nlohmann::json::parse(s.kaappi({"consent", "history", "1001", "--json"}).out)["events"].empty());
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}
