// test_consent_import.cpp — kaappi consent import end to end: a file's rows
// recorded exactly as the same `consent set` commands record them, and every
// kind of bad file refused as a whole, each bad row named, nothing written.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// customers 1001 (with one imported document) and 1002.
struct Register {
  Sandbox s;
  long doc = 0;
  Register() {
    s.init_archive_with_customer();
    Result r = s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    doc = s.import({s.make_pdf("lomake.pdf", {"--seed", "61"})}).at(0);
  }
};

// A customer's history as JSON, without the times of recording (two
// archives filled a moment apart differ only in them).
nlohmann::json history(const Sandbox& s, const std::string& customer) {
  Result r = s.kaappi({"consent", "history", customer, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  for (auto& e : j["events"]) e.erase("recorded");
  return j;
}

std::string show(const Sandbox& s, const std::string& customer) {
  Result r = s.kaappi({"consent", "show", customer, "--as-of", "2030-01-01", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("consent import records each row as consent set would", "[consent-import]") {
  Register imported, by_hand;
  REQUIRE(imported.doc == by_hand.doc);
  const std::string d = std::to_string(imported.doc);
  // A BOM, semicolons, columns in another order and case, a note with the
  // separator, a comma, a quote and a line break, empty optional cells.
  write_text(imported.s.path("consents.csv"),
             "\xEF\xBB\xBF" "Customer;STATE;purpose;Effective;source;document;note\r\n"
             "1001;granted;email-marketing;2025-01-05;;" + d + ";\"signed at the fair; \"\"Porvoo\"\", stand 4\nsecond line\"\r\n"
             "1002;refused;sms-marketing;2025-02-01;phone;;\r\n"
             "1001;granted;ban-direct-marketing;;e-mail;;\r\n"
             "1002;withdrawn;research;2025-03-01;web-form;;asked, politely\r\n");
  Result r = imported.s.kaappi({"consent", "import", imported.s.path("consents.csv")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "Recorded 4 consent events\n");

  auto set = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"consent", "set"});
    Result x = by_hand.s.kaappi(args);
    INFO(x.err);
    REQUIRE(x.exit_code == 0);
  };
  set({"--customer", "1001", "--purpose", "email-marketing", "--state", "granted", "--effective", "2025-01-05",
       "--document", d, "--note", "signed at the fair; \"Porvoo\", stand 4\nsecond line"});
  set({"--customer", "1002", "--purpose", "sms-marketing", "--state", "refused", "--effective", "2025-02-01",
       "--source", "phone"});
  set({"--customer", "1001", "--purpose", "ban-direct-marketing", "--state", "granted", "--source", "e-mail"});
  set({"--customer", "1002", "--purpose", "research", "--state", "withdrawn", "--effective", "2025-03-01",
       "--source", "web-form", "--note", "asked, politely"});

  for (const std::string customer : {"1001", "1002"}) {
    CHECK(history(imported.s, customer) == history(by_hand.s, customer));
    CHECK(show(imported.s, customer) == show(by_hand.s, customer));
  }
  auto events = history(imported.s, "1001")["events"];
  REQUIRE(events.size() == 2);
  CHECK(events[0]["source"] == "signed-form");  // the default with a document
  CHECK(events[0]["document"] == imported.doc);
  CHECK(events[1]["source"] == "email");
  CHECK(events[1]["effective"].get<std::string>().size() == 10);  // today, as consent set's default

  Result json = imported.s.kaappi({"consent", "import", imported.s.path("consents.csv"), "--json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out) == nlohmann::json{{"imported", 4}});
  CHECK(history(imported.s, "1002")["events"].size() == 4);
  Result verify = imported.s.kaappi({"verify"});
  CHECK(verify.exit_code == 0);
}

TEST_CASE("consent import refuses a bad file whole, naming every bad row, and writes nothing", "[consent-import]") {
  Register reg;
  Sandbox& s = reg.s;
  const std::string d = std::to_string(reg.doc);
  write_text(s.path("first.csv"), "customer,purpose,state\n1001,research,granted\n");
  REQUIRE(s.kaappi({"consent", "import", s.path("first.csv")}).exit_code == 0);
  const std::string header = "customer,purpose,state,effective,source,document,note\n";
  const std::string intro = "kaappi: the CSV file has ";
  const std::string nothing = "; nothing was imported (fix the file and import all of it again):\n";
  struct Case {
    const char* name;
    std::string text, problems;  // problems: what follows the first line of the message
  };
  const std::vector<Case> cases = {
      {"unknown customer", header + "1001,research,granted,,,,\n9999,research,granted,,,,\n",
       "1 problem" + nothing + "  line 3, field 'customer': no customer with the number '9999' (see kaappi customer list)\n"},
      {"bad purpose", header + "1001,newsletter,granted,,,,\n",
       "1 problem" + nothing + "  line 2: unknown purpose 'newsletter'; use one of: email-marketing, sms-marketing, "
       "electronic-marketing, personal-data, research, development-contact, ban-direct-advertising, "
       "ban-distance-selling, ban-direct-marketing\n"},
      {"bad state", header + "1001,research,yes,,,,\n1001,research,retracted,,,,\n",
       "2 problems" + nothing + "  line 2: field 'state' must be granted, refused or withdrawn, not 'yes'\n"
       "  line 3: field 'state' must be granted, refused or withdrawn, not 'retracted'\n"},
      {"bad source", header + "1001,research,granted,,fax,,\n",
       "1 problem" + nothing +
       "  line 2: field 'source' must be signed-form, email, phone, web-form or other, not 'fax'\n"},
      {"signed form without its document", header + "1001,research,granted,,signed-form,,\n",
       "1 problem" + nothing + "  line 2: a signed form is evidence only with its document: add field 'document' ID\n"},
      {"bad dates", header + "1001,research,granted,2025-02-30,,,\n1001,research,granted,1.2.2025,,,\n",
       "2 problems" + nothing + "  line 2: field 'effective' must be a date like 2026-01-31, not '2025-02-30'\n"
       "  line 3: field 'effective' must be a date like 2026-01-31, not '1.2.2025'\n"},
      {"document not a number", header + "1001,research,granted,,,#1,\n",
       "1 problem" + nothing +
       "  line 2, field 'document': must be a document id (a number, see kaappi documents), not '#1'\n"},
      {"document that does not exist", header + "1001,research,granted,,,999,\n",
       "1 problem" + nothing + "  line 2, field 'document': no document 999 (see kaappi documents)\n"},
      {"another customer's document", header + "1002,research,granted,,," + d + ",\n",
       "1 problem" + nothing + "  line 2, field 'document': document " + d +
       " belongs to another customer; nothing was changed\n"},
      {"missing customer number", header + " ,research,granted,,,,\n",
       "1 problem" + nothing + "  line 2, field 'customer': no customer number\n"},
      {"missing required column", "customer,purpose,effective\n1001,research,2025-01-01\n",
       "1 problem" + nothing + "  line 1: the header has no 'state' column\n"},
      {"unknown extra column", "customer,purpose,state,channel\n1001,research,granted,web\n",
       "1 problem" + nothing + "  line 1: column 4 is not a consent column (known: customer, purpose, state, "
       "effective, source, document, note); the header's first line is not shown, in case the file is not the one meant\n"},
      {"duplicate column", "customer,purpose,state,Purpose\n1001,research,granted,sms-marketing\n",
       "1 problem" + nothing + "  line 1: column 'purpose' appears twice\n"},
      {"empty file", "",
       "1 problem" + nothing + "  line 1: the file is empty; expected a header row naming the columns, e.g. customer, "
       "purpose, state\n"},
      {"header only", header,
       "1 problem" + nothing + "  line 2: the file has a header row but no consent events\n"},
      {"not UTF-8", header + "1001,research,granted,,,,\n1001,research,granted,,,,Hyv\xe4 asiakas\n",
       "1 problem" + nothing + "  line 3: the file is not UTF-8 text (in Excel, save as \"CSV UTF-8\"); nothing else "
       "was checked\n"},
      {"a row too short", header + "1001,research\n",
       "1 problem" + nothing + "  line 2: has 2 values but the header names 7 columns\n"},
      {"several bad rows at once", header + "1001,research,granted,,,,\n8888,research,granted,,,,\n"
                                            "1001,research,maybe,,,,\n1001,research,granted,2025-13-01,,,\n",
       "3 problems" + nothing + "  line 3, field 'customer': no customer with the number '8888' (see kaappi customer list)\n"
       "  line 4: field 'state' must be granted, refused or withdrawn, not 'maybe'\n"
       "  line 5: field 'effective' must be a date like 2026-01-31, not '2025-13-01'\n"},
  };
  const nlohmann::json history_before = history(s, "1001");  // a read, logged: before the fingerprint
  const std::string before = s.archive_fingerprint();
  for (const auto& c : cases) {
    INFO(c.name);
    write_text(s.path("bad.csv"), c.text);
    Result r = s.kaappi({"consent", "import", s.path("bad.csv")});
    CHECK(r.exit_code == 4);
    CHECK(r.out.empty());
    std::string err = r.err;
    const std::string warning = "published example key";
    while (err.find(warning) != std::string::npos) err.erase(0, err.find('\n', err.find(warning)) + 1);
    CHECK(err == intro + c.problems);
    CHECK(s.archive_fingerprint() == before);
  }
  CHECK(history(s, "1001") == history_before);
  CHECK(history(s, "1002")["events"].empty());
}
