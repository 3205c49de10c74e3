// fuzz_consent_csv.cpp — a consent CSV file (consent/consent_csv): every row
// is checked by consent set's rules; problems are collected, never a crash.
#include "consent/consent_csv.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kaappi::fuzz::expect_refusal_or_success([&] {
    auto csv = kaappi::read_consent_csv(std::string_view(reinterpret_cast<const char*>(data), size));
    for (const auto& row : csv.rows) {
      if (row.line == 0 || row.customer >= csv.numbers.size() || csv.number(row).empty()) std::abort();
      if (csv.event(row).purpose.empty()) std::abort();  // every kept row makes its event
    }
  });
  return 0;
}
