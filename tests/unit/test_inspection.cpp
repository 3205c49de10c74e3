// test_inspection.cpp — the inspection's rules that need no archive: the fee
// rule (rights/inspection.h: free while fewer than N earlier inspections fall
// within the twelve months before today), the register's texts file
// (export/register_texts.h: its format, every refusal, the shipped template),
// and the report's words (export/inspection_labels.h: every value the report
// names has a label in fi, sv and en); and, in-process with the archive
// fixture, an erased document listed in a copy as erased, with no copy.
#include <algorithm>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/file_io.h"
#include "base/languages.h"
#include "documents/document_record.h"
#include "export/inspection.h"
#include "export/inspection_labels.h"
#include "export/register_texts.h"
#include "register/customer_fields.h"
#include "rights/inspection.h"
#include "rights/requests.h"
#include "store/erasure.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"

using namespace kaappi;

TEST_CASE("the fee rule: the first inspection in twelve months is free, further ones are charged", "[inspection]") {
  auto fee = decide_inspection_fee({}, "2026-03-01", 1);
  CHECK(fee.free);
  CHECK(fee.fee() == "free");
  CHECK(fee.since == "2025-03-01");
  CHECK(fee.previous.empty());

  fee = decide_inspection_fee({"2026-01-15"}, "2026-03-01", 1);
  CHECK_FALSE(fee.free);
  CHECK(fee.fee() == "charged");
  CHECK(fee.previous == std::vector<std::string>{"2026-01-15"});

  // Exactly twelve months ago is outside the window; the day after is inside.
  CHECK(decide_inspection_fee({"2025-03-01"}, "2026-03-01", 1).free);
  CHECK_FALSE(decide_inspection_fee({"2025-03-02"}, "2026-03-01", 1).free);
  // Older ones do not count, and are not listed; the listed ones are sorted.
  fee = decide_inspection_fee({"2026-02-01", "2020-05-05", "2025-12-24"}, "2026-03-01", 3);
  CHECK(fee.free);
  CHECK(fee.previous == std::vector<std::string>{"2025-12-24", "2026-02-01"});
  CHECK_FALSE(decide_inspection_fee({"2026-02-01", "2025-12-24", "2025-06-01"}, "2026-03-01", 3).free);
  // None free: every inspection is charged.
  CHECK_FALSE(decide_inspection_fee({}, "2026-03-01", 0).free);
  // 29 February: twelve months back is 28 February.
  CHECK(decide_inspection_fee({}, "2028-02-29", 1).since == "2027-02-28");
}

TEST_CASE("the number of free inspections a year is a whole number from 0 to 365", "[inspection]") {
  CHECK(parse_free_per_year("1", Field{"inspection_free_per_year"}) == 1);
  CHECK(parse_free_per_year("0", Field{"inspection_free_per_year"}) == 0);
  CHECK(parse_free_per_year("365", Field{"inspection_free_per_year"}) == 365);
  for (const char* bad : {"", "-1", "366", "1.5", "one", "1000"})
    CHECK_THROWS_AS(parse_free_per_year(bad, Field{"inspection_free_per_year"}), Error);
}

namespace {

std::string complete(const std::string& extra_fi = "") {
  std::string out;
  for (const char* lang : {"fi", "sv", "en"}) {
    out += std::string("[") + lang + "]\n";
    out += "register_name = Rekisteri " + std::string(lang) + "\n";
    for (const char* key : {"controller", "contact", "purposes", "recipients", "retention", "rights", "authority"})
      out += std::string(key) + " = " + key + " " + lang + "\n";
    if (std::string(lang) == "fi") out += extra_fi;
  }
  return out;
}

std::string refusal(const std::string& text) {
  try {
    parse_register_texts(text, "texts");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::rejected);
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("the register's texts: sections per language, key = value lines, lists by repeating a key",
          "[inspection]") {
  const auto texts = parse_register_texts("# comment\n\n" + complete("purposes = toinen\n  purposes =  kolmas  \n"),
                                          "texts");
  CHECK(texts.lines("fi", "purposes") == std::vector<std::string>{"purposes fi", "toinen", "kolmas"});
  CHECK(texts.lines("sv", "authority") == std::vector<std::string>{"authority sv"});
  CHECK(texts.lines("en", "register_name") == std::vector<std::string>{"Rekisteri en"});
  CHECK(texts.lines("en", "security").empty());
  CHECK(texts.lines("de", "purposes").empty());

  CHECK(refusal("register_name = x\n" + complete()) == "texts:1: start with a language's section: [fi], [sv] or [en]");
  CHECK(refusal("[de]\n" + complete()) == "texts:1: the language must be fi, sv or en, not 'de'");
  CHECK(refusal(complete("[fi]\n")).find("the section [fi] is there twice") != std::string::npos);
  CHECK(refusal(complete("purpose = x\n")).find("no text is called 'purpose' (did you mean purposes?)") !=
        std::string::npos);
  CHECK(refusal(complete("purposes\n")).find("a line is written key = value") != std::string::npos);
  CHECK(refusal(complete("purposes = \n")).find("purposes has no text") != std::string::npos);
  CHECK(refusal(complete("register_name = again\n")).find("register_name is one line") != std::string::npos);
  CHECK(refusal(complete("purposes = a\x01z\n")).find("control characters") != std::string::npos);
  CHECK(refusal(complete("purposes = \xff\n")).find("not UTF-8") != std::string::npos);
  CHECK(refusal("[fi]\nregister_name = x\n") == "the register's texts texts have no controller in [fi]");
  std::string no_sv = complete();
  no_sv = no_sv.substr(0, no_sv.find("[sv]")) + no_sv.substr(no_sv.find("[en]"));
  CHECK(refusal(no_sv).find("have no section [sv]") != std::string::npos);
  CHECK(refusal(std::string(70000, '#')).find("longer than 64 KiB") != std::string::npos);

  REQUIRE_THROWS_AS(read_register_texts("/nonexistent/texts", "/usr/share/kaappi/register-texts.example"), Error);
}

TEST_CASE("the shipped template of the register's texts is complete in fi, sv and en", "[inspection]") {
  const std::string path = std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example";
  const auto texts = read_register_texts(path, path);
  for (const auto& lang : print_languages())
    for (const auto& key : register_texts_keys()) {
      INFO(lang + " " + key.key);
      CHECK_FALSE(texts.lines(lang, key.key).empty());
    }
  CHECK(texts.lines("fi", "authority").at(0).find("Tietosuojavaltuutetun toimisto") == 0);
  CHECK(texts.lines("sv", "authority").at(0).find("Dataombudsmannens byrå") == 0);
  CHECK(texts.lines("en", "authority").at(0).find("Office of the Data Protection Ombudsman") == 0);
}

TEST_CASE("every value the report names has its words in fi, sv and en", "[inspection]") {
  std::vector<std::string> keys;
  for (const auto& f : customer_fields()) keys.push_back(std::string("field.") + f.key);
  for (const auto& s : record_sources()) keys.push_back("source." + s);
  for (const auto& k : document_kinds()) keys.push_back("kind." + k);
  for (const auto& k : request_kinds()) keys.push_back("request." + k);
  for (const char* s : {"granted", "refused", "withdrawn", "retracted", "none"}) keys.push_back(std::string("state.") + s);
  for (const char* a : {"get", "proof", "inspect"}) keys.push_back(std::string("action.") + a);
  for (const auto& k : register_texts_keys()) keys.emplace_back(k.key);
  const auto known = inspection_label_keys();
  for (const auto& key : keys) {
    INFO(key);
    CHECK(std::find(known.begin(), known.end(), key) != known.end());
  }
  for (const auto& key : known) {
    INFO(key);
    CHECK_FALSE(inspection_label("fi", key).empty());
    CHECK_FALSE(inspection_label("sv", key).empty());
    CHECK_FALSE(inspection_label("en", key).empty());
  }
  CHECK(inspection_label("sv", "field.name") == "Namn");
  for (const auto& lang : print_languages())
    CHECK(inspection_label(lang, "fee_rule_count").find("{n}") != std::string::npos);
  CHECK(inspection_label("fi", "action.newer") == "newer");
}

TEST_CASE("an erased document is listed in the inspection copy as erased, with no copy", "[inspection]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Session& s = fx.session();
  DocumentRow doc = test::stand_in_document(s, anna.id, "contract");
  erase_values(s, {{"documents", doc.id, "sealed_key"}, {"documents", doc.id, "meta"}, {"documents", doc.id, "content_tag"}},
               "mis-filed");
  NewRequest asked;
  asked.kind = "inspection";
  asked.received = "2026-02-27";
  Request r = add_request(s, anna, asked);

  const std::string path = std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example";
  const RegisterTexts texts = read_register_texts(path, path);
  InspectionOptions options;
  options.request = r.id;
  options.directory = fx.dir() + "/copy";
  options.lang = "en";
  InspectionResult result = write_inspection(s, anna, texts, options);
  CHECK(result.erased == std::vector<std::int64_t>{doc.id});
  CHECK(result.documents.empty());
  CHECK(result.fee.free);

  const auto data = nlohmann::json::parse(read_text_file(result.data_path, 1 << 20));
  REQUIRE(data["documents"].size() == 1);
  CHECK(data["documents"][0]["id"] == doc.id);
  CHECK(data["documents"][0]["erased"] == true);
  CHECK(data["documents"][0]["file"].is_null());
  CHECK(data["documents"][0]["kind"] == "contract");
  // No document read: only this copy's own read of the person.
  REQUIRE(data["reads"].size() == 1);
  CHECK(data["reads"][0]["action"] == "inspect");
  CHECK(data["reads"][0]["document"].is_null());
  CHECK(data["reads"][0]["reason"] == "inspection request " + std::to_string(r.id));
  CHECK(data["customer"]["name"] == "Anna Asiakas");
  CHECK(data["fee"]["since"] == "2025-03-01");
  CHECK(path_exists(result.report_path));
  CHECK_FALSE(path_exists(fx.dir() + "/copy/document-" + std::to_string(doc.id) + ".pdf"));

  const Request recorded = find_request(s, r.id);
  REQUIRE(recorded.inspected_at);
  CHECK(recorded.inspected_by == test::ArchiveFixture::k_actor);
  CHECK(recorded.inspection.fee == "free");
  CHECK(recorded.inspection.lang == "en");
  CHECK(recorded.inspection.documents.empty());
  CHECK(test::error_kind_of([&] { inspection_request(s, r.id, anna); }) == ErrorKind::rejected);
}
