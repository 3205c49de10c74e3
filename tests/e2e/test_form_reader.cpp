// test_form_reader.cpp — the PDF helper's form reader (src/pdf/helper/
// form_reader.h) on forms printed by `kaappi form print`, run directly
// (`kaappi-pdf-probe < FILE.pdf`): every page's QR code, the form's page
// registered by its corner marks, and each box's crop upright with its
// outline where form_scan.h puts it — on the PDF as printed, turned by 90,
// 180 and 270 degrees (qpdf --rotate), and rasterized as a scanner's JPEG
// page; pages without a form, another program's QR code and codes of an
// unknown template; pages over the search's budget (fault points
// pdf.form.page_budget and pdf.form.search_budget); and the summary passed
// on by kaappi import.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

#include "harness.h"
#include "pdf/form_code.h"
#include "pdf/form_layout.h"
#include "pdf/form_scan.h"

using namespace e2e;
namespace form = kaappi::form;
using nlohmann::json;

namespace {

const std::string k_register_texts = std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example";

// Two customers' forms and a blank one (six pages), printed once per test process.
const Sandbox& printed() {
  static Sandbox s;
  static const bool made = [] {
    s.init_archive_with_customer();
    kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Asiakas"});
    Result r = s.kaappi({"form", "print", "--customer", "1001", "--customer", "1002", "--blank", "1", "-o",
                         s.path("forms.pdf")},
                        {{"KAAPPI_REGISTER_TEXTS", k_register_texts}});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return true;
  }();
  (void)made;
  return s;
}

json probe(const Sandbox& s, const std::string& pdf, const std::map<std::string, std::string>& env = {}) {
  Result r = s.run({bin("kaappi-pdf-probe")}, env, pdf);
  INFO(pdf << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

std::string unbase64(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const size_t v = alphabet.find(c);
    REQUIRE(v != std::string::npos);
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  REQUIRE(text.size() % 4 == 0);
  return out;
}

// The mean of a crop's pixels in [x0, x1) x [y0, y1).
double mean(const std::string& crop, int side, int x0, int y0, int x1, int y1) {
  double sum = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) sum += static_cast<unsigned char>(crop[static_cast<size_t>(y * side + x)]);
  return sum / ((x1 - x0) * (y1 - y0));
}

// A crop of an empty printed 6 mm box: 80x80, its outline a dark ring 16
// pixels in from each edge (the line is 4 pixels wide), light inside and
// around.
void check_empty_box(const std::string& base64_crop) {
  const std::string crop = unbase64(base64_crop);
  constexpr int side = 80, at = static_cast<int>(form::k_crop_margin_mm * form::k_crop_px_per_mm);  // 16
  REQUIRE(crop.size() == static_cast<size_t>(side * side));
  CHECK(mean(crop, side, 24, at - 1, 56, at + 1) < 110);                   // top edge
  CHECK(mean(crop, side, 24, side - at - 1, 56, side - at + 1) < 110);     // bottom edge
  CHECK(mean(crop, side, at - 1, 24, at + 1, 56) < 110);                   // left edge
  CHECK(mean(crop, side, side - at - 1, 24, side - at + 1, 56) < 110);     // right edge
  CHECK(mean(crop, side, 22, 22, 58, 58) > 200);                           // inside
  CHECK(mean(crop, side, 0, 0, side, 8) > 200);                            // above it
  CHECK(mean(crop, side, 0, 0, 8, side) > 200);                            // left of it
}

struct Seen {
  form::FormCode code;
  int turn = 0;
};

// Checks a form's page entry; returns its code.
Seen check_form_page(const json& entry, int page_in_pdf, int form_page, int turn) {
  INFO("page " << page_in_pdf);
  REQUIRE(entry["page"] == page_in_pdf);
  REQUIRE(entry["codes"].size() == 1);
  REQUIRE(entry.contains("form"));
  const json& f = entry["form"];
  CHECK(f["code"] == entry["codes"][0]);
  auto code = form::parse_form_code(f["code"].get<std::string>());
  REQUIRE(code);
  CHECK(code->template_version == 1);
  CHECK(code->page == form_page);
  CHECK(f["turn"] == turn);
  CHECK(f["marks"] == 4);
  const size_t boxes = form::form_template(1)->pages[static_cast<size_t>(form_page - 1)].boxes.size();
  REQUIRE(f["boxes"].size() == boxes);
  for (const json& crop : f["boxes"]) check_empty_box(crop.get<std::string>());
  return {*code, turn};
}

// The six printed pages: 1-2, 3-4 and 5-6 are one form each.
void check_printed_forms(const json& summary, int turn) {
  const json& pages = summary["form_pages"];
  REQUIRE(pages.size() == 6);
  std::vector<form::FormCode> codes;
  for (int i = 0; i < 6; ++i) codes.push_back(check_form_page(pages[static_cast<size_t>(i)], i + 1, i % 2 + 1, turn).code);
  std::set<form::InstanceId> instances;
  for (int f = 0; f < 3; ++f) {
    CHECK(codes[static_cast<size_t>(2 * f)].instance == codes[static_cast<size_t>(2 * f + 1)].instance);
    instances.insert(codes[static_cast<size_t>(2 * f)].instance);
  }
  CHECK(instances.size() == 3);
  // Drawn pages, not scanned images: each one rendered.
  CHECK(summary["form_search"] ==
        json({{"pages_searched", 6}, {"image_pages", 0}, {"over_budget", json::array()}, {"stopped_at", nullptr}}));
}

// A scan-like PDF (make_scan_pdf --jpeg) of the grey image `pgm`.
std::string scan_of(const Sandbox& s, const std::string& pgm, const std::string& name) {
  const std::string jpg = s.path(name + ".jpg");
  REQUIRE(s.run({"/usr/bin/cjpeg", "-grayscale", "-quality", "80", "-outfile", jpg, pgm}).exit_code == 0);
  return s.make_pdf(name + ".pdf", {"--jpeg", jpg});
}

std::string code_text(int template_version, int page) {
  form::FormCode c;
  c.template_version = template_version;
  c.page = page;
  c.instance.fill(7);
  c.mac.fill(9);
  return form::encode_form_code(c);
}

}  // namespace

TEST_CASE("the form reader finds every printed form page's code, its corner marks and its boxes", "[form-reader]") {
  const Sandbox& s = printed();
  check_printed_forms(probe(s, s.path("forms.pdf")), 0);
}

TEST_CASE("the form reader reads turned pages upright and says how they were turned", "[form-reader]") {
  const Sandbox& s = printed();
  for (int turn : {90, 180, 270}) {
    INFO("turned " << turn);
    const std::string turned = s.path("turned-" + std::to_string(turn) + ".pdf");
    REQUIRE(s.run({"/usr/bin/qpdf", "--rotate=" + std::to_string(turn), s.path("forms.pdf"), turned}).exit_code == 0);
    check_printed_forms(probe(s, turned), turn);
  }
}

TEST_CASE("the form reader reads a form's page scanned as a 200 dpi JPEG", "[form-reader]") {
  const Sandbox& s = printed();
  REQUIRE(s.run({"/usr/bin/pdftoppm", "-gray", "-r", "200", "-f", "1", "-l", "1", "-singlefile", s.path("forms.pdf"),
                 s.path("raster")})
              .exit_code == 0);
  json summary = probe(s, scan_of(s, s.path("raster.pgm"), "raster-scan"));
  REQUIRE(summary["form_pages"].size() == 1);
  Seen seen = check_form_page(summary["form_pages"][0], 1, 1, 0);
  json printed_summary = probe(s, s.path("forms.pdf"));
  CHECK(seen.code.instance == form::parse_form_code(printed_summary["form_pages"][0]["codes"][0].get<std::string>())->instance);
}

TEST_CASE("pages without a form's code have no form_pages entry, other codes are listed unread", "[form-reader]") {
  Sandbox s;
  SECTION("a scan without any code") {
    json summary = probe(s, s.make_pdf("plain.pdf", {"--pages", "3"}));
    CHECK(summary["form_pages"] == json::array());
    // Each page only a scanned image: searched on it, none rendered.
    CHECK(summary["form_search"] ==
          json({{"pages_searched", 3}, {"image_pages", 3}, {"over_budget", json::array()}, {"stopped_at", nullptr}}));
  }
  SECTION("another program's QR code") {
    const std::string text = "https://example.com/not-a-form?id=42";
    REQUIRE(s.run({bin("make_qr_page"), s.path("foreign.pgm"), text}).exit_code == 0);
    json summary = probe(s, scan_of(s, s.path("foreign.pgm"), "foreign"));
    REQUIRE(summary["form_pages"].size() == 1);
    CHECK(summary["form_pages"][0] == json({{"page", 1}, {"codes", {text}}}));
    CHECK(summary["form_search"]["image_pages"] == 1);  // found on the image; not a form: not rendered at all
  }
  SECTION("a kaappi code of a template this build does not know") {
    const std::string text = code_text(9, 1);
    REQUIRE(s.run({bin("make_qr_page"), s.path("unknown.pgm"), text}).exit_code == 0);
    json summary = probe(s, scan_of(s, s.path("unknown.pgm"), "unknown"));
    REQUIRE(summary["form_pages"].size() == 1);
    CHECK(summary["form_pages"][0] == json({{"page", 1}, {"codes", {text}}}));
  }
  SECTION("a known template's code alone, without corner marks: read by the code only") {
    // The code where template 1 puts it; the helper does not check the MAC.
    const form::Rect& qr = form::form_template(1)->qr;
    const std::string text = code_text(1, 1);
    REQUIRE(s.run({bin("make_qr_page"), s.path("alone.pgm"), text, "--x", std::to_string(qr.x), "--y",
                   std::to_string(qr.y), "--size", std::to_string(qr.w)})
                .exit_code == 0);
    json summary = probe(s, scan_of(s, s.path("alone.pgm"), "alone"));
    REQUIRE(summary["form_pages"].size() == 1);
    const json& f = summary["form_pages"][0]["form"];
    CHECK(f["code"] == text);
    CHECK(f["turn"] == 0);
    CHECK(f["marks"] == 0);
    CHECK(f["boxes"].size() == 9);
  }
}

TEST_CASE("a page that is only a scanned image is searched on its image, any other page is rendered", "[form-reader]") {
  const Sandbox& s = printed();
  SECTION("a drawn form's page and a scanned page in one PDF: the scan alone searched on its image") {
    const std::string scan = s.make_pdf("one-scan.pdf", {"--pages", "1"});
    const std::string mixed = s.path("mixed.pdf");
    REQUIRE(s.run({"/usr/bin/qpdf", "--empty", "--pages", s.path("forms.pdf"), "1", scan, "1", "--", mixed}).exit_code == 0);
    json summary = probe(s, mixed);
    CHECK(summary["form_search"] ==
          json({{"pages_searched", 2}, {"image_pages", 1}, {"over_budget", json::array()}, {"stopped_at", nullptr}}));
    REQUIRE(summary["form_pages"].size() == 1);
    CHECK(summary["form_pages"][0]["page"] == 1);
  }
  SECTION("a scanned page with real text on it is rendered") {
    json summary = probe(s, s.make_pdf("text.pdf", {"--pages", "2", "--text", "Asiakasnumero 1001"}));
    CHECK(summary["form_search"]["pages_searched"] == 2);
    CHECK(summary["form_search"]["image_pages"] == 1);
  }
  SECTION("a form scanned as a 300 dpi JPEG: its code found on the image read at a reduced scale, the page read") {
    REQUIRE(s.run({"/usr/bin/pdftoppm", "-gray", "-r", "300", "-f", "3", "-l", "3", "-singlefile", s.path("forms.pdf"),
                   s.path("raster300")})
                .exit_code == 0);
    json summary = probe(s, scan_of(s, s.path("raster300.pgm"), "raster300-scan"));
    REQUIRE(summary["form_pages"].size() == 1);
    check_form_page(summary["form_pages"][0], 1, 1, 0);
    CHECK(summary["form_search"]["image_pages"] == 1);
  }
  SECTION("a JPEG that disagrees with the PDF about its size, or whose data is broken: rendered, no harm") {
    REQUIRE(s.run({bin("make_scan_pdf"), s.path("unused.pdf"), "--pgm-300dpi", s.path("page.pgm")}).exit_code == 0);
    const std::string good = read_text(scan_of(s, s.path("page.pgm"), "page-scan"));
    const size_t width_at = good.find("/Width ");
    REQUIRE(width_at != std::string::npos);
    std::string wider = good;
    wider[width_at + 7] = wider[width_at + 7] == '9' ? '8' : static_cast<char>(wider[width_at + 7] + 1);  // same length
    write_text(s.path("wider.pdf"), wider);
    json summary = probe(s, s.path("wider.pdf"));
    CHECK(summary["form_search"]["pages_searched"] == 1);
    CHECK(summary["form_search"]["image_pages"] == 0);
    CHECK(summary["form_pages"] == json::array());
    // The entropy-coded data overwritten in the middle (the markers kept).
    std::string broken = good;
    const size_t stream_at = broken.find("stream\n");
    REQUIRE(stream_at != std::string::npos);
    for (size_t i = stream_at + 2000; i < stream_at + 6000 && i < broken.size(); ++i) broken[i] = static_cast<char>(i * 37);
    write_text(s.path("broken.pdf"), broken);
    summary = probe(s, s.path("broken.pdf"));
    CHECK(summary["form_search"]["pages_searched"] == 1);
    CHECK(summary["form_pages"] == json::array());
  }
  SECTION("a page drawing an image of more pixels than any scan has: not searched, over budget; the next one is") {
    REQUIRE(s.run({bin("make_scan_pdf"), s.path("unused2.pdf"), "--pgm-300dpi", s.path("p2.pgm")}).exit_code == 0);
    const std::string jpg = s.path("p2.jpg");
    REQUIRE(s.run({"/usr/bin/cjpeg", "-grayscale", "-quality", "80", "-outfile", jpg, s.path("p2.pgm")}).exit_code == 0);
    std::string bytes = read_text(jpg);
    const size_t sof = bytes.find("\xFF\xC0");
    REQUIRE(sof != std::string::npos);
    for (size_t at : {sof + 5, sof + 7}) {  // height, width: 13,000 each (169 million pixels)
      bytes[at] = static_cast<char>(13000 >> 8);
      bytes[at + 1] = static_cast<char>(13000 & 0xff);
    }
    write_text(s.path("huge.jpg"), bytes);
    const std::string huge = s.make_pdf("huge.pdf", {"--jpeg", s.path("huge.jpg")});
    const std::string plain = s.make_pdf("plain1.pdf", {"--pages", "1"});
    const std::string both = s.path("huge-then-plain.pdf");
    REQUIRE(s.run({"/usr/bin/qpdf", "--empty", "--pages", huge, plain, "--", both}).exit_code == 0);
    json summary = probe(s, both);
    CHECK(summary["form_search"] ==
          json({{"pages_searched", 1}, {"image_pages", 1}, {"over_budget", {1}}, {"stopped_at", nullptr}}));
  }
  SECTION("the image's look switched off for one page: that page rendered, the same result") {
    const std::string plain = s.make_pdf("plain3.pdf", {"--pages", "3"});
    json looked = probe(s, plain);
    json rendered = probe(s, plain, {{"KAAPPI_FAULT", "pdf.form.image_pages:error@2"}});
    CHECK(looked["form_search"]["image_pages"] == 3);
    CHECK(rendered["form_search"]["image_pages"] == 2);
    CHECK(rendered["form_search"]["pages_searched"] == 3);
    CHECK(rendered["form_pages"] == looked["form_pages"]);
  }
}

TEST_CASE("pages over the search's budget are listed, a spent budget stops the search", "[form-reader]") {
  const Sandbox& s = printed();
  SECTION("the second page over its budget") {
    json summary = probe(s, s.path("forms.pdf"), {{"KAAPPI_FAULT", "pdf.form.page_budget:error@2"}});
    CHECK(summary["form_search"] ==
          json({{"pages_searched", 5}, {"image_pages", 0}, {"over_budget", {2}}, {"stopped_at", nullptr}}));
    std::vector<int> pages;
    for (const json& p : summary["form_pages"]) pages.push_back(p["page"]);
    CHECK(pages == std::vector<int>{1, 3, 4, 5, 6});
  }
  SECTION("the document's budget spent before the third page") {
    json summary = probe(s, s.path("forms.pdf"), {{"KAAPPI_FAULT", "pdf.form.search_budget:error@3"}});
    CHECK(summary["form_search"] ==
          json({{"pages_searched", 2}, {"image_pages", 0}, {"over_budget", json::array()}, {"stopped_at", 3}}));
    CHECK(summary["form_pages"].size() == 2);
    CHECK(summary["pages"] == 6);
  }
}

TEST_CASE("kaappi import passes a form's summary on through the fork server", "[form-reader]") {
  Sandbox s;
  s.copy_from(printed());
  Result r = s.kaappi({"import", s.path("forms.pdf"), "--customer", "1001", "--kind", "consent-form", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_verifies_clean(s);
}
