// test_chunk_pipeline.cpp — ChunkPipeline in both modes: every stage sees
// every published slot in order, a stage's error comes back to the caller,
// and a buffer kept for the next pipeline holds no plaintext.
#include <catch2/catch.hpp>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "base/chunk_pipeline.h"

using namespace kaappi;
using Threads = ChunkPipeline::Threads;

TEST_CASE("each stage sees every published slot in order, on its own thread or on the caller's", "[pipeline]") {
  const Threads mode = GENERATE(Threads::one_per_stage, Threads::none);
  std::vector<size_t> seen_a, seen_b;
  std::vector<std::thread::id> threads;
  {
    ChunkPipeline p(4, 16, 16,
                    {[&](ChunkPipeline::Slot& s) {
                       seen_a.push_back(s.plain_len);
                       threads.push_back(std::this_thread::get_id());
                     },
                     [&](ChunkPipeline::Slot& s) { seen_b.push_back(s.plain.data()[0]); }},
                    mode);
    for (size_t i = 1; i <= 10; ++i) {
      ChunkPipeline::Slot& s = p.acquire();
      s.plain_len = i;
      s.plain.data()[0] = static_cast<std::uint8_t>(i);
      p.publish();
    }
    p.finish();
  }
  CHECK(seen_a == std::vector<size_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(seen_b == std::vector<size_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  const bool on_caller = threads.front() == std::this_thread::get_id();
  CHECK(on_caller == (mode == Threads::none));
}

TEST_CASE("a stage's error reaches the caller", "[pipeline]") {
  const Threads mode = GENERATE(Threads::one_per_stage, Threads::none);
  auto run = [&] {
    ChunkPipeline p(4, 16, 16, {[](ChunkPipeline::Slot& s) {
                                  if (s.plain_len == 3) throw std::runtime_error("disk full");
                                }},
                    mode);
    for (size_t i = 1; i <= 50; ++i) {
      ChunkPipeline::Slot& s = p.acquire();
      s.plain_len = i;
      p.publish();
    }
    p.finish();
  };
  CHECK_THROWS_WITH(run(), "disk full");
}

TEST_CASE("a buffer kept for the next pipeline was wiped, also where a fill was never published", "[pipeline]") {
  const Threads mode = GENERATE(Threads::one_per_stage, Threads::none);
  const bool publish = GENERATE(true, false);
  constexpr size_t k_size = 200000;
  const std::uint8_t* first = nullptr;
  {
    ChunkPipeline p(2, k_size, k_size, {[](ChunkPipeline::Slot&) {}}, mode);
    ChunkPipeline::Slot& s = p.acquire();
    std::memset(s.plain.data(), 0xA5, 150000);
    s.plain_len = 150000;
    first = s.plain.data();
    if (publish) {
      p.publish();
      p.finish();
    }
  }
  ChunkPipeline p(2, k_size, k_size, {[](ChunkPipeline::Slot&) {}}, mode);
  ChunkPipeline::Slot& s = p.acquire();
  // The kept buffer comes back (plaintext or ciphertext one): none of it holds the fill.
  const bool reused = s.plain.data() == first || s.cipher.data() == first;
  REQUIRE(reused);
  const std::uint8_t* b = first;
  size_t filled = 0;
  for (size_t i = 0; i < 150000; ++i) filled += b[i] == 0xA5;
  CHECK(filled == 0);
}
