// test_restriction.cpp — what follows an erasure with the real binary: a
// customer whose record a hold keeps after their erasure was asked is
// restricted (shown so everywhere, on no list, no consent to contact them
// nor a ban lifted, their documents proving nothing new, no feedback, still
// rectifiable), and a consent whose proving document was
// erased says so (show, history, JSON, proof); every refusal with its exit
// code, its sentence and the archive unchanged.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The shipped register texts, for inspect.
std::map<std::string, std::string> texts_env() {
  return {{"KAAPPI_REGISTER_TEXTS", std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example"}};
}

nlohmann::json json_of(const Sandbox& s, const std::vector<std::string>& args) {
  Result r = s.kaappi(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("a customer kept by a hold after their erasure was asked is restricted, not used", "[erase]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Rajoitettu Oy"});
  kaappi_ok(s, {"consent", "set", "--customer", "1002", "--purpose", "email-marketing", "--state", "granted",
                "--effective", "2026-01-10"});
  const long form = s.import({s.make_pdf("form.pdf", {"--seed", "41"})}, "consent-form", "1002").at(0);
  kaappi_ok(s, {"hold", "add", "--customer", "1002", "--until", kaappi::add_months(kaappi::today(), 2), "--reason",
                "an unpaid invoice"});
  REQUIRE(s.kaappi({"erase", "customer", "1002", "--reason", "asked by letter"}).exit_code == 6);
  const std::string today = kaappi::today();

  // Shown so: the record, the consents (may contact nobody), the whole view.
  Result show = s.kaappi({"customer", "show", "1002"});
  CHECK(has(show.out, "Restricted:         since " + today + ": their erasure was asked"));
  CHECK(json_of(s, {"customer", "show", "1002", "--json"})["restricted_since"] == today);
  CHECK(json_of(s, {"customer", "show", "1001", "--json"})["restricted_since"].is_null());
  Result consents = s.kaappi({"consent", "show", "1002"});
  CHECK(has(consents.out, "  RESTRICTED since " + today + ": their erasure was asked"));
  CHECK(has(consents.out, "granted since 2026-01-10 (other) [event 1] - but restricted\n"));
  const nlohmann::json shown = json_of(s, {"consent", "show", "1002", "--json"});  // held: not a temporary's part
  for (const auto& state : shown["consents"]) {
    CHECK(state["restricted_since"] == today);
    if (state["ban"] == false) CHECK(state["may_contact"] == false);
  }
  CHECK(has(s.kaappi({"customer", "show", "1002", "--all"}).out, "Restricted:"));

  // On no list: marketing, or the customer list (which says how many it leaves out).
  CHECK_FALSE(has(s.kaappi({"consent", "list", "--purpose", "email-marketing"}).out, "1002"));
  Result list = s.kaappi({"customer", "list"});
  CHECK(has(list.out, "1001"));
  CHECK_FALSE(has(list.out, "1002"));
  CHECK(has(list.err, "1 restricted customer is left out"));
  CHECK_FALSE(has(s.kaappi({"customer", "list", "--search", "Rajoitettu"}).out, "1002"));

  // No consent to contact them, no feedback; a refusal, a ban and a rectification may be recorded.
  const std::string before = s.archive_fingerprint();
  check_refusals(s, {
      {{"consent", "set", "--customer", "1002", "--purpose", "sms-marketing", "--state", "granted"}, 4,
       "the customer is restricted since " + today},
      {{"customer", "feedback", "1002", "--text", "hyvä palvelu"}, 4, "only a rectification can change it"},
      // Lifting a ban lets them be contacted: refused as a consent is.
      {{"consent", "set", "--customer", "1002", "--purpose", "ban-direct-marketing", "--state", "withdrawn"}, 4,
       "nor a ban of theirs lifted"},
      // Their document is only kept: it proves nothing new, not even a ban.
      {{"consent", "set", "--customer", "1002", "--purpose", "ban-direct-marketing", "--state", "granted",
        "--document", std::to_string(form)},
       4, "document " + std::to_string(form) + " is restricted since " + today},
  }, [&] { CHECK(s.archive_fingerprint() == before); });
  kaappi_ok(s, {"consent", "set", "--customer", "1002", "--purpose", "email-marketing", "--state", "withdrawn"});
  kaappi_ok(s, {"consent", "set", "--customer", "1002", "--purpose", "ban-direct-marketing", "--state", "granted"});
  // Retracting the ban or the withdrawal could let them be contacted again; retracting a consent cannot.
  const std::string recorded = s.archive_fingerprint();
  check_refusals(s, {
      {{"consent", "retract", "3", "--customer", "1002", "--note", "x"}, 4,
       "event 3 (ban-direct-marketing granted) is not retracted"},
      {{"consent", "retract", "2", "--customer", "1002", "--note", "x"}, 4,
       "event 2 (email-marketing withdrawn) is not retracted"},
  }, [&] { CHECK(s.archive_fingerprint() == recorded); });
  Result edit = s.kaappi({"customer", "edit", "1002", "--email", "kirjaamo@example.fi", "--reason", "corrected"});
  INFO(edit.err);
  CHECK(edit.exit_code == 0);
  CHECK(has(edit.err, "the customer stays restricted (since " + today + ")"));

  // Their inspection copy says so: data.json and the report.
  kaappi_ok(s, {"request", "add", "1002", "--kind", "inspection", "--received", today});
  Result inspect = s.kaappi({"inspect", "1002", "-o", s.path("copy"), "--request", "1", "--lang", "en"}, texts_env());
  INFO(inspect.err);
  REQUIRE(inspect.exit_code == 0);
  const auto data = nlohmann::json::parse(read_text(s.path("copy/data.json")));
  CHECK(data["customer"]["restricted_since"] == today);
  CHECK(has(pdf_text(s, s.path("copy/report.pdf")),
            "The processing of your data is restricted since " + today + ": you asked for erasure"));
  check_verifies_clean(s);
}

TEST_CASE("a document a hold keeps after the erasure was asked is only kept: not moved, not given another kind",
          "[erase][reassign]") {
  Sandbox s;
  s.init_archive_with_customer();
  const auto import_for = [&](const std::string& number, const std::string& kind, const std::string& seed) {
    return std::to_string(s.import({s.make_pdf(kind + seed + ".pdf", {"--seed", seed})}, kind, number).at(0));
  };
  // 1002: a hold on the customer keeps the record and their document.
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Pidetty Oy"});
  const std::string held = import_for("1002", "other", "61");
  kaappi_ok(s, {"hold", "add", "--customer", "1002", "--until", kaappi::add_months(kaappi::today(), 2), "--reason",
                "a dispute"});
  REQUIRE(s.kaappi({"erase", "customer", "1002", "--reason", "asked in person"}).exit_code == 6);
  // 1003: erased, but the accounting rule keeps their contract.
  kaappi_ok(s, {"customer", "add", "--number", "1003", "--name", "Sopimus Oy"});
  const std::string contract = import_for("1003", "contract", "62");
  REQUIRE(s.kaappi({"erase", "customer", "1003", "--reason", "asked by letter"}).exit_code == 6);
  const std::string today = kaappi::today();

  std::vector<Refusal> refusals;
  for (const std::string& doc : {held, contract}) {
    const std::string says = "document " + doc + " is restricted since " + today;
    refusals.push_back({{"assign", doc, "--customer", "1001", "--reason", "filed wrong"}, 4, says});
    refusals.push_back({{"document", "set-kind", doc, "consent-form", "--reason", "not a contract"}, 4, says});
  }
  // Nor is anything filed to a restricted customer (it could not be moved back).
  const std::string other = import_for("1001", "other", "63");
  refusals.push_back({{"assign", other, "--customer", "1002", "--reason", "wrong number"}, 4,
                      "the customer is restricted since " + today + " (their erasure was asked"});
  const std::string before = s.archive_fingerprint();
  check_refusals(s, refusals, [&] { CHECK(s.archive_fingerprint() == before); });
  check_verifies_clean(s);

  // On no list: the export leaves 1002 out and says so; documents --names shows no name.
  Result exported = s.kaappi({"customer", "export", "-o", "-"});
  REQUIRE(exported.exit_code == 0);
  CHECK(has(exported.out, "1001"));
  CHECK_FALSE(has(exported.out, "Pidetty"));
  CHECK(has(exported.err, "1 restricted customer is left out"));
  Result named = s.kaappi({"documents", "--names"});
  REQUIRE(named.exit_code == 0);
  CHECK_FALSE(has(named.out, "Pidetty"));
  CHECK(has(named.out, "(restricted)"));
  const nlohmann::json listed = json_of(s, {"documents", "--names", "--json"});
  for (const auto& d : listed["documents"])
    if (d["id"] == std::stol(held)) CHECK(d["customer_name"].is_null());
}

TEST_CASE("a consent whose proving document was erased says so, and its proof says what is missing", "[erase]") {
  Sandbox s;
  s.init_archive_with_customer();
  const long form = s.import({s.make_pdf("form.pdf", {"--seed", "52"})}, "other").at(0);
  const std::string doc = std::to_string(form);
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted",
                "--document", doc, "--effective", "2026-01-10"});
  kaappi_ok(s, {"erase", "document", doc, "--reason", "scanned twice"});
  const std::string today = kaappi::today();

  // The choice was made and still counts; its proof is gone, and every view says so.
  Result show = s.kaappi({"consent", "show", "1001"});
  CHECK(has(show.out, "granted since 2026-01-10, proven by document " + doc + " (erased on " + today +
                          ": the proof is gone) [event 1]"));
  const auto states = json_of(s, {"consent", "show", "1001", "--json"})["consents"];
  CHECK(states[0]["may_contact"] == true);
  CHECK(has(s.kaappi({"consent", "history", "1001"}).out, "(document " + doc + ", erased on " + today + ")"));
  CHECK(json_of(s, {"consent", "history", "1001", "--json"})["events"][0]["document_erased"] == today);

  // A new event cannot cite it.
  const std::string before = s.archive_fingerprint();
  check_refusals(s, {
      {{"consent", "set", "--customer", "1001", "--purpose", "sms-marketing", "--state", "granted", "--document", doc},
       4, "document " + doc + " was erased on " + today + " and can prove nothing now"},
  }, [&] { CHECK(s.archive_fingerprint() == before); });

  // The proof: written without it, proof.json says when it went, exit 6.
  const std::string folder = s.path("proof");
  Result proof = s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", folder, "--reason",
                           "an auditor asked"});
  CHECK(proof.exit_code == 6);
  CHECK(has(proof.out, "0 signed documents decrypted"));
  CHECK(has(proof.err, "the proof is incomplete: cited by these events, document " + doc + " was erased on " + today));
  const auto summary = nlohmann::json::parse(read_text(folder + "/proof.json"));
  REQUIRE(summary["documents"].size() == 1);
  CHECK(summary["documents"][0]["id"] == form);
  CHECK(summary["documents"][0]["erased"] == today);
  CHECK(summary["documents"][0]["file"].is_null());
  CHECK_FALSE(file_exists(folder + "/document-" + doc + ".pdf"));

  // The person's inspection copy: the consent's evidence, erased on that day.
  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", today});
  Result inspect = s.kaappi({"inspect", "1001", "-o", s.path("copy"), "--request", "1", "--lang", "en"}, texts_env());
  INFO(inspect.err);
  REQUIRE(inspect.exit_code == 0);
  const auto data = nlohmann::json::parse(read_text(s.path("copy/data.json")));
  CHECK(data["consents"]["states"][0]["document_erased"] == today);
  CHECK(has(pdf_text(s, s.path("copy/report.pdf")), "evidence: document " + doc + " (erased on " + today + ")"));
  check_verifies_clean(s);
}
