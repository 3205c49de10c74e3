// test_form_scan.cpp — every form template fits what the PDF helper's form
// reader may put in a summary (pdf/form_scan.h), and what it takes for a
// kaappi form's code (pdf/form_code.h) and what not.
#include <catch2/catch.hpp>

#include <cmath>

#include "pdf/form_code.h"
#include "pdf/form_layout.h"
#include "pdf/form_scan.h"

using namespace kaappi;

TEST_CASE("every form template's boxes fit the summary's limits for crops", "[form-scan]") {
  for (int version = 1; version <= form::current_form_template(); ++version) {
    const form::TemplateLayout* t = form::form_template(version);
    REQUIRE(t != nullptr);
    for (const form::PageLayout& page : t->pages) {
      CHECK(static_cast<int>(page.boxes.size()) <= form::k_max_boxes_per_page);
      for (const form::Box& b : page.boxes) {
        CHECK(std::lround((b.outline.w + 2 * form::k_crop_margin_mm) * form::k_crop_px_per_mm) <= form::k_max_crop_side_px);
        CHECK(std::lround((b.outline.h + 2 * form::k_crop_margin_mm) * form::k_crop_px_per_mm) <= form::k_max_crop_side_px);
      }
    }
  }
  // Template 1's 6 mm boxes give 80x80 crops.
  CHECK((6 + 2 * form::k_crop_margin_mm) * form::k_crop_px_per_mm == 80);
}

TEST_CASE("the form reader takes only kaappi form codes of a known format", "[form-scan]") {
  form::FormCode c;
  c.template_version = 1;
  c.page = 2;
  c.instance.fill(0xab);
  c.mac.fill(0xcd);
  const std::string text = form::encode_form_code(c);
  auto parsed = form::parse_form_code(text);
  REQUIRE(parsed);
  CHECK(parsed->template_version == 1);
  CHECK(parsed->page == 2);
  CHECK(parsed->instance == c.instance);
  CHECK_FALSE(form::parse_form_code("https://example.com/KAAPPI:"));
  CHECK_FALSE(form::parse_form_code("kaappi:" + text.substr(7)));
  CHECK_FALSE(form::parse_form_code(text.substr(0, text.size() - 1)));
  CHECK_FALSE(form::parse_form_code(text + "A"));
  CHECK_FALSE(form::parse_form_code(""));
}
