// test_bomb_guard.cpp — the PDF helper's decompression-bomb guard
// (pdf/helper/bomb_guard), in-process: a stream is found wherever its
// keyword falls against the guard's 128 KiB reads, after any of the line
// ends PDF allows, and a bomb is refused while streams within the limits
// pass.
#include <catch2/catch.hpp>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <string>

#include "base/file_io.h"
#include "pdf/helper/bomb_guard.h"

using namespace kaappi;

namespace {

constexpr size_t k_read = 128 << 10;  // the guard's read size

std::string deflated(const std::string& bytes) {
  uLongf cap = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(cap, '\0');
  REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &cap, reinterpret_cast<const Bytef*>(bytes.data()),
                    static_cast<uLong>(bytes.size()), 9) == Z_OK);
  out.resize(cap);
  return out;
}

std::string deflated_zeros(size_t size) { return deflated(std::string(size, '\0')); }

// A PDF of one object whose stream is `data`, its keyword followed by `after`.
std::string one_stream(const std::string& data, const std::string& after = "\n", const std::string& before = "") {
  return "%PDF-1.5\n" + before + "1 0 obj\n<< /Filter /FlateDecode >>\nstream" + after + data +
         "\nendstream\nendobj\n%%EOF\n";
}

// The guard's verdict on `bytes`, and `why`.
bool within_limits(const std::string& bytes, std::string& why) {
  Fd fd(::memfd_create("bomb-guard-test", MFD_CLOEXEC));
  REQUIRE(fd.valid());
  REQUIRE(::write(fd.get(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  const bool ok = pdf_helper::inflates_within_limits(fd.get(), why);
  CHECK(::lseek(fd.get(), 0, SEEK_CUR) == 0);
  return ok;
}

}  // namespace

TEST_CASE("bomb guard: a bomb is refused wherever its keyword falls against the reads", "[bomb-guard]") {
  static const std::string bomb = deflated_zeros((256u << 20) + (1u << 20));  // one stream over 256 MiB
  // "stream" and its line end just before a read's end, across it at
  // every place (the line end too), and just after it.
  const auto [keyword_end, line_end] =
      GENERATE(table<size_t, std::string>({{k_read - 2, "\n"}, {k_read - 1, "\r\n"}, {k_read, "\r"}, {k_read + 1, "\n"},
                                            {k_read + 3, "\r\n"}, {k_read + 5, "\n"}, {k_read + 6, "\r"}}));
  std::string pdf = "%PDF-1.5\n1 0 obj\n<< /Filter /FlateDecode /Length " + std::to_string(bomb.size()) + " >>\n";
  pdf += std::string(keyword_end - 6 - pdf.size(), ' ') + "stream" + line_end;
  REQUIRE(pdf.size() == keyword_end + line_end.size());
  pdf += bomb + "\nendstream\nendobj\n%%EOF\n";
  std::string why;
  INFO("keyword ends at " << keyword_end << ", line end of " << line_end.size());
  CHECK_FALSE(within_limits(pdf, why));
  CHECK(why == "a single stream inflates to more than 256 MiB");
}

TEST_CASE("bomb guard: streams within the limits, and text that only looks like a keyword, pass", "[bomb-guard]") {
  const std::string small = deflated_zeros(1u << 20);
  std::string pdf = "%PDF-1.5\n% a streamer, streams and stream without a line end: streamx\n";
  for (int i = 0; i < 40; ++i) pdf += std::to_string(i) + " 0 obj\n<< /Length 9 >>\nstream\n" + small + "\nendstream\nendobj\n";
  std::string why;
  CHECK(within_limits(pdf + "%%EOF\n", why));
  CHECK(why.empty());
}

TEST_CASE("bomb guard: the rest of the keyword's line is skipped as Poppler skips it", "[bomb-guard]") {
  static const std::string bomb = deflated_zeros((256u << 20) + (1u << 20));
  const std::string after = GENERATE(as<std::string>{}, " \n", "\t\r\n", "  % a comment\r", "\f\n");
  std::string why;
  INFO("after the keyword: " << after.size() << " bytes");
  CHECK_FALSE(within_limits(one_stream(bomb, after), why));
  CHECK(why == "a single stream inflates to more than 256 MiB");
}

TEST_CASE("bomb guard: a keyword right after a false one is not skipped", "[bomb-guard]") {
  static const std::string bomb = deflated_zeros((256u << 20) + (1u << 20));
  // "endstream" and words like "upstream" match too: the line after them is
  // no Flate data, and the search goes on from its first byte.
  const std::string before = GENERATE(as<std::string>{}, "% upstream\n", "endstream\n", "xstream\r");
  std::string pdf = "%PDF-1.5\n" + before + "stream\n" + bomb + "\nendstream\n%%EOF\n";
  std::string why;
  INFO("before the keyword: " << before);
  CHECK_FALSE(within_limits(pdf, why));
  CHECK(why == "a single stream inflates to more than 256 MiB");
}

TEST_CASE("bomb guard: Flate inside Flate is inflated too", "[bomb-guard]") {
  // /Filter [/FlateDecode /FlateDecode]: 300 MiB of zeros, deflated twice (a few hundred bytes).
  static const std::string inner = deflated_zeros(300u << 20);
  const std::string twice = deflated(inner);
  std::string why;
  CHECK_FALSE(within_limits(one_stream(twice), why));
  CHECK(why == "a single stream inflates to more than 256 MiB");
  // Three levels deep, too.
  CHECK_FALSE(within_limits(one_stream(deflated(twice)), why));
  // Flate data inside that stays small passes.
  CHECK(within_limits(one_stream(deflated(deflated_zeros(1u << 20))), why));
}
