// test_pdf_summary.cpp — the PDF helper's summary as kaappi reads it
// (pdf/pdf_probe read_pdf_summary): the helper reads hostile PDFs, so its
// summary is hostile input too (fuzz/fuzz_probe_reply.cpp).
#include <catch2/catch.hpp>

#include "base/error.h"
#include "pdf/pdf_probe.h"

using namespace kaappi;

namespace {

std::string nested(std::size_t depth) {
  return R"({"pages":1,"parser_warnings":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
}

}  // namespace

TEST_CASE("a summary is one JSON object with a positive page count", "[pdf-summary]") {
  PdfSummary s = read_pdf_summary(R"({"pages":2,"metadata":{"Title":"Sopimus"},"unreadable_pages":[]})", "a.pdf");
  CHECK(s.pages == 2);
  CHECK(s.json == R"({"metadata":{"Title":"Sopimus"},"pages":2,"unreadable_pages":[]})");
  for (const char* bad : {"", "[1]", R"({"pages":"2"})", R"({"pages":0})", R"({"pages":1)"})
    CHECK_THROWS_WITH(read_pdf_summary(bad, "a.pdf"), Catch::StartsWith("a.pdf was rejected: "));
}

// Found by fuzz_probe_reply: a page count beyond int64's range (parsed as a
// float) was converted to an integer, which is undefined behaviour.
TEST_CASE("a page count that is not a whole number in range is refused", "[pdf-summary]") {
  for (const char* bad : {R"({"pages":3333333333333333333333333333333333333333333330,"pges":[]})", R"({"pages":2.5})",
                          R"({"pages":1e300})", R"({"pages":-1e300})", R"({"pages":18446744073709551615})"})
    CHECK_THROWS_WITH(read_pdf_summary(bad, "a.pdf"), Catch::StartsWith("a.pdf was rejected: "));
  CHECK(read_pdf_summary(R"({"pages":9223372036854775807})", "a.pdf").pages == 9223372036854775807);
}

TEST_CASE("a deeply nested summary is refused, not a stack overflow", "[pdf-summary]") {
  CHECK(read_pdf_summary(nested(8), "deep.pdf").pages == 1);
  // Within the 32 MiB the client reads, nesting can go 16 million deep;
  // writing such a value out again used to recurse once per level and crash.
  for (std::size_t depth : {9u, 100000u, 4000000u, 16000000u}) {
    try {
      read_pdf_summary(nested(depth), "deep.pdf");
      FAIL("accepted a summary nested " << depth << " deep");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::rejected);
      CHECK(std::string(e.what()) == "deep.pdf was rejected: the PDF reader gave no usable summary");
    }
  }
}

TEST_CASE("a station seals the summary without the form reader's crops", "[pdf-summary]") {
  const PdfSummary s = read_pdf_summary(
      R"({"pages": 2, "text": "x", "form_pages": [{"page": 1, "codes": ["KAAPPI:A"], "form": {"boxes": ["AAAA"]}}],)"
      R"( "form_search": {"pages_searched": 2, "over_budget": [], "stopped_at": null}})",
      "scan.pdf");
  const std::string kept = summary_without_forms(s.json);
  CHECK(kept.find("form_pages") == std::string::npos);
  CHECK(kept.find("form_search") == std::string::npos);
  CHECK(kept.find("KAAPPI") == std::string::npos);
  CHECK(read_pdf_summary(kept, "scan.pdf").pages == 2);
  CHECK(kept.find("\"text\":\"x\"") != std::string::npos);
}
