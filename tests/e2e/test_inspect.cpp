// test_inspect.cpp — kaappi inspect with the real binary: the copy's
// data.json checked against what the archive shows through its other
// commands, the report's text in fi, sv and en (pdftotext) and its pages
// rendered (pdftoppm), the documents' copies byte for byte, the reads in the
// access log, the fee decision recorded; and every refusal with its exit
// code, the archive unchanged and no folder left behind.
#include <sodium.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;

namespace {

const std::string k_name = "Åsa Öhman-Mäkelä";

std::string texts_path(const Sandbox& s) { return s.dir() + "/home/config/kaappi/register-texts"; }

// The shipped template, where inspect looks by default.
void install_texts(const Sandbox& s) {
  std::filesystem::create_directories(s.dir() + "/home/config/kaappi");
  write_text(texts_path(s), read_text(std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example"));
}

nlohmann::json json_of(const Sandbox& s, const std::vector<std::string>& args) {
  std::vector<std::string> with = args;
  with.push_back("--json");
  Result r = s.kaappi(with);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

// SHA-256 in hex, as data.json records each copy's.
std::string sha256_hex(const std::string& path) {
  const std::string data = read_text(path);
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("inspect writes data.json, a readable report and the documents, and records the fee", "[inspect]") {
  Sandbox s;
  s.init_archive_with_customer();
  install_texts(s);
  const std::string today = kaappi::today();
  kaappi_ok(s, {"customer", "edit", "1001", "--name", k_name, "--email", "asa@example.fi", "--reason",
                "the person changed her name"});
  kaappi_ok(s, {"customer", "feedback", "1001", "--text", "Nopea toimitus, kiitos", "--date", "2026-04-03"});
  const std::string form = s.make_pdf("form.pdf", {"--seed", "21"});
  const std::string contract = s.make_pdf("contract.pdf", {"--form", "contract", "--pages", "2", "--seed", "22"});
  const long form_id = s.import({form}).at(0);
  const long contract_id = s.import({contract}, "contract").at(0);
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted",
                "--document", std::to_string(form_id)});
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "ban-direct-marketing", "--state", "refused"});
  kaappi_ok(s, {"get", std::to_string(contract_id), "-o", s.path("read.pdf"), "--reason", "checking the contract"});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", today, "--channel", "letter"});

  const std::string out = s.path("copy-fi");
  Result r = s.kaappi({"inspect", "1001", "-o", out, "--request", "1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "Earlier inspections of customer 1001: none"));
  CHECK(has(r.out, "This inspection (request 1) is free"));
  CHECK(has(r.out, "kaappi request close 1 --handed-over-in-person"));
  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(folder_entries(out) == std::vector<std::string>{"data.json", "document-" + std::to_string(form_id) + ".pdf",
                                                         "document-" + std::to_string(contract_id) + ".pdf",
                                                         "report.pdf"});

  // data.json, field by field against what the archive's own commands show.
  const auto data = nlohmann::json::parse(read_text(out + "/data.json"));
  CHECK(data["schema"] == "kaappi-inspection-1");
  CHECK(data["lang"] == "fi");
  CHECK(data["request"]["id"] == 1);
  CHECK(data["request"]["kind"] == "inspection");
  CHECK(data["fee"]["decision"] == "free");
  CHECK(data["fee"]["previous"].empty());
  CHECK(data["fee"]["free_per_year"] == 1);

  const auto shown = json_of(s, {"customer", "show", "1001"});
  const auto& record = shown.contains("customer") ? shown["customer"] : shown;
  for (const auto& f : data["customer"]["fields"]) {
    const std::string key = f["field"];
    INFO("field " + key);
    REQUIRE(record.contains(key));
    CHECK(f["value"] == record[key]);
    CHECK(data["customer"][key] == record[key]);
    CHECK(f["source"] == record["source"]);
  }
  CHECK(data["customer"]["name"] == k_name);
  const auto fields = data["customer"]["fields"];
  const auto email = items_where(fields, "field", "email").at(0);
  CHECK(email["version"] == 2);
  CHECK(email["reason"] == "the person changed her name");
  CHECK(items_where(fields, "field", "phone").at(0)["version"] == 1);
  CHECK(data["customer"]["feedback"] == record["feedback"]);

  const auto history = json_of(s, {"customer", "history", "1001"});
  CHECK(data["history"] == history["versions"]);

  const auto events = json_of(s, {"consent", "history", "1001"});
  CHECK(data["consents"]["events"] == events["events"]);
  const auto states = json_of(s, {"consent", "show", "1001"});
  CHECK(data["consents"]["states"] == states["consents"]);

  const auto documents = json_of(s, {"documents", "--customer", "1001"});
  REQUIRE(data["documents"].size() == documents["documents"].size());
  for (size_t i = 0; i < documents["documents"].size(); ++i) {
    auto listed = data["documents"][i];
    INFO("document " + listed["id"].dump());
    CHECK(listed["erased"] == false);
    CHECK(listed["file"] == "document-" + listed["id"].dump() + ".pdf");
    CHECK(listed["sha256"] == sha256_hex(out + "/" + listed["file"].get<std::string>()));
    for (const char* key : {"file", "erased", "sha256"}) listed.erase(key);
    CHECK(listed == documents["documents"][i]);
  }

  // The copies are the imported files, and each copy is a read in the access log.
  CHECK(sha_of_file(out + "/document-" + std::to_string(form_id) + ".pdf") == sha_of_file(form));
  CHECK(sha_of_file(out + "/document-" + std::to_string(contract_id) + ".pdf") == sha_of_file(contract));
  // (The commands above that showed the person's data were logged too, after the copy was made.)
  const auto log = json_of(s, {"access-log", "--customer", "1001"})["access_log"];
  const auto inspect_reads = items_where(log, "action", "inspect");
  REQUIRE(inspect_reads.size() == 3);  // the person's data, then each document
  CHECK(inspect_reads[0]["document"].is_null());
  for (const auto& e : inspect_reads) CHECK(e["reason"] == "inspection request 1");
  // The reads of this person's documents and data, without the reader's name.
  REQUIRE(data["reads"].size() <= log.size());
  CHECK(items_where(data["reads"], "action", "consent show").size() == 0);
  CHECK(items_where(data["reads"], "action", "inspect").size() == 3);
  for (size_t i = 0; i < data["reads"].size(); ++i) {
    CHECK(data["reads"][i]["at"] == log[i]["at"]);
    CHECK(data["reads"][i]["document"] == log[i]["document"]);
    CHECK(data["reads"][i]["action"] == log[i]["action"]);
    CHECK(data["reads"][i]["reason"] == log[i]["reason"]);
    CHECK_FALSE(data["reads"][i].contains("by"));
  }
  CHECK(data["reads"][0]["reason"] == "checking the contract");

  const auto requests = json_of(s, {"request", "list", "--customer", "1001"})["requests"];
  REQUIRE(data["requests"].size() == requests.size());
  CHECK(data["requests"][0]["received"] == requests[0]["received"]);
  CHECK(data["requests"][0]["channel"] == "letter");
  // The register's texts, as the key holder wrote them.
  CHECK(data["register"]["register_name"] == "Pro Synthesis Oy:n asiakasrekisteri");
  CHECK(data["register"]["purposes"].size() == 5);
  CHECK(has(data["register"]["authority"][0].get<std::string>(), "Tietosuojavaltuutetun toimisto"));
  CHECK(data["register"]["retention"].size() == 3);

  // The fee decision, recorded with the request.
  CHECK(requests[0]["inspected"]["fee"] == "free");
  CHECK(requests[0]["inspected"]["lang"] == "fi");
  CHECK(requests[0]["inspected"]["documents"] == nlohmann::json::array({form_id, contract_id}));
  CHECK(requests[0]["inspected"]["previous"].empty());

  // The report in Finnish: headings, the person's name as written, the fixed texts, the closing line.
  const std::string fi = pdf_text(s, out + "/report.pdf");
  for (const std::string& part :
       {std::string("Tarkastuspyyntöön annettavat tiedot"), std::string("Sinusta tallennetut tiedot"), k_name,
        std::string("Tietosuojavaltuutetun toimisto"), std::string("Suostumukset ja kiellot"),
        std::string("Sähköpostimarkkinointi"), std::string("Tietojesi ja asiakirjojesi lukukerrat"),
        std::string("Tämä tarkastus on maksuton."), std::string("Pro Synthesis Oy:n asiakasrekisteri"),
        std::string("ei koskaan"), std::string("sähköpostilla"), std::string("asa@example.fi")})
    CHECK(has(fi, part));
  Result png = s.run({"/usr/bin/pdftoppm", "-r", "40", "-png", out + "/report.pdf", s.path("page")});
  INFO(png.err);
  CHECK(png.exit_code == 0);
  CHECK(file_exists(s.path("page-1.png")));

  // The same copy is not made twice for one request.
  Result again = s.kaappi({"inspect", "1001", "-o", s.path("again"), "--request", "1"});
  CHECK(again.exit_code == 4);
  CHECK(has(again.err, "request 1's copy was made already on " + today));
  CHECK_FALSE(file_exists(s.path("again")));

  // A free copy is not charged for at the handover.
  const std::string unpaid = s.archive_fingerprint();
  check_refusals(s, {
      {{"request", "close", "1", "--handed-over-in-person", "--identity-checked-with", "passport", "--by", "M", "--fee",
        "5"}, 4, "request 1 cannot be charged for: its copy was made free of charge on " + today},
  }, [&] { CHECK(s.archive_fingerprint() == unpaid); });
  // Closed in person; a second and a third inspection within the year are charged.
  kaappi_ok(s, {"request", "close", "1", "--handed-over-in-person", "--identity-checked-with", "passport", "--by",
                "Hanne-Leona Luomajoki"});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", today});
  Result sv = s.kaappi({"inspect", "1001", "-o", s.path("copy-sv"), "--request", "2", "--lang", "sv"});
  INFO(sv.err);
  REQUIRE(sv.exit_code == 0);
  CHECK(has(sv.out, "Earlier inspections of customer 1001: " + today));
  CHECK(has(sv.out, "is charged at cost"));
  CHECK(has(sv.out, "--fee EUR"));
  const std::string sv_text = pdf_text(s, s.path("copy-sv/report.pdf"));
  for (const std::string& part : {std::string("Registerutdrag på begäran om granskning"),
                                  std::string("Uppgifter som sparats om dig"), k_name,
                                  std::string("Dataombudsmannens byrå"), std::string("För denna granskning debiteras"),
                                  std::string("aldrig per e-post")})
    CHECK(has(sv_text, part));
  const auto sv_data = nlohmann::json::parse(read_text(s.path("copy-sv/data.json")));
  CHECK(sv_data["fee"]["decision"] == "charged");
  CHECK(sv_data["fee"]["previous"] == nlohmann::json::array({today}));
  CHECK(sv_data["register"]["register_name"] == "Pro Synthesis Oy:s kundregister");
  kaappi_ok(s, {"request", "close", "2", "--handed-over-in-person", "--identity-checked-with", "id-card", "--by", "M",
                "--fee", "12,50"});
  CHECK(json_of(s, {"request", "list", "--customer", "1001"})["requests"][1]["closed"]["fee"] == "12.50");

  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", today});
  Result en = s.kaappi({"--json", "inspect", "1001", "-o", s.path("copy-en"), "--request", "3", "--lang", "en"});
  INFO(en.err);
  REQUIRE(en.exit_code == 0);
  const auto en_out = nlohmann::json::parse(en.out);
  CHECK(en_out["fee"]["decision"] == "charged");
  CHECK(en_out["fee"]["previous"] == nlohmann::json::array({today, today}));
  CHECK(en_out["request"]["inspected"]["fee"] == "charged");
  const std::string en_text = pdf_text(s, s.path("copy-en/report.pdf"));
  for (const std::string& part : {std::string("Inspection copy: your data in the register"),
                                  std::string("The data held about you"), k_name,
                                  std::string("Office of the Data Protection Ombudsman"),
                                  std::string("This inspection is charged at the cost it causes."),
                                  std::string("handed over in person only")})
    CHECK(has(en_text, part));

  const auto recorded = json_of(s, {"request", "list", "--customer", "1001"})["requests"];
  CHECK(recorded[1]["inspected"]["fee"] == "charged");
  CHECK(recorded[1]["inspected"]["previous"] == nlohmann::json::array({today}));
  CHECK(recorded[1]["inspected"]["lang"] == "sv");
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("inspect with more free inspections a year, set in the settings file", "[inspect]") {
  Sandbox s;
  s.init_archive_with_customer();
  install_texts(s);
  write_text(s.dir() + "/home/config/kaappi/config", "inspection_free_per_year = 2\n");
  const std::string today = kaappi::today();
  for (int i = 1; i <= 3; ++i) {
    kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", today});
    Result r = s.kaappi({"--json", "inspect", "1001", "-o", s.path("copy" + std::to_string(i)), "--request",
                         std::to_string(i)});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["fee"]["decision"] == (i <= 2 ? "free" : "charged"));
  }
  CHECK(has(pdf_text(s, s.path("copy3/report.pdf")), "Maksuttomia tarkastuksia on 2 12 kuukaudessa"));
}

TEST_CASE("inspect refusals say what is wrong, change nothing and leave no folder", "[inspect]") {
  Sandbox s;
  s.init_archive_with_customer();
  install_texts(s);
  const std::string today = kaappi::today();
  s.import({s.make_pdf("form.pdf", {"--seed", "31"})});
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Asiakas"});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", today});
  kaappi_ok(s, {"request", "close", "1", "--reason", "the person withdrew it"});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "rectification", "--received", today});
  kaappi_ok(s, {"request", "add", "1002", "--kind", "inspection", "--received", today});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", today});  // 4: open
  std::filesystem::create_directories(s.path("full"));
  write_text(s.path("full/note.txt"), "already here");
  std::filesystem::create_directories(s.path("elsewhere"));
  std::filesystem::create_directory_symlink(s.path("elsewhere"), s.path("link"));
  write_text(s.path("bad-texts"), "[fi]\nregister_name = Rekisteri\n");
  const std::string before = s.archive_fingerprint();

  const std::string out = s.path("out");
  check_refusals(s, {
      {{"inspect", "1001", "-o", out, "--request", "9"}, 5, "no request 9"},
      {{"inspect", "1001", "-o", out, "--request", "1"}, 4, "request 1 was closed on " + today},
      {{"inspect", "1001", "-o", out, "--request", "2"}, 4, "request 2 is a request of rectification"},
      {{"inspect", "1001", "-o", out, "--request", "3"}, 4, "request 3 is not this customer's request"},
      {{"inspect", "9999", "-o", out, "--request", "4"}, 5, "no customer with that number"},
      {{"inspect", "1001", "-o", s.path("full"), "--request", "4"}, 4, "exists and is not an empty folder"},
      {{"inspect", "1001", "-o", s.path("link"), "--request", "4"}, 4, "link"},
      {{"inspect", "1001", "-o", out, "--request", "4", "--lang", "de"}, 2, "--lang must be fi, sv or en, not 'de'"},
      {{"inspect", "1001", "-o", out, "--request", "4"}, 4,
       "the register's texts are not there (" + s.path("none") + "): copy the template",
       {{"KAAPPI_REGISTER_TEXTS", s.path("none")}}},
      {{"inspect", "1001", "-o", out, "--request", "4"}, 4, "have no controller in [fi]",
       {{"KAAPPI_REGISTER_TEXTS", s.path("bad-texts")}}},
      {{"inspect", "1001", "-o", out}, 2, "--request is required"},
  }, [&] {
    CHECK_FALSE(file_exists(out));
    CHECK(s.archive_fingerprint() == before);
  });
  CHECK(folder_entries(s.path("full")) == std::vector<std::string>{"note.txt"});
  CHECK(folder_entries(s.path("elsewhere")).empty());
  CHECK(s.archive_fingerprint() == before);

  // An empty folder is taken, and made private.
  std::filesystem::create_directories(s.path("empty"));
  ::chmod(s.path("empty").c_str(), 0755);
  Result ok = s.kaappi({"inspect", "1001", "-o", s.path("empty"), "--request", "4"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  struct stat st {};
  REQUIRE(::stat(s.path("empty").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}
