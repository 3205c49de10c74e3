// fuzz_customer_csv.cpp — a customer CSV file (register/customer_csv): every
// row is checked; problems are collected, never a crash.
#include "register/customer_csv.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kaappi::fuzz::expect_refusal_or_success([&] {
    auto csv = kaappi::read_customer_csv(std::string_view(reinterpret_cast<const char*>(data), size));
    if (csv.records.size() != csv.lines.size()) std::abort();
  });
  return 0;
}
