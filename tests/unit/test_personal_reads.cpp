// test_personal_reads.cpp — the log of every read of personal data
// (rights/personal_reads.h): one sealed row per command run naming every
// customer it showed, none when it showed none; the default reasons; one
// customer's part of the log; the access log of documents and reads in time
// order; a customer's erasure erasing the reasons sealed under their key
// (the rows staying) and verify (--full) clean after it. In-process, with
// the fixture's manual clock.
#include <catch2/catch.hpp>

#include <algorithm>

#include "base/error.h"
#include "rights/erasure.h"
#include "rights/personal_reads.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"
#include "verify/verifier.h"

using namespace kaappi;

namespace {

std::size_t problems_of(test::ArchiveFixture& fx, bool full) {
  fx.reopen();
  Session& s = fx.session();
  VerifyOptions options;
  options.quiet = true;
  VerifyReport r = verify_archive(s.archive(), s.archive().public_key(), full ? &s : nullptr, options);
  for (const auto& p : r.problems) UNSCOPED_INFO(p.problem + ": " + p.detail);
  return r.problems.size();
}

bool contains(const Bytes& haystack, const std::string& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace

TEST_CASE("a read is one sealed row naming every customer shown, none when none was", "[personal-reads]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Customer bert = fx.add_customer("1002", "Bert Bertilsson");
  Session& s = fx.session();

  CHECK_FALSE(record_read(s, "consent list", {}, "nobody"));
  CHECK(s.index().reads().empty());

  auto one = record_read(s, "customer show", {anna.id}, "");
  REQUIRE(one);
  fx.clock().advance(60);
  auto many = record_read(s, "consent list", {bert.id, anna.id, bert.id}, "summer campaign");
  REQUIRE(many);
  const auto rows = s.index().reads();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].action == "customer show");
  CHECK(read_customers(s, rows[0]) == std::vector<std::int64_t>{anna.id});
  CHECK(read_customers(s, rows[1]) == std::vector<std::int64_t>{anna.id, bert.id});
  // Nothing of whom or why in plaintext.
  for (const auto& r : rows) {
    CHECK_FALSE(contains(r.customers, "[" + std::to_string(anna.id)));
    CHECK_FALSE(contains(r.reason, "summer"));
    CHECK_FALSE(contains(r.reason, test::ArchiveFixture::k_actor));
  }

  auto all = personal_reads(s);
  REQUIRE(all.size() == 2);
  CHECK(all[0].reason == default_read_reason("customer show"));
  CHECK(all[0].by == test::ArchiveFixture::k_actor);
  CHECK(all[1].reason == "summer campaign");
  CHECK(all[1].at == all[0].at + 60);
  CHECK(personal_reads(s, bert.id).size() == 1);
  CHECK(personal_reads(s, anna.id).size() == 2);

  CHECK(default_read_reason("consent list") == "marketing list");
  CHECK(default_read_reason("customer export") == "register export");
  CHECK(default_inspect_reason(7) == "inspection request 7");
  CHECK(test::error_kind_of([&] { default_read_reason("no such command"); }) == ErrorKind::internal);
  CHECK(problems_of(fx, false) == 0);
  CHECK(problems_of(fx, true) == 0);
}

TEST_CASE("the access log lists documents' reads and reads of the register in time order", "[personal-reads]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Customer bert = fx.add_customer("1002", "Bert Bertilsson");
  Session& s = fx.session();
  fx.clock().advance(10);
  record_read(s, "customer list", {anna.id, bert.id}, "");
  fx.clock().advance(10);
  record_read(s, "consent show", {bert.id}, "a call");

  auto entries = access_log_entries(s, std::nullopt, std::nullopt);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].action == "customer list");
  CHECK_FALSE(entries[0].document);
  CHECK(entries[0].customers.size() == 2);
  CHECK(entries[1].reason == "a call");
  auto annas = access_log_entries(s, std::nullopt, anna.id);
  REQUIRE(annas.size() == 1);
  CHECK(annas[0].action == "customer list");
  auto numbers = customer_numbers(s, {anna.id, bert.id});
  CHECK(numbers.at(anna.id) == std::optional<std::string>("1001"));
  CHECK(numbers.at(bert.id) == std::optional<std::string>("1002"));
}

TEST_CASE("a customer's erasure erases the reasons sealed under their key, the rows stay", "[personal-reads]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Customer bert = fx.add_customer("1002", "Bert Bertilsson");
  Session& s = fx.session();
  record_read(s, "customer show", {anna.id}, "checking an invoice");
  record_read(s, "customer list", {anna.id, bert.id}, "");
  record_read(s, "consent show", {bert.id}, "");

  ErasurePlan plan = plan_customer_erasure(s, anna);
  const auto reads_targets = std::count_if(plan.targets.begin(), plan.targets.end(),
                                           [](const ErasureTarget& t) { return std::string(t.table) == "reads"; });
  CHECK(reads_targets == 1);
  carry_out_erasure(s, plan, "asked by the person");

  auto all = personal_reads(s);
  REQUIRE(all.size() == 3);
  CHECK(all[0].erased);
  CHECK(all[0].reason.empty());
  CHECK(all[0].customers == std::vector<std::int64_t>{anna.id});
  CHECK_FALSE(all[1].erased);  // a list: sealed under the field key, kept
  CHECK_FALSE(all[2].erased);
  auto numbers = customer_numbers(s, {anna.id, bert.id});
  CHECK_FALSE(numbers.at(anna.id));
  CHECK(numbers.at(bert.id) == std::optional<std::string>("1002"));
  CHECK(problems_of(fx, false) == 0);
  CHECK(problems_of(fx, true) == 0);
}
