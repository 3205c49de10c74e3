// test_secret.cpp — SecretBuffer: zeroed when made, wiped when freed, one
// owner at a time; small secrets share locked chunks (more than one chunk's
// worth, from several threads at once) and large ones get their own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "base/secret.h"

using namespace kaappi;

namespace {

bool all_zero(const std::uint8_t* p, std::size_t n) { return std::all_of(p, p + n, [](std::uint8_t b) { return b == 0; }); }

}  // namespace

TEST_CASE("secret buffer: zeroed when made, wiped when freed, moved without a copy", "[secret]") {
  const std::size_t size = GENERATE(std::size_t{0}, std::size_t{1}, std::size_t{32}, std::size_t{64});
  SecretBuffer a(size);
  CHECK(a.size() == size);
  REQUIRE(a.data() != nullptr);
  CHECK(all_zero(a.data(), size));
  std::fill(a.data(), a.data() + size, 0xA5);
  std::uint8_t* const slot = a.data();
  SecretBuffer b(std::move(a));
  CHECK(b.data() == slot);
  CHECK(a.empty());
  CHECK(a.data() == nullptr);
  b = SecretBuffer();  // given back: a small secret's slot stays mapped, so it can be looked at
  CHECK(all_zero(slot, 64));
  SecretBuffer c(size);  // whatever slot it gets, it starts zeroed
  CHECK(all_zero(c.data(), size));
}

TEST_CASE("secret buffer: small ones are distinct slots across chunks and threads, large ones their own", "[secret]") {
  std::vector<SecretBuffer> held;
  for (int i = 0; i < 2500; ++i) {  // more than two chunks' worth
    held.emplace_back(32);
    std::fill(held.back().data(), held.back().data() + 32, static_cast<std::uint8_t>(i));
  }
  std::vector<std::vector<SecretBuffer>> per_thread(2);
  std::thread other([&] {
    for (int i = 0; i < 1500; ++i) per_thread[1].emplace_back(64);
  });
  for (int i = 0; i < 1500; ++i) per_thread[0].emplace_back(16);
  other.join();
  std::set<const std::uint8_t*> slots;
  for (const auto& s : held) slots.insert(s.data());
  for (const auto& part : per_thread)
    for (const auto& s : part) slots.insert(s.data());
  CHECK(slots.size() == 2500 + 1500 + 1500);
  for (int i = 0; i < 2500; ++i) {
    INFO("secret " << i);
    const auto& s = held[static_cast<size_t>(i)];
    CHECK(std::all_of(s.data(), s.data() + 32, [&](std::uint8_t b) { return b == static_cast<std::uint8_t>(i); }));
  }
  SecretBuffer large(65);
  CHECK(all_zero(large.data(), 65));
  CHECK(slots.count(large.data()) == 0);
  large.truncate(10);
  CHECK(large.size() == 10);
}
