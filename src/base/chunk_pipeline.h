// chunk_pipeline.h — spreads per-chunk work of a blob over threads.
//
// Encrypting a blob is a strict sequence (the secretstream state), but the
// two hashes (blob and content) and the file write need not wait for it. The producer
// (the calling thread) acquires slots in order, fills them and publishes
// them; each stage runs in its own thread and sees every published slot in
// order. A slot is reused only after every stage is done with it. A stage that
// throws stops the pipeline; the error is rethrown from acquire() or finish().
// Slot buffers are allocated when first used (a small file needs one), not
// zeroed, and wiped when the pipeline ends. A pipeline for what fits in one
// batch (a page-sized scan) runs its stages on the calling thread as each
// slot is published (Threads::none): starting and waking two threads per
// small file costs more than the work it would spread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/bytes.h"

namespace kaappi {

class ChunkPipeline {
 public:
  // A slot's buffer: its capacity, uninitialised until written. Buffers are
  // kept for the next pipeline (a few, process-wide), so that a batch of
  // small files does not make the allocator map and clear fresh pages for
  // each file; a plaintext buffer is wiped before it is kept.
  class Buffer {
   public:
    Buffer() = default;
    ~Buffer();
    Buffer(Buffer&& o) noexcept : m_bytes(std::move(o.m_bytes)), m_size(o.m_size), m_capacity(o.m_capacity) {
      o.m_size = o.m_capacity = 0;
    }
    Buffer& operator=(Buffer&&) = delete;
    std::uint8_t* data() { return m_bytes.get(); }
    const std::uint8_t* data() const { return m_bytes.get(); }
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    void allocate(size_t size);

   private:
    std::unique_ptr<std::uint8_t[]> m_bytes;
    size_t m_size = 0;  // what was asked for (the memory may be larger)
    size_t m_capacity = 0;
  };
  struct Slot {
    Buffer plain, cipher;
    size_t plain_len = 0, cipher_len = 0;
  };
  using Stage = std::function<void(Slot&)>;
  enum class Threads { one_per_stage, none };

  ChunkPipeline(size_t slots, size_t plain_capacity, size_t cipher_capacity, std::vector<Stage> stages,
                Threads threads = Threads::one_per_stage);
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
  std::uint64_t m_max_plain_len = 0;  // what the wipe must cover
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
