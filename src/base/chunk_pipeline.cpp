// chunk_pipeline.cpp — see chunk_pipeline.h.
#include "base/chunk_pipeline.h"

#include <sodium.h>

#include <algorithm>

#include "base/error.h"

namespace kaappi {

ChunkPipeline::ChunkPipeline(size_t slots, size_t plain_capacity, size_t cipher_capacity, std::vector<Stage> stages)
    : m_slots(slots),
      m_plain_capacity(plain_capacity),
      m_cipher_capacity(cipher_capacity),
      m_stages(std::move(stages)),
      m_stage_next(m_stages.size(), 0) {
  for (size_t i = 0; i < m_stages.size(); ++i) m_threads.emplace_back([this, i] { run_stage(i); });
}

ChunkPipeline::~ChunkPipeline() {
  stop();
  for (auto& s : m_slots) sodium_memzero(s.plain.data(), s.plain.size());
}

void ChunkPipeline::stop() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_closing = true;
  }
  m_changed.notify_all();
  for (auto& t : m_threads)
    if (t.joinable()) t.join();
}

ChunkPipeline::Slot& ChunkPipeline::acquire() {
  std::unique_lock<std::mutex> lock(m_mutex);
  std::uint64_t seq = m_acquired;
  m_changed.wait(lock, [&] {
    if (m_error) return true;
    std::uint64_t slowest = *std::min_element(m_stage_next.begin(), m_stage_next.end());
    return seq < slowest + m_slots.size();
  });
  if (m_error) std::rethrow_exception(m_error);
  ++m_acquired;
  Slot& slot = m_slots[seq % m_slots.size()];
  if (slot.plain.empty()) {
    slot.plain.resize(m_plain_capacity);
    slot.cipher.resize(m_cipher_capacity);
  }
  return slot;
}

void ChunkPipeline::publish() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_published >= m_acquired) fail(ErrorKind::internal, "ChunkPipeline::publish without acquire");
    ++m_published;
  }
  m_changed.notify_all();
}

void ChunkPipeline::unacquire() {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_acquired > m_published) --m_acquired;
}

void ChunkPipeline::finish() {
  {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [&] {
      return m_error || std::all_of(m_stage_next.begin(), m_stage_next.end(),
                                    [&](std::uint64_t n) { return n == m_published; });
    });
  }
  stop();
  if (m_error) std::rethrow_exception(m_error);
}

void ChunkPipeline::run_stage(size_t index) {
  for (;;) {
    std::uint64_t seq;
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      m_changed.wait(lock, [&] { return m_closing || m_error || m_stage_next[index] < m_published; });
      if (m_error || m_stage_next[index] >= m_published) return;  // closing with nothing left
      seq = m_stage_next[index];
    }
    try {
      m_stages[index](m_slots[seq % m_slots.size()]);
    } catch (...) {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (!m_error) m_error = std::current_exception();
      m_changed.notify_all();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      ++m_stage_next[index];
    }
    m_changed.notify_all();
  }
}

}  // namespace kaappi
