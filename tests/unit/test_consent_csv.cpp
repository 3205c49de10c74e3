// test_consent_csv.cpp — consent events from CSV in-process: reading and
// checking the rows, and importing them in one write, all or nothing.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "consent/consent_csv.h"
#include "consent/consents.h"
#include "support/archive_fixture.h"

using namespace kaappi;

TEST_CASE("consent CSV: BOM, semicolons, any column order, quoted values, defaults of consent set", "[consent-csv]") {
  auto csv = read_consent_csv(
      "\xEF\xBB\xBF" "note;Purpose;customer;state;SOURCE;document;effective\r\n"
      "\"one; two, \"\"three\"\"\nfour\";email-marketing;1001;granted;;7;2025-01-05\r\n"
      ";research; 1002 ;refused;e-mail;;\r\n");
  REQUIRE(csv.errors.empty());
  REQUIRE(csv.rows.size() == 2);
  const ConsentCsvRow& a_row = csv.rows[0];
  const ConsentEvent a = csv.event(a_row);
  CHECK(a_row.line == 2);
  CHECK(csv.number(a_row) == "1001");
  CHECK(a.purpose == "email-marketing");
  CHECK(a.state == "granted");
  CHECK(a.effective == "2025-01-05");
  CHECK(a.document == 7);
  CHECK(a.source == "signed-form");  // consent set's default with a document
  CHECK(a.note == "one; two, \"three\"\nfour");
  const ConsentCsvRow& b_row = csv.rows[1];
  const ConsentEvent b = csv.event(b_row);
  CHECK(b_row.line == 4);  // the note's line break counts
  CHECK(csv.number(b_row) == " 1002 ");  // as written: the number is trimmed when looked up
  CHECK(b.source == "email");  // consent set's spelling
  CHECK(b.effective.empty());  // the day of the import, filled in when it is recorded
  CHECK_FALSE(b.document);
  CHECK(b.note.empty());
  // Without the optional columns.
  auto minimal = read_consent_csv("customer,purpose,state\n1001,research,withdrawn\n");
  REQUIRE(minimal.rows.size() == 1);
  CHECK(minimal.event(minimal.rows[0]).source == "other");  // consent set's default without a document
}

TEST_CASE("consent CSV: every bad row and column is named with its line", "[consent-csv]") {
  auto csv = read_consent_csv(
      "customer,purpose,state,effective,source,document,note\n"
      "1001,research,granted,,,,\n"
      "1001,newsletter,granted,,,,\n"
      "1001,research,maybe,,,,\n"
      "1001,research,granted,2025-02-29,,,\n"
      "1001,research,granted,,fax,,\n"
      "1001,research,granted,,,x1,\n"
      ",research,granted,,,,\n"
      "1001,research,granted,,,,\"bell \x07\"\n"
      "1001,research\n");
  CHECK(csv.rows.size() == 1);
  REQUIRE(csv.errors.size() == 8);
  CHECK(csv.errors[0] == "line 3: unknown purpose 'newsletter'; use one of: email-marketing, sms-marketing, "
                         "electronic-marketing, personal-data, research, development-contact, ban-direct-advertising, "
                         "ban-distance-selling, ban-direct-marketing");
  CHECK(csv.errors[1] == "line 4: field 'state' must be granted, refused or withdrawn, not 'maybe'");
  CHECK(csv.errors[2] == "line 5: field 'effective' must be a date like 2026-01-31, not '2025-02-29'");
  CHECK(csv.errors[3] == "line 6: field 'source' must be signed-form, email, phone, web-form or other, not 'fax'");
  CHECK(csv.errors[4] == "line 7, field 'document': must be a document id (a number, see kaappi documents), not 'x1'");
  CHECK(csv.errors[5] == "line 8, field 'customer': no customer number");
  CHECK(csv.errors[6] == "line 9: field 'note' must be printable text of at most 4000 bytes");
  CHECK(csv.errors[7] == "line 10: has 2 values but the header names 7 columns");

  auto header = read_consent_csv("Customer,purpose,channel,purpose\n1001,research,web,research\n");
  CHECK(header.rows.empty());
  REQUIRE(header.errors.size() == 3);
  CHECK(header.errors[0] == "line 1: column 3 is not a consent column (known: customer, purpose, state, "
                            "effective, source, document, note); the header's first line is not shown, in case the file is not the one meant");
  CHECK(header.errors[1] == "line 1: column 'purpose' appears twice");
  CHECK(header.errors[2] == "line 1: the header has no 'state' column");

  CHECK(read_consent_csv("").errors ==
        std::vector<std::string>{"line 1: the file is empty; expected a header row naming the columns, e.g. customer, "
                                 "purpose, state"});
  CHECK(read_consent_csv("customer;purpose;state\r\n").errors ==
        std::vector<std::string>{"line 2: the file has a header row but no consent events"});
  CHECK(read_consent_csv("customer,purpose,state\n1001,research,granted\n1002,research,granted,Hyv\xe4\n").errors ==
        std::vector<std::string>{"line 3: the file is not UTF-8 text (in Excel, save as \"CSV UTF-8\"); nothing "
                                 "else was checked"});
}

TEST_CASE("consent import: events recorded as record_consent records them, in one write", "[consent-csv]") {
  test::ArchiveFixture fx;
  Customer a = fx.add_customer("1001", "Yksi Oy");
  Customer b = fx.add_customer("1002", "Kaksi Oy");
  Session& s = fx.session();
  ConsentEvent by_hand;
  by_hand.purpose = "sms-marketing";
  by_hand.state = "granted";
  by_hand.source = "phone";
  by_hand.note = "soitti";
  record_consent(s, a, by_hand);
  const TransactionRow before = s.index().head();

  auto csv = read_consent_csv("customer,purpose,state,source,note\n1001,sms-marketing,granted,phone,soitti\n"
                              "1002,ban-direct-marketing,granted,,\n1001,sms-marketing,withdrawn,phone,\n");
  REQUIRE(csv.errors.empty());
  CHECK(import_consent_events(s, csv) == 3);
  CHECK(s.index().head().last_seq == before.last_seq + 3);  // three rows, in one transaction
  CHECK(s.index().head().tx == before.tx + 1);

  auto of_a = consent_events(s, a);
  REQUIRE(of_a.size() == 3);
  ConsentEvent recorded = of_a[0], imported = of_a[1];
  CHECK(imported.id == recorded.id + 1);
  imported.id = recorded.id;
  CHECK(encode_consent_event(imported) == encode_consent_event(recorded));  // the same event, byte for byte
  CHECK(imported.effective == "2026-03-01");  // the fixture clock's day
  CHECK(imported.recorded_by == test::ArchiveFixture::k_actor);
  CHECK(imported.recorded_at == recorded.recorded_at);
  CHECK(of_a[2].state == "withdrawn");
  auto of_b = consent_events(s, b);
  REQUIRE(of_b.size() == 1);
  CHECK(of_b[0].source == "other");
}

TEST_CASE("consent import: an unknown customer or document refuses the whole file, nothing written", "[consent-csv]") {
  test::ArchiveFixture fx;
  Customer a = fx.add_customer("1001", "Yksi Oy");
  Session& s = fx.session();
  const TransactionRow before = s.index().head();
  auto csv = read_consent_csv("customer,purpose,state,document\n1001,research,granted,\n1002,research,granted,\n"
                              "1001,research,granted,5\n1002,research,refused,\n");
  REQUIRE(csv.errors.empty());
  try {
    import_consent_events(s, csv);
    FAIL("imported");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::rejected);
    CHECK(std::string(e.what()) ==
          "the CSV file has 3 problems; nothing was imported (fix the file and import all of it again):\n"
          "  line 3, field 'customer': no customer with the number '1002' (see kaappi customer list)\n"
          "  line 4, field 'document': no document 5 (see kaappi documents)\n"
          "  line 5, field 'customer': no customer with the number '1002' (see kaappi customer list)");
  }
  CHECK(s.index().head().tx == before.tx);
  CHECK(consent_events(s, a).empty());
}
