// test_form_print.cpp — kaappi form print with the real binary: forms for
// customers and blank ones in one A4 PDF (two pages each, the number and
// name as text, labels in the language asked, the register's notice), a
// signed row per form and the read of the names logged, verify clean after;
// every refusal with its exit code, its sentence, no file and the archive
// unchanged. The QR codes' reading is test_form_reader's.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::map<std::string, std::string> texts_env() {
  return {{"KAAPPI_REGISTER_TEXTS", std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example"}};
}

int pdf_pages(const Sandbox& s, const std::string& pdf) {
  Result r = s.run({"/usr/bin/pdfinfo", pdf});
  REQUIRE(r.exit_code == 0);
  const size_t at = r.out.find("Pages:");
  REQUIRE(at != std::string::npos);
  return std::stoi(r.out.substr(at + 6));
}

}  // namespace

TEST_CASE("form print: a form per customer and blank ones, signed rows, the read logged", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Åström Ödön Äijälä"});
  Result r = s.kaappi({"form", "print", "--customer", "1002", "--customer", "1001", "--blank", "2", "-o",
                       s.path("forms.pdf"), "--json"},
                      texts_env());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto out = nlohmann::json::parse(r.out);
  REQUIRE(out["forms"].size() == 4);
  CHECK(out["forms"][0]["customer"] == "1002");
  CHECK(out["forms"][1]["customer"] == "1001");
  CHECK(out["forms"][2]["customer"].is_null());
  CHECK(out["language"] == "fi");
  CHECK(pdf_pages(s, s.path("forms.pdf")) == 8);
  struct stat st {};
  REQUIRE(::stat(s.path("forms.pdf").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  const std::string text = pdf_text(s, s.path("forms.pdf"));
  CHECK(has(text, "Asiakastietolomake"));
  CHECK(has(text, "1002 Nimi Åström Ödön Äijälä"));
  CHECK(has(text, "Sähköpostimarkkinointi"));
  CHECK(has(text, "Muun suoramarkkinoinnin kielto"));
  CHECK(has(text, "Tietosuojaseloste lyhyesti"));
  CHECK(has(text, "Pro Synthesis Oy"));  // the register's texts
  for (const auto& f : out["forms"]) CHECK(has(text, f["label"].get<std::string>() + " · sivu 1/2"));

  CHECK(sql_value(s, "SELECT count(*) FROM form_instances") == "4");
  CHECK(sql_value(s, "SELECT count(*) FROM form_instances WHERE customer_id IS NULL") == "2");
  CHECK(sql_value(s, "SELECT count(DISTINCT instance) FROM form_instances") == "4");
  CHECK(sql_value(s, "SELECT count(*) FROM reads WHERE action = 'form print'") == "1");
  // No name or number in the index's plaintext, nor in the QR codes' place (the instance rows).
  CHECK(sql_value(s, "SELECT count(*) FROM form_instances WHERE instance LIKE '%1002%'") == "0");
  check_verifies_clean(s);

  // Swedish and English forms.
  Result sv = s.kaappi({"form", "print", "--customer", "1001", "--lang", "sv", "-o", s.path("sv.pdf")}, texts_env());
  REQUIRE(sv.exit_code == 0);
  CHECK(has(sv.err, "wrote 1 form to"));
  CHECK(has(pdf_text(s, s.path("sv.pdf")), "Kunduppgiftsblankett"));
  CHECK(has(pdf_text(s, s.path("sv.pdf")), "E-postmarknadsföring"));
  Result en = s.kaappi({"form", "print", "--blank", "1", "--lang", "en", "-o", s.path("en.pdf")}, texts_env());
  REQUIRE(en.exit_code == 0);
  CHECK(has(pdf_text(s, s.path("en.pdf")), "Customer information form"));
  CHECK(sql_value(s, "SELECT count(*) FROM reads WHERE action = 'form print'") == "2");  // blank forms show no one
}

TEST_CASE("form print refuses with one sentence, writes no file and changes nothing", "[forms]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Rajoitettu Oy"});
  kaappi_ok(s, {"hold", "add", "--customer", "1002", "--until", kaappi::add_months(kaappi::today(), 2), "--reason",
                "an unpaid invoice"});
  REQUIRE(s.kaappi({"erase", "customer", "1002", "--reason", "asked by letter"}).exit_code == 6);
  {
    std::ofstream existing(s.path("exists.pdf"));
    existing << "mine";
  }
  std::filesystem::create_directory(s.path("folder"));
  const std::string before = s.archive_fingerprint();
  const auto env = texts_env();
  check_refusals(
      s,
      {
          {{"form", "print", "-o", s.path("f.pdf")}, 2, "name a customer (--customer N, once per form)"},
          {{"form", "print", "--customer", "1001", "--lang", "de", "-o", s.path("f.pdf")}, 2, "no forms in 'de'"},
          {{"form", "print", "--blank", "-3", "-o", s.path("f.pdf")}, 2, "a count of blank forms from 0 to 1000"},
          {{"form", "print", "--customer", "1001", "--customer", "9999", "-o", s.path("f.pdf")}, 5,
           "no customer 9999; nothing was written", env},
          {{"form", "print", "--customer", "1002", "-o", s.path("f.pdf")}, 4,
           "customer 1002 is restricted since " + kaappi::today(), env},
          {{"form", "print", "--customer", "1001", "-o", s.path("exists.pdf")}, 4, "already exists; use --force", env},
          {{"form", "print", "--customer", "1001", "-o", s.path("folder")}, 4, "folder", env},
          {{"form", "print", "--customer", "1001", "-o", s.path("f.pdf")}, 4, "register-texts",
           {{"KAAPPI_REGISTER_TEXTS", s.path("none")}}},
      },
      [&] {
        CHECK(s.archive_fingerprint() == before);
        CHECK_FALSE(std::filesystem::exists(s.path("f.pdf")));
      });
  CHECK(read_text(s.path("exists.pdf")) == "mine");
}
