// fuzz_bomb_guard.cpp — the PDF helper's stream scanner (pdf/helper/bomb_guard),
// which inflates every Flate-looking stream of a raw file before Poppler
// reads it.
#include <unistd.h>

#include "pdf/helper/bomb_guard.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kaappi::fuzz::expect_refusal_or_success([&] {
    kaappi::Fd fd = kaappi::fuzz::file_with(data, size);
    std::string why;
    if (!kaappi::pdf_helper::inflates_within_limits(fd.get(), why) && why.empty()) std::abort();
    if (::lseek(fd.get(), 0, SEEK_CUR) != 0) std::abort();  // it promises to leave the offset at 0
  });
  return 0;
}
