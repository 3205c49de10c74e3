// fuzz_form_code.cpp — a QR code's text read from a scan (pdf/form_code):
// what parses as a kaappi form code encodes back to the very same text, and
// base32 that decodes encodes back the same (one spelling of each code).
#include <cstdlib>

#include "pdf/form_code.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto code = kaappi::form::parse_form_code(text))
    if (kaappi::form::encode_form_code(*code) != text) std::abort();
  if (auto bytes = kaappi::form::unbase32(text)) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(bytes->data());
    if (kaappi::form::base32(b, bytes->size()) != text) std::abort();
  }
  return 0;
}
