// fuzz_probe_reply.cpp — the PDF helper's summary as kaappi reads it
// (pdf/pdf_probe): the helper reads hostile PDFs, so what it says is hostile too.
#include "pdf/pdf_probe.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kaappi::fuzz::expect_refusal_or_success([&] {
    auto summary = kaappi::read_pdf_summary(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.pdf");
    if (summary.pages <= 0) std::abort();
  });
  return 0;
}
