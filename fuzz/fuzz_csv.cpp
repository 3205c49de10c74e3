// fuzz_csv.cpp — CSV text as spreadsheets write it (base/csv); what parses
// writes back as CSV that parses to the same values.
#include "base/csv.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaappi;
  fuzz::expect_refusal_or_success([&] {
    CsvTable table = parse_csv(std::string_view(reinterpret_cast<const char*>(data), size));
    // A blank first line of separators only keeps the separator detected.
    const std::string header(3, table.separator);
    for (const CsvRow& row : table.rows) {
      CsvTable again = parse_csv(header + "\r\n" + csv_line(row.values, table.separator));
      if (again.rows.size() != 1 || again.rows[0].values != row.values) std::abort();
    }
  });
  return 0;
}
