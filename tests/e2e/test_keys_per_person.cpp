// test_keys_per_person.cpp — format 2's keys per customer and per document
// (docs/FORMAT.md, "Hashes and keys"), with the real binaries: each customer
// has a key row; their duplicate tags cannot link two customers; a read is
// recorded under the key of the document's customer; and a customer whose
// key row is destroyed is unreadable alone, everyone else as before.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

long stored_id(const Result& r) {
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 1);
  REQUIRE(results[0]["status"] == "stored");
  return results[0]["document"].get<long>();
}

}  // namespace

TEST_CASE("the same scan for two customers: two documents whose duplicate tags differ, each a duplicate only for its own customer",
          "[keys][import]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  CHECK(sql_value(s, "SELECT count(*) FROM customer_keys") == "2");
  CHECK(sql_value(s, "SELECT count(DISTINCT wrapped) FROM customer_keys") == "2");
  const std::string form = s.make_pdf("form.pdf", {"--seed", "41"});
  Result first = s.kaappi({"import", form, "--customer", "1001", "--kind", "consent-form", "--json"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  Result second = s.kaappi({"import", form, "--customer", "1002", "--kind", "consent-form", "--json"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  const long a = stored_id(first), b = stored_id(second);
  CHECK(a != b);
  // Keyed per customer: the tags of one content differ, so the index does not tell that two customers hold it.
  CHECK(sql_value(s, "SELECT count(DISTINCT content_tag) FROM documents") == "2");
  Result again = s.kaappi({"import", form, "--customer", "1002", "--kind", "consent-form", "--json"});
  CHECK(nlohmann::json::parse(again.out)["results"][0]["status"] == "duplicate");
  CHECK(nlohmann::json::parse(again.out)["results"][0]["document"] == b);
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("a read is recorded under the key of the document's customer at the time", "[keys][get]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string form = s.make_pdf("form.pdf", {"--seed", "42"});
  Result imported = s.kaappi({"import", form, "--customer", "1001", "--kind", "consent-form", "--json"});
  REQUIRE(imported.exit_code == 0);
  const long id = stored_id(imported);
  REQUIRE(s.kaappi({"get", std::to_string(id), "-o", s.path("back.pdf"), "--reason", "asiakkaan pyyntö"}).exit_code == 0);
  const std::string customer_id = sql_value(s, "SELECT customer_id FROM documents WHERE id = " + std::to_string(id));
  CHECK(sql_value(s, "SELECT customer_id FROM access_log") == customer_id);
  Result log = s.kaappi({"access-log", "--json"});
  INFO(log.err);
  REQUIRE(log.exit_code == 0);
  CHECK(log.out.find("asiakkaan pyyntö") != std::string::npos);
}

TEST_CASE("a customer whose key row is destroyed cannot be read, every other customer reads as before",
          "[keys][erasure]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy", "--email", "toinen@example.fi"})
              .exit_code == 0);
  REQUIRE(s.kaappi({"consent", "set", "--customer", "1002", "--purpose", "email-marketing", "--state", "granted", "--source", "email"})
              .exit_code == 0);
  const std::string id_1002 = sql_value(s, "SELECT id FROM customers ORDER BY id DESC LIMIT 1");
  // What erasing a person destroys first (docs/FORMAT.md, "Erasure"): their wrapped key.
  sql(s, "UPDATE customer_keys SET wrapped = zeroblob(72) WHERE customer_id = " + id_1002);
  Result gone = s.kaappi({"customer", "show", "1002"});
  CHECK(gone.exit_code == 1);
  // A read only logs, so it does not check what it reads against its change: the key does not open.
  INFO(gone.err);
  CHECK(gone.err.find("does not open") != std::string::npos);
  CHECK(gone.out.find("Toinen") == std::string::npos);
  CHECK(s.kaappi({"consent", "show", "1002"}).exit_code == 1);
  Result other = s.kaappi({"customer", "show", "1001"});
  INFO(other.err);
  CHECK(other.exit_code == 0);
  CHECK(other.out.find("Testiasiakas") != std::string::npos);
  // verify names the customer whose key does not open (and the altered row).
  Result v = s.kaappi({"verify", "--full"});
  CHECK(v.exit_code == 1);
  CHECK(v.out.find("customer " + id_1002) != std::string::npos);
}
