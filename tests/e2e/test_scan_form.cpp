// test_scan_form.cpp — tests/tools/scan_form, the print-fill-scan
// simulator, on a form printed by the real kaappi: its scans are valid PDFs
// with the form's page count and A4 pages (landscape when turned), the truth
// file says what the options asked for, the fax modes write 1-bit images and
// --jpeg DCTDecode ones, the same seed gives the same bytes, and bad options
// are refused with exit code 2.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "harness.h"

using namespace e2e;

namespace {

// A printed consent form for customer 1001, in the sandbox.
std::string print_form(Sandbox& s) {
  s.init_archive_with_customer();
  const std::string form = s.path("form.pdf");
  const Result r = s.kaappi({"form", "print", "--customer", "1001", "-o", form},
                            {{"KAAPPI_REGISTER_TEXTS", std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example"}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return form;
}

Result scan(const Sandbox& s, const std::string& form, const std::string& out, std::vector<std::string> args) {
  args.insert(args.begin(), {bin("scan_form"), form, s.path(out)});
  return s.run(args);
}

void scan_ok(const Sandbox& s, const std::string& form, const std::string& out, const std::vector<std::string>& args) {
  const Result r = scan(s, form, out, args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// pdfinfo's "Pages:" and "Page size:" lines' values.
std::string info_line(const Sandbox& s, const std::string& pdf, const std::string& key) {
  const Result r = s.run({"/usr/bin/pdfinfo", s.path(pdf)});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const size_t at = r.out.find(key + ":");
  REQUIRE(at != std::string::npos);
  const size_t begin = r.out.find_first_not_of(' ', at + key.size() + 1), end = r.out.find('\n', at);
  return r.out.substr(begin, end - begin);
}

// pdfimages -list's rows: each image's bits per component and encoding.
std::vector<std::pair<std::string, std::string>> images(const Sandbox& s, const std::string& pdf) {
  const Result r = s.run({"/usr/bin/pdfimages", "-list", s.path(pdf)});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream cols(line);
    std::vector<std::string> c;
    for (std::string w; cols >> w;) c.push_back(w);
    REQUIRE(c.size() >= 9);
    out.emplace_back(c[7], c[8]);  // page num type width height color comp bpc enc
  }
  return out;
}

}  // namespace

TEST_CASE("scan_form: a filled-in, printed and scanned kaappi form, and its truth file", "[scan_form]") {
  Sandbox s;
  const std::string form = print_form(s);

  scan_ok(s, form, "scan.pdf",
          {"--marks", "email-marketing=tick,sms-marketing=x,research=crossed,ban-direct-marketing=light", "--seed", "4",
           "--dpi", "150", "--skew", "3.5", "--scale", "0.97", "--blur", "0.8", "--noise", "6", "--jpeg", "75",
           "--truth", s.path("truth.json")});
  CHECK(info_line(s, "scan.pdf", "Pages") == "2");
  CHECK(info_line(s, "scan.pdf", "Page size").rfind("595.28 x 841.89 pts (A4)", 0) == 0);
  for (const auto& [bits, encoding] : images(s, "scan.pdf")) {
    CHECK(bits == "8");
    CHECK(encoding == "jpeg");
  }
  const nlohmann::json truth = nlohmann::json::parse(read_text(s.path("truth.json")));
  CHECK(truth["pages"] == 2);
  CHECK(truth["seed"] == 4);
  REQUIRE(truth["boxes"].size() == 9);
  std::map<std::string, std::string> marks, meant;
  for (const auto& box : truth["boxes"]) {
    CHECK(box["page"] == 1);
    marks[box["purpose"]] = box["mark"];
    meant[box["purpose"]] = box["meant"];
  }
  CHECK(marks["email-marketing"] == "tick");
  CHECK(marks["sms-marketing"] == "x");
  CHECK(marks["research"] == "crossed");
  CHECK(marks["ban-direct-marketing"] == "light");
  CHECK(marks["personal-data"] == "empty");
  CHECK(meant["ban-direct-marketing"] == "ticked");
  CHECK(meant["research"] == "empty");
  const auto& d = truth["degradations"];
  CHECK(d["dpi_x"] == 150);
  CHECK(d["dpi_y"] == 150);
  CHECK(d["skew_deg"] == 3.5);
  CHECK(d["scale"] == 0.97);
  CHECK(d["blur_px"] == 0.8);
  CHECK(d["noise"] == 6);
  CHECK(d["jpeg_quality"] == 75);
  CHECK(d["turn"] == 0);
  CHECK(d["fax"] == "none");
  CHECK(d["bits"] == 8);
  CHECK(d["photocopies"].empty());

  SECTION("a turn of 90 degrees gives landscape pages") {
    scan_ok(s, form, "turned.pdf", {"--random-marks", "--turn", "90", "--truth", s.path("turned.json")});
    CHECK(info_line(s, "turned.pdf", "Page size").rfind("841.89 x 595.28 pts", 0) == 0);
    CHECK(nlohmann::json::parse(read_text(s.path("turned.json")))["degradations"]["turn"] == 90);
  }
  SECTION("the fax modes give 1-bit images") {
    for (const std::string mode : {"fine", "standard"}) {
      scan_ok(s, form, "fax.pdf", {"--marks", "all=tick", "--fax", mode, "--truth", s.path("fax.json")});
      const auto list = images(s, "fax.pdf");
      REQUIRE(list.size() == 2);
      for (const auto& [bits, encoding] : list) CHECK(bits == "1");
      const nlohmann::json t = nlohmann::json::parse(read_text(s.path("fax.json")));
      CHECK(t["degradations"]["bits"] == 1);
      CHECK(t["degradations"]["dpi_y"] == (mode == "fine" ? 196 : 98));
      for (const auto& box : t["boxes"]) CHECK(box["mark"] == "tick");
    }
  }
  SECTION("a photocopy of a photocopy, FlateDecode 8-bit") {
    scan_ok(s, form, "copy.pdf", {"--random-marks", "--photocopy", "2", "--truth", s.path("copy.json")});
    for (const auto& [bits, encoding] : images(s, "copy.pdf")) {
      CHECK(bits == "8");
      CHECK(encoding == "image");  // pdfimages' name for FlateDecode
    }
    CHECK(nlohmann::json::parse(read_text(s.path("copy.json")))["degradations"]["photocopies"].size() == 2);
  }
  SECTION("the same seed gives the same bytes, another seed others") {
    const std::vector<std::string> args = {"--random-marks", "--skew", "-2", "--noise", "5", "--jpeg", "60"};
    auto with_seed = [&](const std::vector<std::string>& a, const std::string& seed) {
      std::vector<std::string> all = a;
      all.insert(all.end(), {"--seed", seed});
      return all;
    };
    scan_ok(s, form, "a.pdf", with_seed(args, "9"));
    scan_ok(s, form, "b.pdf", with_seed(args, "9"));
    scan_ok(s, form, "c.pdf", with_seed(args, "10"));
    CHECK(sha_of_file(s.path("a.pdf")) == sha_of_file(s.path("b.pdf")));
    CHECK(sha_of_file(s.path("a.pdf")) != sha_of_file(s.path("c.pdf")));
  }
  SECTION("bad options are refused") {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--marks", "email-marketing=maybe"}, "PURPOSE=KIND"},
        {{"--marks", "no-such-purpose=tick"}, "no box 'no-such-purpose'"},
        {{"--turn", "45"}, "--turn takes 0, 90, 180 or 270"},
        {{"--fax", "fine", "--jpeg", "80"}, "do not go together"},
        {{"--dpi", "10"}, "--dpi takes a number"},
        {{"--bogus"}, "unknown argument"},
    };
    for (const auto& [args, message] : cases) {
      const Result r = scan(s, form, "bad.pdf", args);
      INFO(args[0]);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find(message) != std::string::npos);
      CHECK_FALSE(file_exists(s.path("bad.pdf")));
    }
    const Result missing = s.run({bin("scan_form"), s.path("nothing.pdf"), s.path("out.pdf")});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("cannot read") != std::string::npos);
  }
}
