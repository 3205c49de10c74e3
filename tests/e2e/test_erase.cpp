// test_erase.cpp — kaappi erase customer|document, hold and retention due
// with the real binary: what goes (keys, sealed values, files), what a hold
// keeps (restricted, exit 6) and when it may go, that verify stays clean and
// that nothing of the erased person is left in the archive folder; every
// refusal with its exit code and the archive unchanged.
#include <catch2/catch.hpp>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"
#include "support/raw_sql.h"

using namespace e2e;

namespace {

std::string year_end_in(int years) {
  return std::to_string(std::stoi(kaappi::today().substr(0, 4)) + years) + "-12-31";
}

void test_sql_on(const std::string& archive, const std::string& statement) {
  kaappi::test::raw_sql(archive + "/index.sqlite", statement);
}

}  // namespace

TEST_CASE("erase customer destroys their key, values and files, and verify stays clean", "[erase]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  std::vector<long> docs = s.import({s.make_pdf("form.pdf", {"--seed", "11"}), s.make_pdf("letter.pdf", {"--seed", "12"})});
  const long other_doc = s.import({s.make_pdf("other.pdf", {"--seed", "13"})}, "other", "1002").at(0);
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted",
                "--document", std::to_string(docs[0]), "--effective", "2026-01-10"});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", kaappi::today()});
  kaappi_ok(s, {"request", "close", "1", "--reason", "withdrawn by the person"});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "erasure", "--received", kaappi::today(), "--note", "all of it"});
  kaappi_ok(s, {"get", std::to_string(docs[1]), "-o", s.path("read.pdf"), "--reason", "checking the letter"});

  // What is sealed of 1001 now, to look for afterwards.
  std::vector<std::string> sealed;
  for (const char* q : {"SELECT hex(name) FROM customer_versions WHERE customer_id = 1",
                        "SELECT hex(email) FROM customer_versions WHERE customer_id = 1",
                        "SELECT hex(wrapped) FROM customer_keys WHERE customer_id = 1",
                        "SELECT hex(event) FROM consent_events WHERE customer_id = 1",
                        "SELECT hex(details) FROM requests WHERE customer_id = 1",
                        "SELECT hex(reason) FROM access_log WHERE customer_id = 1",
                        "SELECT hex(meta) FROM documents WHERE id = 1", "SELECT hex(sealed_key) FROM documents WHERE id = 2"}) {
    sealed.push_back(bytes_from_hex(sql_value(s, q)));
    REQUIRE(left_in_folder(s.archive(), sealed.back()));
  }
  const std::string blob1 = blob_of(s, docs[0]), blob2 = blob_of(s, docs[1]), blob3 = blob_of(s, other_doc);

  const std::string before = s.archive_fingerprint();
  Result dry = s.kaappi({"erase", "customer", "1001", "--dry-run"});
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  CHECK(dry.out == "Would erase customer 1001 with their key: 1 version of the record, 1 consent event, 2 documents (" +
                       std::to_string(docs[0]) + ", " + std::to_string(docs[1]) +
                       "), the notes of 2 requests and the reasons of 1 read.\n"
                       "Consent events citing an erased document as their proof: 1 (erased with the customer)\n"
                       "Nothing was changed (a dry run).\n");
  CHECK(s.archive_fingerprint() == before);

  Result erase = s.kaappi({"erase", "customer", "1001", "--reason", "the customer asked, request 1"});
  INFO(erase.err);
  REQUIRE(erase.exit_code == 0);
  CHECK(erase.out.rfind("Erased customer 1001 with their key:", 0) == 0);
  for (const std::string& value : sealed) CHECK_FALSE(left_in_folder(s.archive(), value));
  CHECK_FALSE(file_exists(blob1));
  CHECK_FALSE(file_exists(blob2));
  CHECK(file_exists(blob3));
  // Nothing of the person in plain text anywhere in the folder.
  Result grep = s.run({"/bin/grep", "-rlaE", "Testiasiakas|anna\\.asiakas|all of it|checking the letter", s.archive()});
  CHECK(grep.out.empty());

  check_verifies_clean(s);
  for (const char* command : {"show", "history"}) {
    Result show = s.kaappi({"customer", command, "1001"});
    CHECK(show.exit_code == 5);
    CHECK(show.err.find("the customer with that number was erased on " + kaappi::today()) != std::string::npos);
  }
  Result again = s.kaappi({"erase", "customer", "1001", "--reason", "again"});
  CHECK(again.exit_code == 4);
  CHECK(again.err.find("the customer with that number was erased on " + kaappi::today()) != std::string::npos);
  Result get = s.kaappi({"get", std::to_string(docs[0]), "-o", s.path("gone.pdf"), "--reason", "x"});
  CHECK(get.exit_code == 5);
  CHECK(get.err.find("document " + std::to_string(docs[0]) + " was erased on " + kaappi::today()) != std::string::npos);
  CHECK_FALSE(file_exists(s.path("gone.pdf")));
  Result log = s.kaappi({"access-log"});
  CHECK(log.out.find("\t-\tget\t" + std::to_string(docs[1]) + "\tcustomer erased\t(erased)\n") != std::string::npos);
  // The closed request stays closed; the open one was answered by the erasure.
  Result requests = s.kaappi({"request", "list"});
  INFO(requests.err);
  CHECK(requests.exit_code == 0);
  CHECK(requests.out.find("1\t(erased)\tinspection\t") != std::string::npos);
  CHECK(requests.out.find("2\t(erased)\terasure\t" + kaappi::today()) != std::string::npos);
  CHECK(requests.out.find("\tclosed " + kaappi::today() + " by the erasure of its customer\n") != std::string::npos);
  CHECK(s.kaappi({"request", "list", "--open"}).out == "ID\tCUSTOMER\tKIND\tRECEIVED\tCHANNEL\tDEADLINE\tSTATE\n");
  // The other customer is untouched.
  kaappi_ok(s, {"get", std::to_string(other_doc), "-o", s.path("other-back.pdf"), "--reason", "still here"});
  CHECK(sha_of_file(s.path("other-back.pdf")) == sha_of_file(s.path("other.pdf")));
  Result list = s.kaappi({"customer", "list"});
  CHECK(list.out == "NUMBER\tNAME\tBUSINESS ID\tEMAIL\n1002\tToinen Oy\t\t\n");
}

TEST_CASE("an erasure that meets a hold keeps what it holds, restricted, and says why with exit 6", "[erase]") {
  Sandbox s;
  s.init_archive_with_customer();
  const long form = s.import({s.make_pdf("form.pdf", {"--seed", "21"})}).at(0);
  const long contract = s.import({s.make_pdf("contract.pdf", {"--seed", "22", "--pages", "3"})}, "contract").at(0);
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted",
                "--effective", "2026-01-10"});

  Result rules = s.kaappi({"hold", "rule", "list"});
  CHECK(rules.out == "KIND\tKEPT\tSET\nconsent-form\tnone\tdefault\ncontract\t6 years from the end of the year\tdefault\n"
                     "other\tnone\tdefault\n");
  Result erase = s.kaappi({"erase", "customer", "1001", "--reason", "asked by the customer"});
  INFO(erase.err);
  CHECK(erase.exit_code == 6);
  CHECK(erase.out.find("1 document (" + std::to_string(form) + ")") != std::string::npos);
  CHECK(erase.out.find("Kept, restricted until its hold ends (kaappi retention due lists it then):\n  document " +
                       std::to_string(contract) + " until " + year_end_in(6) +
                       ": the retention rule of contract documents (6 years from the end of the year)\n") !=
        std::string::npos);
  CHECK_FALSE(file_exists(blob_of(s, form)));
  // The contract is kept whole: readable (the read logged), verify clean.
  kaappi_ok(s, {"get", std::to_string(contract), "-o", s.path("contract-back.pdf"), "--reason", "the auditor asked"});
  CHECK(sha_of_file(s.path("contract-back.pdf")) == sha_of_file(s.path("contract.pdf")));
  Result log = s.kaappi({"access-log", "--document", std::to_string(contract)});
  CHECK(log.out.find("\tget\t" + std::to_string(contract) + "\tcustomer erased\tthe auditor asked\n") != std::string::npos);
  check_verifies_clean(s);
  CHECK(s.kaappi({"retention", "due"}).out == "WHAT\tRESTRICTED\tHELD UNTIL\tSTATE\tERASE WITH\n");
  Result all = s.kaappi({"retention", "due", "--all", "--json"});
  auto j = nlohmann::json::parse(all.out);
  REQUIRE(j["restricted"].size() == 1);
  CHECK(j["restricted"][0]["document"] == contract);
  CHECK(j["restricted"][0]["held_until"] == year_end_in(6));
  CHECK(j["restricted"][0]["due"] == false);

  // The rule changed: the contract is due now, and goes.
  kaappi_ok(s, {"hold", "rule", "set", "contract", "--years", "0"});
  Result due = s.kaappi({"retention", "due"});
  CHECK(due.out.find("document " + std::to_string(contract) + "\t") != std::string::npos);
  CHECK(due.out.find("\tdue\tkaappi erase document " + std::to_string(contract) + " --reason \"WHY\"\n") !=
        std::string::npos);
  Result last = s.kaappi({"erase", "document", std::to_string(contract), "--reason", "retention over"});
  INFO(last.err);
  CHECK(last.exit_code == 0);
  CHECK(last.out.rfind("Erased document " + std::to_string(contract) + ": its key, metadata and file.\n", 0) == 0);
  // The read after the customer's erasure was sealed under the document's own key: gone with it.
  Result reads = s.kaappi({"access-log"});
  INFO(reads.err);
  CHECK(reads.exit_code == 0);
  CHECK(reads.out.find("\tget\t" + std::to_string(contract) + "\tcustomer erased\t(erased)\n") != std::string::npos);
  CHECK(reads.out.find("the auditor asked") == std::string::npos);
  CHECK(s.kaappi({"retention", "due", "--all"}).out == "WHAT\tRESTRICTED\tHELD UNTIL\tSTATE\tERASE WITH\n");
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("manual holds keep a document or a customer, and a restricted customer is on no list", "[erase]") {
  Sandbox s;
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  const long form = s.import({s.make_pdf("form.pdf", {"--seed", "31"})}).at(0);
  const std::string until = kaappi::add_months(kaappi::today(), 2);
  Result add = s.kaappi({"hold", "add", std::to_string(form), "--until", until, "--reason", "a dispute"});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(add.out == "Hold 1: document " + std::to_string(form) + " is kept until " + until + "\n");
  kaappi_ok(s, {"hold", "add", "--customer", "1002", "--until", until, "--reason", "an unpaid invoice"});
  Result list = s.kaappi({"hold", "list", "--json"});
  auto holds = nlohmann::json::parse(list.out)["holds"];
  REQUIRE(holds.size() == 2);
  CHECK(holds[0]["document"] == form);
  CHECK(holds[0]["reason"] == "a dispute");
  CHECK(holds[1]["customer"] == "1002");
  CHECK(holds[1]["active"] == true);

  // A hold hidden by deleting its row outside kaappi does not let an erasure through.
  const std::string hidden = s.path("hidden");
  std::filesystem::copy(s.archive(), hidden, std::filesystem::copy_options::recursive);
  test_sql_on(hidden, "DELETE FROM holds WHERE id = 1");
  Result tampered = s.run({bin("kaappi"), "--archive", hidden, "--key", s.key(), "--passphrase-file", s.pass(), "erase",
                           "document", std::to_string(form), "--reason", "asked"});
  CHECK(tampered.exit_code == 1);
  CHECK(tampered.err.find("rows were deleted or planted outside kaappi; nothing was changed") != std::string::npos);
  CHECK(file_exists(hidden + "/" + blob_of(s, form).substr(s.archive().size() + 1)));

  Result doc = s.kaappi({"erase", "document", std::to_string(form), "--reason", "asked"});
  CHECK(doc.exit_code == 6);
  CHECK(doc.out.find("document " + std::to_string(form) + " until " + until + ": hold 1 of document " +
                     std::to_string(form)) != std::string::npos);
  CHECK(file_exists(blob_of(s, form)));

  kaappi_ok(s, {"consent", "set", "--customer", "1002", "--purpose", "email-marketing", "--state", "granted",
                "--effective", "2026-01-10"});
  CHECK(s.kaappi({"consent", "list", "--purpose", "email-marketing", "--state", "granted"}).out.find("1002") !=
        std::string::npos);
  Result customer = s.kaappi({"erase", "customer", "1002", "--reason", "asked"});
  CHECK(customer.exit_code == 6);
  CHECK(customer.out.find("everything of customer 1002 until " + until + ": hold 2 of the customer") !=
        std::string::npos);
  // Restricted: kept, but off the marketing list.
  CHECK(s.kaappi({"consent", "list", "--purpose", "email-marketing", "--state", "granted"}).out.find("1002") ==
        std::string::npos);
  Result due = s.kaappi({"retention", "due", "--all"});
  CHECK(due.out.find("customer 1002's own values\t") != std::string::npos);
  // customer show --all names the holds in force and the open requests.
  kaappi_ok(s, {"request", "add", "1002", "--kind", "erasure", "--received", kaappi::today(), "--note", "by letter"});
  Result view = s.kaappi({"customer", "show", "1002", "--all"});
  CHECK(view.out.find("  request 1  erasure  since " + kaappi::today() + "  until " +
                      kaappi::add_months(kaappi::today(), 1) + "  by letter\n") != std::string::npos);
  CHECK(view.out.find("  hold 2  everything of the customer  since " + kaappi::today() + "  until " + until +
                      "  an unpaid invoice\n") != std::string::npos);
  Result first = s.kaappi({"customer", "show", "1001", "--all", "--json"});
  auto open = nlohmann::json::parse(first.out)["requests_and_holds"];
  REQUIRE(open.size() == 1);
  CHECK(open[0]["what"] == "hold");
  CHECK(open[0]["kind"] == "document " + std::to_string(form));
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("erase and hold refusals say what is wrong and change nothing", "[erase]") {
  Sandbox s;
  s.init_archive_with_customer();
  const long form = s.import({s.make_pdf("form.pdf", {"--seed", "41"})}).at(0);
  const std::string doc = std::to_string(form);
  const std::string before = s.archive_fingerprint();
  check_refusals(s, {
      {{"erase", "customer", "1001"}, 2, "say why it is erased: --reason TEXT"},
      {{"erase", "customer", "1001", "--reason", " "}, 2, "say why it is erased"},
      {{"erase", "customer", "9999", "--reason", "x"}, 5, "no customer with that number"},
      {{"erase", "document", "77", "--reason", "x"}, 5, "no document 77"},
      {{"erase", "document", "abc", "--reason", "x"}, 2, "DOCUMENT must be a document id"},
      {{"hold", "add", "--until", "2030-01-01", "--reason", "x"}, 2, "name what is held"},
      {{"hold", "add", doc, "--until", "2020-01-01", "--reason", "x"}, 2, "--until 2020-01-01 has passed"},
      {{"hold", "add", doc, "--until", "2030-02-30", "--reason", "x"}, 2, "--until must be a date"},
      {{"hold", "add", doc, "--until", "2030-01-01", "--reason", ""}, 2, "say why it is held"},
      {{"hold", "add", "77", "--until", "2030-01-01", "--reason", "x"}, 5, "no document 77"},
      {{"hold", "add", "--customer", "9999", "--until", "2030-01-01", "--reason", "x"}, 5, "no customer with that number"},
      {{"hold", "rule", "set", "invoice", "--years", "6"}, 2, "KIND must be one of consent-form, contract, other"},
      {{"hold", "rule", "set", "contract", "--years", "101"}, 2, "--years must be from 0 (no rule) to 100"},
      {{"hold", "rule", "set", "contract", "--years", "6", "--from", "signing"}, 2,
       "--from must be end-of-year or imported"},
  }, [&] { CHECK(s.archive_fingerprint() == before); });
  kaappi_ok(s, {"erase", "document", doc, "--reason", "scanned by mistake"});
  Result twice = s.kaappi({"erase", "document", doc, "--reason", "again"});
  CHECK(twice.exit_code == 4);
  CHECK(twice.err.find("document " + doc + " was erased on " + kaappi::today()) != std::string::npos);
  Result hold = s.kaappi({"hold", "add", doc, "--until", "2030-01-01", "--reason", "x"});
  CHECK(hold.exit_code == 4);
  CHECK(hold.err.find("was erased; there is nothing to hold") != std::string::npos);
}
