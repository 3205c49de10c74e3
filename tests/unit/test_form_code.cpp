// test_form_code.cpp — a printed form's QR code (pdf/form_code.h,
// forms/form_instances.h): the payload's text round trip and what it refuses,
// base32 by RFC 4648's vectors, the MAC under the archive's form-code key,
// and the verdict on a code read back (valid, forged, unknown form or
// template, not kaappi's); print_forms' rows and refusals. In-process.
#include <catch2/catch.hpp>
#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>

#include "base/error.h"
#include "export/register_texts.h"
#include "export/form_print.h"
#include "forms/form_instances.h"
#include "pdf/form_layout.h"
#include "rights/personal_reads.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"

using namespace kaappi;

namespace {

std::string b32(const std::string& s) {
  return form::base32(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

form::FormCode sample_code() {
  form::FormCode c;
  c.template_version = 1;
  c.page = 2;
  for (size_t i = 0; i < c.instance.size(); ++i) c.instance[i] = static_cast<std::uint8_t>(i * 7 + 1);
  for (size_t i = 0; i < c.mac.size(); ++i) c.mac[i] = static_cast<std::uint8_t>(0xf0 - i);
  return c;
}

RegisterTexts example_texts() {
  return read_register_texts(std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example", "template");
}

}  // namespace

TEST_CASE("base32 is RFC 4648's, upper case and unpadded, and refuses anything else", "[forms]") {
  CHECK(b32("") == "");
  CHECK(b32("f") == "MY");
  CHECK(b32("fo") == "MZXQ");
  CHECK(b32("foo") == "MZXW6");
  CHECK(b32("foob") == "MZXW6YQ");
  CHECK(b32("fooba") == "MZXW6YTB");
  CHECK(b32("foobar") == "MZXW6YTBOI");
  CHECK(form::unbase32("MZXW6YTBOI") == std::optional<std::string>("foobar"));
  CHECK_FALSE(form::unbase32("mzxw6ytboi"));   // lower case
  CHECK_FALSE(form::unbase32("MZXW6YTBOI=="));  // padding
  CHECK_FALSE(form::unbase32("MZXW6YTBO1"));   // not in the alphabet
  CHECK_FALSE(form::unbase32("MZ"));           // MY is "f": MZ has padding bits set
  CHECK_FALSE(form::unbase32("MZXW6YTBOIA"));  // a character too many for whole bytes
}

TEST_CASE("a form code's text round-trips and names no customer", "[forms]") {
  const form::FormCode c = sample_code();
  const std::string text = form::encode_form_code(c);
  CHECK(text.rfind("KAAPPI:", 0) == 0);
  CHECK(text.size() == 7 + 44);
  for (char ch : text) CHECK(((ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '7') || ch == ':'));  // QR alphanumeric
  auto back = form::parse_form_code(text);
  REQUIRE(back);
  CHECK(back->template_version == 1);
  CHECK(back->page == 2);
  CHECK(back->instance == c.instance);
  CHECK(back->mac == c.mac);

  CHECK_FALSE(form::parse_form_code("https://example.com/KAAPPI:"));
  CHECK_FALSE(form::parse_form_code("kaappi:" + text.substr(7)));
  CHECK_FALSE(form::parse_form_code(text.substr(0, text.size() - 1)));
  CHECK_FALSE(form::parse_form_code(text + "A"));
  CHECK_FALSE(form::parse_form_code(""));
  form::FormCode zero_page = c;
  zero_page.page = 0;
  CHECK_FALSE(form::parse_form_code(form::encode_form_code(zero_page)));
  // Another code format (the first byte) is not read.
  auto bytes = form::unbase32(text.substr(7));
  REQUIRE(bytes);
  (*bytes)[0] = 2;
  CHECK_FALSE(form::parse_form_code(
      "KAAPPI:" + form::base32(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size())));
}

TEST_CASE("template 1's layout keeps the boxes, marks and QR code apart and on the page", "[forms]") {
  const form::TemplateLayout* t = form::form_template(1);
  REQUIRE(t);
  CHECK(form::form_template(form::current_form_template()) != nullptr);
  CHECK_FALSE(form::form_template(0));
  CHECK_FALSE(form::form_template(2));
  REQUIRE(t->pages.size() == 2);
  CHECK(t->pages[0].boxes.size() == 9);
  CHECK(t->pages[1].boxes.empty());
  const auto inside = [&](const form::Rect& r, double margin) {
    return r.x >= margin && r.y >= margin && r.x + r.w <= t->page_width - margin &&
           r.y + r.h <= t->page_height - margin;
  };
  const auto apart = [](const form::Rect& a, const form::Rect& b, double gap) {
    return a.x + a.w + gap <= b.x || b.x + b.w + gap <= a.x || a.y + a.h + gap <= b.y || b.y + b.h + gap <= a.y;
  };
  // Printers cannot print the outer 5 mm.
  for (const auto& m : t->marks) CHECK(inside(m, 5));
  const form::Rect quiet{t->qr.x - t->qr_quiet, t->qr.y - t->qr_quiet, t->qr.w + 2 * t->qr_quiet,
                         t->qr.h + 2 * t->qr_quiet};
  CHECK(inside(quiet, 5));
  for (const auto& m : t->marks) CHECK(apart(m, quiet, 0));
  for (size_t i = 0; i < t->pages[0].boxes.size(); ++i) {
    const auto& b = t->pages[0].boxes[i];
    CHECK(inside(b.outline, 20));
    CHECK(apart(b.outline, quiet, 10));
    for (size_t j = i + 1; j < t->pages[0].boxes.size(); ++j) CHECK(apart(b.outline, t->pages[0].boxes[j].outline, 4));
  }
}

TEST_CASE("a code is valid only with this archive's MAC and a form printed here", "[forms]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Session& s = fx.session();
  FormPrintOptions o;
  o.customers = {"1001"};
  o.blank = 1;
  o.output = fx.dir() + "/forms.pdf";
  const auto printed = print_forms(s, o, example_texts());
  REQUIRE(printed.size() == 2);
  CHECK(printed[0].customer == "1001");
  CHECK(printed[1].customer.empty());

  const auto rows = s.index().form_instances();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].customer_id == anna.id);
  CHECK(rows[1].customer_id == 0);
  CHECK(rows[0].template_version == 1);
  CHECK(rows[0].language == "fi");
  CHECK(rows[0].instance.size() == form::k_instance_bytes);
  CHECK(rows[0].instance != rows[1].instance);
  CHECK(printed[0].label == form_label(rows[0].instance));
  // The read of the name printed is logged.
  const auto reads = personal_reads(s);
  REQUIRE(reads.size() == 1);
  CHECK(reads[0].action == "form print");
  CHECK(reads[0].customers == std::vector<std::int64_t>{anna.id});
  struct stat st {};
  REQUIRE(::stat(o.output.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  const SecretBuffer key = s.secrets().derive(ArchiveKey::form_code);
  form::FormCode code;
  code.template_version = 1;
  code.page = 1;
  std::copy(rows[0].instance.begin(), rows[0].instance.end(), code.instance.begin());
  code.mac = form_code_mac(key, code);
  using V = CheckedFormCode::Verdict;
  const CheckedFormCode ok = check_form_code(s, key, form::encode_form_code(code));
  CHECK(ok.verdict == V::valid);
  REQUIRE(ok.form);
  CHECK(ok.form->id == rows[0].id);

  // The MAC binds the page, the template and the instance.
  form::FormCode other_page = code;
  other_page.page = 2;
  CHECK(check_form_code(s, key, form::encode_form_code(other_page)).verdict == V::forged);
  other_page.mac = form_code_mac(key, other_page);
  CHECK(check_form_code(s, key, form::encode_form_code(other_page)).verdict == V::valid);
  form::FormCode flipped = code;
  flipped.mac[0] ^= 1;
  CHECK(check_form_code(s, key, form::encode_form_code(flipped)).verdict == V::forged);
  // Another archive's key: forged, never another customer's form.
  SecretBuffer other_key(32);
  randombytes_buf(other_key.data(), other_key.size());
  CHECK(check_form_code(s, other_key, form::encode_form_code(code)).verdict == V::forged);
  // Right MAC, but never printed here (or of a template this build lacks).
  form::FormCode unprinted = code;
  unprinted.instance[0] ^= 0xff;
  unprinted.mac = form_code_mac(key, unprinted);
  CHECK(check_form_code(s, key, form::encode_form_code(unprinted)).verdict == V::unknown_form);
  form::FormCode future = code;
  future.template_version = 9;
  future.mac = form_code_mac(key, future);
  CHECK(check_form_code(s, key, form::encode_form_code(future)).verdict == V::unknown_template);
  form::FormCode page3 = code;
  page3.page = 3;
  page3.mac = form_code_mac(key, page3);
  CHECK(check_form_code(s, key, form::encode_form_code(page3)).verdict == V::unknown_template);
  CHECK(check_form_code(s, key, "https://example.com").verdict == V::not_kaappi);
}

TEST_CASE("form print refuses before writing anything", "[forms]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Anna Asiakas");
  Session& s = fx.session();
  FormPrintOptions o;
  o.output = fx.dir() + "/forms.pdf";
  CHECK(test::error_kind_of([&] { check_form_print_request(o); }) == ErrorKind::usage);  // nobody, no blank
  o.blank = 1;
  o.language = "de";
  CHECK(test::error_kind_of([&] { check_form_print_request(o); }) == ErrorKind::usage);
  o.language = "sv";
  o.blank = -1;
  CHECK(test::error_kind_of([&] { check_form_print_request(o); }) == ErrorKind::usage);
  o.blank = 0;
  o.customers = {"1001", "9999"};
  CHECK(test::error_kind_of([&] { print_forms(s, o, example_texts()); }) == ErrorKind::not_found);
  CHECK(s.index().form_instances().empty());
  CHECK(s.index().reads().empty());
  CHECK_FALSE(std::filesystem::exists(o.output));
  o.customers = {"1001"};
  print_forms(s, o, example_texts());
  CHECK(test::error_kind_of([&] { print_forms(s, o, example_texts()); }) == ErrorKind::rejected);  // exists
  CHECK(s.index().form_instances().size() == 1);
  o.overwrite = Overwrite::yes;
  print_forms(s, o, example_texts());
  CHECK(s.index().form_instances().size() == 2);
  CHECK(s.index().form_instances()[1].language == "sv");
}
