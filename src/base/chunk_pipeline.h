// chunk_pipeline.h — spreads per-chunk work of a blob over threads.
//
// Encrypting a blob is a strict sequence (the secretstream state), but the
// two hashes (blob and content) and the file write need not wait for it. The producer
// (the calling thread) acquires slots in order, fills them and publishes
// them; each stage runs in its own thread and sees every published slot in
// order. A slot is reused only after every stage is done with it. A stage that
// throws stops the pipeline; the error is rethrown from acquire() or finish().
// Slot buffers are allocated when first used (a small file needs one) and
// wiped when the pipeline ends.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "base/bytes.h"

namespace kaappi {

class ChunkPipeline {
 public:
  struct Slot {
    Bytes plain, cipher;
    size_t plain_len = 0, cipher_len = 0;
  };
  using Stage = std::function<void(Slot&)>;

  ChunkPipeline(size_t slots, size_t plain_capacity, size_t cipher_capacity, std::vector<Stage> stages);
  ~ChunkPipeline();
  ChunkPipeline(const ChunkPipeline&) = delete;
  ChunkPipeline& operator=(const ChunkPipeline&) = delete;

  Slot& acquire();        // the next slot, in order; blocks while it is in use
  void publish();         // hands the oldest acquired, unpublished slot to the stages
  void unacquire();       // gives back the newest acquired slot unpublished
  void finish();          // waits for the stages to drain, rethrows their error

 private:
  void run_stage(size_t index);
  void stop();
  std::vector<Slot> m_slots;
  size_t m_plain_capacity, m_cipher_capacity;
  std::vector<Stage> m_stages;
  std::vector<std::uint64_t> m_stage_next;  // next sequence number each stage will process
  std::vector<std::thread> m_threads;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::uint64_t m_acquired = 0, m_published = 0;
  bool m_closing = false;
  std::exception_ptr m_error;
};

}  // namespace kaappi
