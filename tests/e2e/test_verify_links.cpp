// test_verify_links.cpp — a link the signature cannot vouch for (a document's
// empty customer link stored as 0, which signs like NULL) and a link to a row
// that does not exist are problems for every verify level, with the real
// binaries; verify changes nothing.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {


// verify --public-key, verify (the key file's public part) and verify --full, each as JSON.
std::vector<Result> verify_at_every_level(const Sandbox& s) {
  std::string pub = s.kaappi({"key", "public"}).out;
  pub.pop_back();
  return {s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--json", "--public-key", pub}),
          s.kaappi({"verify", "--json"}), s.kaappi({"verify", "--json", "--full"})};
}

bool reports(const Result& r, long document, const std::string& problem, const std::string& detail) {
  const nlohmann::json report = nlohmann::json::parse(r.out);
  for (const auto& p : report["problems"])
    if (p["document"] == document && p["problem"] == problem && p["detail"] == detail) return true;
  return false;
}

bool reports_detail(const Result& r, const std::string& detail) {
  const nlohmann::json report = nlohmann::json::parse(r.out);
  for (const auto& p : report["problems"])
    if (p["detail"] == detail) return true;
  return false;
}

}  // namespace

TEST_CASE("a document's customer link set from NULL to 0 is caught by every verify level", "[verify][links]") {
  Sandbox s;
  s.init_archive_with_station();
  std::string scan = s.make_pdf("plain.pdf", {"--seed", "41"});
  REQUIRE(s.run({bin("kaappi-scan"), scan, "--public-key", s.path("archive.pub"), "--inbox", s.archive() + "/inbox",
                 "--station", "desk"}).exit_code == 0);
  REQUIRE(s.kaappi({"ingest", "--kind", "consent-form"}).exit_code == 0);
  auto unassigned = nlohmann::json::parse(s.kaappi({"documents", "--unassigned", "--json"}).out)["documents"];
  REQUIRE(unassigned.size() == 1);
  long id = unassigned[0]["id"];
  for (const Result& r : verify_at_every_level(s)) REQUIRE(r.exit_code == 0);

  sql(s, "UPDATE documents SET customer_id = 0 WHERE id = " + std::to_string(id));
  std::string before = s.archive_fingerprint();
  const std::string detail = "document " + std::to_string(id) +
                             ": customer link is 0, which is neither empty nor an existing customer";
  for (const Result& r : verify_at_every_level(s)) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(reports(r, id, "index entry altered", detail));
  }
  Result text = s.kaappi({"verify"});
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("document " + std::to_string(id) + ": index entry altered — " + detail));
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("a link to a row that does not exist is caught by every verify level", "[verify][links]") {
  Sandbox s;
  s.init_archive_with_customer();
  long a = s.import({s.make_pdf("one.pdf", {"--seed", "42"})}).at(0);
  REQUIRE(s.kaappi({"get", std::to_string(a), "-o", s.path("read.pdf"), "--reason", "check"}).exit_code == 0);
  REQUIRE(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted"}).exit_code ==
          0);
  for (const Result& r : verify_at_every_level(s)) REQUIRE(r.exit_code == 0);

  SECTION("the document an access names") {
    sql(s, "DELETE FROM documents WHERE id = " + std::to_string(a));
    std::string before = s.archive_fingerprint();
    for (const Result& r : verify_at_every_level(s)) {
      INFO(r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK(reports_detail(r, "access log entry 1: document link is " + std::to_string(a) +
                                  ", which is not an existing document"));
    }
    CHECK(s.archive_fingerprint() == before);
  }
  SECTION("the customer a document, a version and a consent event name") {
    sql(s, "DELETE FROM customers WHERE id = 1");
    std::string before = s.archive_fingerprint();
    for (const Result& r : verify_at_every_level(s)) {
      INFO(r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK(reports(r, a, "index entry altered",
                    "document " + std::to_string(a) + ": customer link is 1, which is neither empty nor an existing "
                                                      "customer"));
      CHECK(reports_detail(r, "customer 1 version 1: customer link is 1, which is not an existing customer"));
      CHECK(reports_detail(r, "consent event 1: customer link is 1, which is not an existing customer"));
    }
    CHECK(s.archive_fingerprint() == before);
  }
}
