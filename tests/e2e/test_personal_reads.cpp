// test_personal_reads.cpp — every read of personal data logged, with the
// real binary: each command that shows a customer's data writes exactly one
// reads row (its default reason, or --reason), a list one row naming all,
// none when it showed no one; access-log with --customer and --json; after
// erase customer the rows stay as "customer erased" with verify clean and
// nothing of the reason left in the archive; inspect's data.json lists the
// reads; refusals with their exit code, message and the archive unchanged.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "harness.h"

using namespace e2e;

namespace {

long read_rows(const Sandbox& s) { return std::stol(sql_value(s, "SELECT count(*) FROM reads")); }

nlohmann::json log_of(const Sandbox& s, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"access-log", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  Result r = s.kaappi(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out)["access_log"];
}

// The last entry of the access log that is not a document's read.
nlohmann::json last_read(const Sandbox& s) {
  const auto log = log_of(s);
  for (auto it = log.rbegin(); it != log.rend(); ++it)
    if ((*it)["document"].is_null()) return *it;
  FAIL("no read of the register in the access log");
  return {};
}

// Customers 1001 and 1002, 1001 with a document and both with e-mail marketing granted.
void two_customers(Sandbox& s) {
  s.init_archive_with_customer();
  kaappi_ok(s, {"customer", "add", "--number", "1002", "--name", "Toinen Oy"});
  const long doc = s.import({s.make_pdf("form.pdf", {"--seed", "31"})}).at(0);
  kaappi_ok(s, {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted",
                "--document", std::to_string(doc)});
  kaappi_ok(s, {"consent", "set", "--customer", "1002", "--purpose", "email-marketing", "--state", "granted"});
}

struct Read {
  std::vector<std::string> args;
  std::string action;
  std::string default_reason;
  std::vector<std::string> customers;
};

}  // namespace

TEST_CASE("each command that shows personal data writes one read row, with its default reason or --reason",
          "[personal-reads]") {
  Sandbox s;
  two_customers(s);
  kaappi_ok(s, {"request", "add", "1002", "--kind", "inspection", "--received", kaappi::today(), "--note",
                "phoned about the letter"});
  kaappi_ok(s, {"hold", "add", "1", "--until", kaappi::add_months(kaappi::today(), 1), "--reason", "a dispute"});
  REQUIRE(read_rows(s) == 0);
  const std::vector<std::string> one = {"1001"}, both = {"1001", "1002"};
  const std::vector<Read> reads = {
      {{"customer", "show", "1001"}, "customer show", "customer record looked up", one},
      {{"customer", "show", "1001", "--all"}, "customer show", "customer record looked up", one},
      {{"customer", "history", "1001"}, "customer history", "customer record's history looked up", one},
      {{"customer", "list"}, "customer list", "customer list", both},
      {{"customer", "list", "--search", "toinen"}, "customer list", "customer list", {"1002"}},
      {{"customer", "export", "-o", "-"}, "customer export", "register export", both},
      {{"consent", "show", "1001"}, "consent show", "consents looked up", one},
      {{"consent", "history", "1001"}, "consent history", "consent history looked up", one},
      {{"consent", "list", "--purpose", "email-marketing"}, "consent list", "marketing list", both},
      {{"documents", "--names"}, "documents", "document list with names", one},
      {{"request", "list"}, "request list", "requests' deadlines checked", {"1002"}},
      {{"hold", "list"}, "hold list", "holds checked", one},
      {{"document", "history", "1"}, "document history", "document's history looked up", one},
  };
  long rows = 0;
  for (const bool given : {false, true}) {
    for (const Read& read : reads) {
      std::vector<std::string> args = read.args;
      if (given) {
        args.push_back("--reason");
        args.push_back("asked by " + read.action);
      }
      Result r = s.kaappi(args);
      INFO(args[0] << " " << args[1] << ": " << r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(read_rows(s) == ++rows);
      const auto entry = last_read(s);
      CHECK(entry["action"] == read.action);
      CHECK(entry["reason"] == (given ? "asked by " + read.action : read.default_reason));
      CHECK(entry["by"].is_string());
      CHECK(entry["erased"] == false);
      CHECK(entry["customers"] == nlohmann::json(read.customers));
    }
  }
  // consent proof: the customer's read and each document's, one reason.
  Result proof = s.kaappi({"consent", "proof", "1001", "--purpose", "email-marketing", "-o", s.path("proof")});
  INFO(proof.err);
  REQUIRE(proof.exit_code == 0);
  CHECK(read_rows(s) == ++rows);
  const auto log = log_of(s);
  CHECK(log.back()["action"] == "proof");
  CHECK(log.back()["document"] == 1);
  CHECK(log[log.size() - 2]["action"] == "consent proof");
  CHECK(log[log.size() - 2]["reason"] == "proof of consent (email-marketing)");
  CHECK(log[log.size() - 2]["customers"] == nlohmann::json(one));

  // The table names the customers: one number, or how many.
  Result table = s.kaappi({"access-log"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("WHEN\tBY\tACTION\tDOCUMENT\tCUSTOMERS\tREASON\n") == 0);
  CHECK(table.out.find("\tconsent list\t-\t2 customers\tmarketing list\n") != std::string::npos);
  CHECK(table.out.find("\tcustomer show\t-\t1001\tcustomer record looked up\n") != std::string::npos);
  CHECK(table.out.find("\tproof\t1\t1001\tproof of consent (email-marketing)\n") != std::string::npos);
  check_verifies_clean(s);
}

TEST_CASE("a command that showed no customer writes no read row", "[personal-reads]") {
  Sandbox s;
  two_customers(s);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"customer", "list", "--search", "nobody-by-this-name"},
        {"consent", "list", "--purpose", "research"},
        {"documents"},
        {"documents", "--names", "--customer", "1002"},
        {"access-log"},
        {"customer", "list", "--search", "nobody", "--reason", "looking"}}) {
    Result r = s.kaappi(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(read_rows(s) == 0);
  }
}

TEST_CASE("access-log --customer shows that customer's reads only", "[personal-reads]") {
  Sandbox s;
  two_customers(s);
  kaappi_ok(s, {"get", "1", "-o", s.path("read.pdf"), "--reason", "checking the form"});
  kaappi_ok(s, {"customer", "show", "1002", "--reason", "a call from 1002"});
  kaappi_ok(s, {"consent", "list", "--purpose", "email-marketing"});
  kaappi_ok(s, {"consent", "show", "1001"});

  const auto first = log_of(s, {"--customer", "1001"});
  REQUIRE(first.size() == 3);
  CHECK(first[0]["document"] == 1);
  CHECK(first[0]["reason"] == "checking the form");
  CHECK(first[1]["action"] == "consent list");
  CHECK(first[1]["customers"] == nlohmann::json({"1001", "1002"}));
  CHECK(first[2]["action"] == "consent show");
  const auto second = log_of(s, {"--customer", "1002"});
  REQUIRE(second.size() == 2);
  CHECK(second[0]["reason"] == "a call from 1002");
  CHECK(second[1]["action"] == "consent list");
  CHECK(log_of(s, {"--document", "1"}).size() == 1);
  Result table = s.kaappi({"access-log", "--customer", "1002"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("\tcustomer show\t-\t1002\ta call from 1002\n") != std::string::npos);
  CHECK(table.out.find("checking the form") == std::string::npos);
}

TEST_CASE("refused reads and access-log queries change nothing", "[personal-reads]") {
  Sandbox s;
  two_customers(s);
  kaappi_ok(s, {"customer", "show", "1001"});
  const std::string before = s.archive_fingerprint();
  check_refusals(s,
                 {{{"access-log", "--customer", "9999"}, 5, "no customer with that number"},
                  {{"access-log", "--customer", "1001", "--document", "1"}, 2, "excludes"},
                  {{"customer", "show", "9999", "--reason", "looking"}, 5, "no customer with that number"},
                  {{"consent", "show", "9999"}, 5, "no customer with that number"},
                  {{"documents", "--reason", "no names"}, 2, "--names"}},
                 [&] { CHECK(s.archive_fingerprint() == before); });
  CHECK(read_rows(s) == 1);
}

TEST_CASE("after erase customer the reads stay, as a customer erased, and verify is clean", "[personal-reads]") {
  Sandbox s;
  two_customers(s);
  kaappi_ok(s, {"customer", "show", "1001", "--reason", "an invoice question from the person"});
  kaappi_ok(s, {"consent", "list", "--purpose", "email-marketing", "--reason", "spring mailing"});
  kaappi_ok(s, {"customer", "history", "1002"});
  const std::string sealed = bytes_from_hex(sql_value(s, "SELECT hex(reason) FROM reads WHERE id = 1"));
  REQUIRE(left_in_folder(s.archive(), sealed));

  Result erase = s.kaappi({"erase", "customer", "1001", "--reason", "asked by the person"});
  INFO(erase.err);
  REQUIRE(erase.exit_code == 0);
  CHECK(read_rows(s) == 3);
  CHECK(sql_value(s, "SELECT count(*) FROM reads WHERE reason IS NULL") == "1");
  CHECK_FALSE(left_in_folder(s.archive(), sealed));

  const auto log = log_of(s);
  const auto shown = items_where(log, "action", "customer show");
  REQUIRE(shown.size() == 1);
  CHECK(shown[0]["erased"] == true);
  CHECK(shown[0]["reason"].is_null());
  CHECK(shown[0]["by"].is_null());
  CHECK(shown[0]["customers"] == nlohmann::json::parse("[null]"));
  const auto listed = items_where(log, "action", "consent list");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["reason"] == "spring mailing");
  CHECK(listed[0]["customers"] == nlohmann::json::parse("[null, \"1002\"]"));
  Result table = s.kaappi({"access-log"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("\tcustomer show\t-\tcustomer erased\t(erased)\n") != std::string::npos);
  CHECK(table.out.find("\tconsent list\t-\t2 customers\tspring mailing\n") != std::string::npos);
  CHECK(log_of(s, {"--customer", "1002"}).size() == 2);
  check_verifies_clean(s);
}

TEST_CASE("inspect logs its read of the person and lists the register's reads of them in data.json",
          "[personal-reads]") {
  Sandbox s;
  two_customers(s);
  std::filesystem::create_directories(s.dir() + "/home/config/kaappi");
  write_text(s.dir() + "/home/config/kaappi/register-texts",
             read_text(std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example"));
  kaappi_ok(s, {"consent", "list", "--purpose", "email-marketing", "--reason", "spring mailing"});
  kaappi_ok(s, {"customer", "show", "1002"});
  kaappi_ok(s, {"request", "add", "1001", "--kind", "inspection", "--received", kaappi::today()});
  Result r = s.kaappi({"inspect", "1001", "-o", s.path("copy"), "--request", "1", "--lang", "en", "--reason",
                       "the person's letter"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto data = nlohmann::json::parse(read_text(s.path("copy/data.json")));
  const auto& reads = data["reads"];
  REQUIRE(reads.size() == 3);  // the marketing list, this copy's read of the person, its document copy
  CHECK(reads[0]["action"] == "consent list");
  CHECK(reads[0]["document"].is_null());
  CHECK(reads[0]["reason"] == "spring mailing");
  CHECK(reads[1]["action"] == "inspect");
  CHECK(reads[1]["document"].is_null());
  CHECK(reads[1]["reason"] == "the person's letter");
  CHECK(reads[2]["document"] == 1);
  for (const auto& e : reads) {
    CHECK_FALSE(e.contains("by"));
    CHECK_FALSE(e.contains("customers"));
  }
  const std::string joined = pdf_text(s, s.path("copy/report.pdf"));
  CHECK(joined.find("in a marketing list (spring mailing)") != std::string::npos);
  CHECK(joined.find("your customer record shown") == std::string::npos);  // 1002's read is not theirs
  check_verifies_clean(s);
}
