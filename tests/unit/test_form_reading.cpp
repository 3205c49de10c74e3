// test_form_reading.cpp — what kaappi makes of the form pages a PDF
// summary lists (forms/form_reading.h) when the helper could not read a
// page: a page of a form of this archive found but not read is named as
// such, a page not found as missing, and a code not valid here as nothing.
// In-process, with summaries as the PDF helper writes them.
#include <catch2/catch.hpp>
#include <sodium.h>

#include "forms/form_reading.h"
#include "support/printed_forms.h"

using namespace kaappi;
using test::code_of;
using test::Printed;
using test::summary_with;

TEST_CASE("a form's page found in the scan but not read is said so, a page not found is missing", "[forms]") {
  Printed p;
  const SecretBuffer key = p.key();
  SECTION("the boxes' page found on scan page 2, its boxes not placed") {
    const std::vector<ScannedForm> forms = read_scanned_forms(
        p.fx.session(), key, summary_with({{2, {code_of(p.rows[0], 1, key)}}, {3, {code_of(p.rows[0], 2, key)}}}));
    REQUIRE(forms.size() == 1);
    CHECK(forms[0].form.id == p.rows[0].id);
    CHECK_FALSE(forms[0].boxes_read);
    CHECK(forms[0].pages.empty());
    REQUIRE(forms[0].notes.size() == 1);
    CHECK(forms[0].notes[0] ==
          "page 1 of the form, with its boxes, is page 2 of the scan, but its boxes could not be placed (a corner of "
          "the page cut off, or the page badly damaged): record its consents one by one");
  }
  SECTION("only the notice page in the scan") {
    const std::vector<ScannedForm> forms =
        read_scanned_forms(p.fx.session(), key, summary_with({{1, {code_of(p.rows[1], 2, key)}}}));
    REQUIRE(forms.size() == 1);
    CHECK(forms[0].form.id == p.rows[1].id);
    REQUIRE(forms[0].notes.size() == 1);
    CHECK(forms[0].notes[0] == "page 1 of the form, with its boxes, is not in the scan");
  }
  SECTION("a forged code on a page not read: no form") {
    SecretBuffer other(key.size());
    randombytes_buf(other.data(), other.size());
    CHECK(read_scanned_forms(p.fx.session(), key, summary_with({{1, {code_of(p.rows[0], 1, other)}}})).empty());
  }
}
