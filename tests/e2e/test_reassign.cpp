// test_reassign.cpp — correcting a mis-filed document with the real binary:
// kaappi assign --reason moves a document that has a customer, kaappi
// document set-kind changes its kind, kaappi document history shows both;
// the consents citing it are reported; the latest assignment is the
// document's customer everywhere (documents, customer show --all, get's log,
// erasure); every refusal with its exit code and the archive unchanged;
// verify clean after, and a tampered move or kind change found.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;

namespace {

std::vector<long> ids_of(const nlohmann::json& documents) {
  std::vector<long> out;
  for (const auto& d : documents) out.push_back(d["id"].get<long>());
  return out;
}

std::vector<long> documents_of(const Sandbox& s, const std::vector<std::string>& filter) {
  std::vector<std::string> args = {"documents", "--json"};
  args.insert(args.end(), filter.begin(), filter.end());
  Result r = s.kaappi(args);
  REQUIRE(r.exit_code == 0);
  return ids_of(nlohmann::json::parse(r.out)["documents"]);
}

// Customer 1001 with a consent form (document 1) and a letter filed as
// "other" (document 2), which their consent event names as its evidence;
// customer 1002 with the same content as document 1 (document 3).
void mis_filed_archive(Sandbox& s) {
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  const std::string form = s.make_pdf("form.pdf", {"--seed", "21"});
  REQUIRE(s.import({form}) == std::vector<long>{1});
  REQUIRE(s.import({s.make_pdf("letter.pdf", {"--seed", "22"})}, "other") == std::vector<long>{2});
  REQUIRE(s.import({form}, "consent-form", "1002") == std::vector<long>{3});
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted",
                "--document", "2", "--effective", "2026-01-10"});
}

}  // namespace

TEST_CASE("a mis-filed document is refused a move or kind change that cannot be, nothing changed", "[reassign]") {
  Sandbox s;
  mis_filed_archive(s);
  const std::string before = s.archive_fingerprint();
  check_refusals(
      s,
      {
          {{"assign", "2", "--customer", "1002"}, 2, "document 2 belongs to another customer: say why it is moved with --reason TEXT"},
          {{"assign", "2", "--customer", "1002", "--reason", "  "}, 2, "say why it is moved with --reason"},
          {{"assign", "2", "--customer", "1001", "--reason", "again"}, 4, "document 2 already belongs to that customer; nothing was changed"},
          {{"assign", "1", "--customer", "1002", "--reason", "wrong folder"}, 4, "the customer already has this document (document 3); nothing was changed"},
          {{"assign", "99", "--customer", "1002", "--reason", "wrong folder"}, 5, "no document 99"},
          {{"assign", "2", "--customer", "4242", "--reason", "wrong folder"}, 5, "no customer"},
          {{"document", "set-kind", "2", "contract"}, 2, "--reason"},
          {{"document", "set-kind", "2", "contract", "--reason", " "}, 2, "say why the kind is changed: --reason TEXT"},
          {{"document", "set-kind", "2", "invoice", "--reason", "it is one"}, 2, "invoice"},
          {{"document", "set-kind", "2", "other", "--reason", "it is one"}, 4, "document 2 is already of kind other; nothing was changed"},
          {{"document", "set-kind", "99", "contract", "--reason", "it is one"}, 5, "no document 99"},
          {{"document", "history", "99"}, 5, "no document 99"},
      },
      [&] { CHECK(s.archive_fingerprint() == before); });

  // An erased document is neither moved nor changed.
  kaappi_ok(s, {"erase", "document", "1", "--reason", "scanned by mistake"});
  const std::string erased = s.archive_fingerprint();
  check_refusals(s,
                 {
                     {{"assign", "1", "--customer", "1002", "--reason", "wrong folder"}, 4, "document 1 was erased; nothing was changed"},
                     {{"document", "set-kind", "1", "contract", "--reason", "it is one"}, 4, "document 1 was erased; nothing was changed"},
                 },
                 [&] { CHECK(s.archive_fingerprint() == erased); });
  check_verifies_clean(s);
}

TEST_CASE("a mis-filed document moved and its kind changed is its new customer's everywhere", "[reassign]") {
  Sandbox s;
  mis_filed_archive(s);
  kaappi_ok(s, {"get", "2", "-o", s.path("before.pdf"), "--reason", "looking for the contract"});

  Result moved = s.kaappi({"assign", "2", "--customer", "1002", "--reason", "filed under the wrong customer", "--json"});
  INFO(moved.err);
  REQUIRE(moved.exit_code == 0);
  const auto m = nlohmann::json::parse(moved.out);
  CHECK(m["document"] == 2);
  CHECK(m["customer"] == "1002");
  CHECK(m["moved_from"] == "1001");
  REQUIRE(m["consents_citing"].size() == 1);
  CHECK(m["consents_citing"][0]["event"] == 1);
  CHECK(m["consents_citing"][0]["customer"] == "1001");
  CHECK(m["consents_citing"][0]["purpose"] == "email-marketing");
  CHECK(m["consents_citing"][0]["state"] == "granted");
  // The move reason is sealed: not in the index file as text.
  CHECK(sql_value(s, "SELECT count(*) FROM document_assignments WHERE document_id = 2 AND reason IS NOT NULL") == "1");
  CHECK(sql_value(s, "SELECT instr(reason, 'wrong customer') FROM document_assignments WHERE document_id = 2") == "0");

  CHECK(documents_of(s, {"--customer", "1002"}) == std::vector<long>{2, 3});
  CHECK(documents_of(s, {"--customer", "1001"}) == std::vector<long>{1});
  Result view = s.kaappi({"customer", "show", "1002", "--all", "--json"});
  REQUIRE(view.exit_code == 0);
  CHECK(ids_of(nlohmann::json::parse(view.out)["documents"]) == std::vector<long>{2, 3});
  Result old_view = s.kaappi({"customer", "show", "1001", "--all", "--json"});
  REQUIRE(old_view.exit_code == 0);
  CHECK(ids_of(nlohmann::json::parse(old_view.out)["documents"]) == std::vector<long>{1});

  // The kind, in words; the consent is reported again.
  Result kind = s.kaappi({"document", "set-kind", "2", "contract", "--reason", "it is the signed contract"});
  INFO(kind.err);
  REQUIRE(kind.exit_code == 0);
  CHECK(kind.out.find("Document 2 is now of kind contract (was other)") != std::string::npos);
  CHECK(kind.out.find("1 consent event names document 2 as its evidence") != std::string::npos);
  CHECK(kind.out.find("event 1: customer 1001, email-marketing granted from 2026-01-10") != std::string::npos);
  CHECK(documents_of(s, {"--kind", "contract"}) == std::vector<long>{2});
  CHECK(documents_of(s, {"--kind", "other"}).empty());

  // A move in words; back to 1001 and on again.
  Result back = s.kaappi({"assign", "2", "--customer", "1001", "--reason", "it was theirs after all"});
  REQUIRE(back.exit_code == 0);
  CHECK(back.out.find("Document 2 moved from customer 1002 to customer 1001") != std::string::npos);
  CHECK(back.out.find("1 consent event names document 2") != std::string::npos);
  kaappi_ok(s, {"assign", "2", "--customer", "1002", "--reason", "no, it was not"});

  // get logs the read under the customer it has now.
  kaappi_ok(s, {"get", "2", "-o", s.path("after.pdf"), "--reason", "checking the contract"});
  CHECK(sql_value(s, "SELECT coalesce(customer_id, 0) FROM access_log ORDER BY id DESC LIMIT 1") == "2");
  CHECK(sql_value(s, "SELECT coalesce(customer_id, 0) FROM access_log ORDER BY id LIMIT 1") == "1");

  Result history = s.kaappi({"document", "history", "2", "--json"});
  INFO(history.err);
  REQUIRE(history.exit_code == 0);
  const auto h = nlohmann::json::parse(history.out)["history"];
  REQUIRE(h.size() == 5);
  CHECK(h[0]["what"] == "imported");
  CHECK(h[0]["customer"] == "1001");
  CHECK(h[0]["kind"] == "other");
  CHECK(h[0]["station"].is_null());
  CHECK(h[1]["what"] == "moved");
  CHECK(h[1]["from_customer"] == "1001");
  CHECK(h[1]["customer"] == "1002");
  CHECK(h[1]["reason"] == "filed under the wrong customer");
  CHECK_FALSE(h[1]["by"].is_null());
  CHECK(h[2]["what"] == "kind-changed");
  CHECK(h[2]["from_kind"] == "other");
  CHECK(h[2]["kind"] == "contract");
  CHECK(h[2]["reason"] == "it is the signed contract");
  CHECK(h[3]["what"] == "moved");
  CHECK(h[3]["customer"] == "1001");
  CHECK(h[4]["customer"] == "1002");
  Result words = s.kaappi({"document", "history", "2"});
  REQUIRE(words.exit_code == 0);
  CHECK(words.out.find("imported as other for customer 1001") != std::string::npos);
  CHECK(words.out.find("moved from customer 1001 to customer 1002") != std::string::npos);
  CHECK(words.out.find("kind changed from other to contract") != std::string::npos);
  CHECK(words.out.find("filed under the wrong customer") != std::string::npos);

  // An unassigned scan is still assigned without a reason: covered by the
  // ingest tests; its history says "assigned".
  check_verifies_clean(s);

  // The proof of 1001's consent: its evidence was moved away, so the proof
  // is written without it (never with another customer's document), exit 6.
  const std::string folder = s.path("proof");
  Result proof = s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", folder,
                           "--reason", "an audit", "--json"});
  INFO(proof.out << proof.err);
  CHECK(proof.exit_code == 6);
  CHECK(proof.err.find("the proof is incomplete: cited by these events, document 2 was moved to another customer on ") !=
        std::string::npos);
  CHECK(proof.err.find("1002") == std::string::npos);
  const auto result = nlohmann::json::parse(proof.out);
  CHECK(result["documents"].empty());
  REQUIRE(result["left_out"].size() == 1);
  CHECK(result["left_out"][0]["id"] == 2);
  CHECK(result["left_out"][0]["why"] == "moved");
  const auto summary = nlohmann::json::parse(read_text(folder + "/proof.json"));
  REQUIRE(summary["documents"].size() == 1);
  CHECK(summary["documents"][0]["moved"] == result["left_out"][0]["on"]);
  CHECK(summary["documents"][0]["file"].is_null());
  CHECK_FALSE(file_exists(folder + "/document-2.pdf"));

  // Erasing the old customer does not take the document moved away, and
  // erases the reasons of the moves to and from them.
  Result erase = s.kaappi({"erase", "customer", "1001", "--reason", "asked to be forgotten"});
  INFO(erase.out << erase.err);
  REQUIRE(erase.exit_code == 0);
  CHECK(sql_value(s, "SELECT sealed_key IS NULL FROM documents WHERE id = 1") == "1");
  CHECK(sql_value(s, "SELECT sealed_key IS NULL FROM documents WHERE id = 2") == "0");
  CHECK(sql_value(s, "SELECT count(*) FROM document_assignments WHERE document_id = 2 AND reason IS NULL") == "3");
  CHECK(sql_value(s, "SELECT count(*) FROM document_kinds WHERE document_id = 2 AND reason IS NULL") == "0");
  kaappi_ok(s, {"get", "2", "-o", s.path("kept.pdf"), "--reason", "still 1002's"});
  CHECK(documents_of(s, {"--customer", "1002"}) == std::vector<long>{2, 3});
  Result after = s.kaappi({"document", "history", "2", "--json"});
  REQUIRE(after.exit_code == 0);
  const auto a = nlohmann::json::parse(after.out)["history"];
  REQUIRE(a.size() == 5);
  CHECK(a[0]["customer"].is_null());
  CHECK(a[1]["reason"].is_null());
  CHECK(a[1]["reason_erased"] == true);
  CHECK(a[2]["reason"] == "it is the signed contract");
  check_verifies_clean(s);
}

TEST_CASE("verify finds a tampered move or kind change", "[reassign][verify]") {
  Sandbox s;
  mis_filed_archive(s);
  kaappi_ok(s, {"assign", "2", "--customer", "1002", "--reason", "filed under the wrong customer"});
  kaappi_ok(s, {"document", "set-kind", "2", "contract", "--reason", "it is the signed contract"});
  check_verifies_clean(s);

  SECTION("the move names another customer") {
    sql(s, "UPDATE document_assignments SET customer_id = 1 WHERE document_id = 2");
    Result v = s.kaappi({"verify"});
    CHECK(v.exit_code == 1);
    CHECK(v.out.find("assignment altered") != std::string::npos);
  }
  SECTION("the kind change names another kind") {
    sql(s, "UPDATE document_kinds SET kind = 'other' WHERE document_id = 2");
    Result v = s.kaappi({"verify"});
    CHECK(v.exit_code == 1);
    CHECK(v.out.find("kind change altered") != std::string::npos);
  }
  SECTION("the move's reason is swapped for another row's") {
    sql(s, "UPDATE document_assignments SET reason = (SELECT reason FROM document_kinds) WHERE document_id = 2");
    Result v = s.kaappi({"verify"});
    CHECK(v.exit_code == 1);
    CHECK(v.out.find("assignment altered") != std::string::npos);
  }
  SECTION("the kind change is deleted") {
    sql(s, "DELETE FROM document_kinds");
    Result v = s.kaappi({"verify"});
    CHECK(v.exit_code == 1);
  }
}

TEST_CASE("a moved document's reads while it was another customer's are not its new customer's", "[reassign][reads]") {
  Sandbox s;
  mis_filed_archive(s);
  kaappi_ok(s, {"get", "2", "-o", s.path("first.pdf"), "--reason", "ENSIMMAISEN-LUKU"});
  kaappi_ok(s, {"assign", "2", "--customer", "1002", "--reason", "filed under the wrong customer"});
  kaappi_ok(s, {"get", "2", "-o", s.path("second.pdf"), "--reason", "TOISEN-LUKU"});

  const auto log_of = [&](const std::string& number) {
    Result r = s.kaappi({"access-log", "--customer", number, "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const std::string first = log_of("1001"), second = log_of("1002");
  CHECK(first.find("ENSIMMAISEN-LUKU") != std::string::npos);
  CHECK(first.find("TOISEN-LUKU") == std::string::npos);
  CHECK(second.find("TOISEN-LUKU") != std::string::npos);
  CHECK(second.find("ENSIMMAISEN-LUKU") == std::string::npos);
  // Nor in the new customer's inspection copy.
  kaappi_ok(s, {"request", "add", "1002", "--kind", "inspection", "--received", kaappi::today()});
  Result inspect = s.kaappi({"inspect", "1002", "-o", s.path("copy"), "--request", "1"},
                           {{"KAAPPI_REGISTER_TEXTS", std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example"}});
  INFO(inspect.err);
  REQUIRE(inspect.exit_code == 0);
  const std::string data = read_text(s.path("copy") + "/data.json");
  CHECK(data.find("TOISEN-LUKU") != std::string::npos);
  CHECK(data.find("ENSIMMAISEN-LUKU") == std::string::npos);

  // The new customer erased, the document with them: the first customer's
  // consent, which cited it, does not learn of that erasure.
  Result erase = s.kaappi({"erase", "customer", "1002", "--reason", "asked in person"});
  INFO(erase.out << erase.err);
  REQUIRE(erase.exit_code == 0);
  Result shown = s.kaappi({"consent", "history", "1001", "--json"});
  REQUIRE(shown.exit_code == 0);
  const auto events = nlohmann::json::parse(shown.out)["events"];
  REQUIRE(events.size() == 1);
  CHECK(events[0]["document"] == 2);
  CHECK(events[0]["document_erased"].is_null());
  CHECK(s.kaappi({"consent", "show", "1001"}).out.find("erased") == std::string::npos);
}
