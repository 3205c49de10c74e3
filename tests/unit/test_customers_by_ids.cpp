// test_customers_by_ids.cpp — many customers by id, in-process: looked up
// one by one (a few, or under a quarter of all) or found in one pass over
// the latest versions (more), always the latest version, in id order, with
// ids that name no customer passed over.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "register/customers.h"
#include "support/archive_fixture.h"

using namespace kaappi;

TEST_CASE("customers_by_ids: each way of finding them gives what customer_by_id gives", "[customers]") {
  test::ArchiveFixture fx;
  Session& s = fx.session();
  constexpr int k_customers = 9000;
  std::vector<CustomerRecord> records(k_customers);
  for (int i = 0; i < k_customers; ++i) {
    records[static_cast<size_t>(i)].set("number", std::to_string(100000 + i));
    records[static_cast<size_t>(i)].set("name", "Asiakas " + std::to_string(i));
  }
  REQUIRE(add_customers(s, records) == k_customers);
  // Rectified customers: their latest version must come back, not the first.
  for (int i : {0, 2, 4500, 8998})
    edit_customer(s, std::to_string(100000 + i), {{"name", "Korjattu " + std::to_string(i)}}, "nimi korjattu");
  const auto range = s.index().id_range<CustomerRow>();
  REQUIRE(range.second - range.first + 1 == k_customers);

  // every other customer: 10 (one at a time), 2,100 (under a quarter: looked
  // up) and 4,500 (over a quarter: one pass); and an id of no customer.
  const size_t count = GENERATE(size_t{10}, size_t{2100}, size_t{4500});
  std::vector<std::int64_t> ids;
  for (size_t i = 0; i < count; ++i) ids.push_back(range.first + 2 * static_cast<std::int64_t>(i));
  ids.push_back(range.second + 5);
  const std::vector<Customer> found = customers_by_ids(s, ids);
  REQUIRE(found.size() == count);
  for (size_t i = 0; i < count; ++i) {
    INFO("customer " << i << " of " << count);
    const auto one = customer_by_id(s, ids[i]);
    REQUIRE(one);
    CHECK(found[i].id == ids[i]);
    CHECK(found[i].created_at == one->created_at);
    CHECK(found[i].current.version == one->current.version);
    CHECK(found[i].current.record == one->current.record);
  }
  CHECK(found[1].name() == "Korjattu 2");
  CHECK(found[1].current.version == 2);
}
