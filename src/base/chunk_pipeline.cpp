// chunk_pipeline.cpp — see chunk_pipeline.h.
#include "base/chunk_pipeline.h"

#include <sodium.h>

#include <algorithm>

#include "base/error.h"

namespace kaappi {
namespace {

// Buffers kept between pipelines: the k_kept last given back, each reused
// for a request it can hold without wasting much.
struct KeptBuffer {
  std::unique_ptr<std::uint8_t[]> bytes;
  size_t capacity = 0;
};
constexpr size_t k_kept = 8;
std::mutex g_kept_mutex;
std::vector<KeptBuffer>& kept() {
  static std::vector<KeptBuffer> buffers;
  return buffers;
}

}  // namespace

void ChunkPipeline::Buffer::allocate(size_t size) {
  {
    std::lock_guard<std::mutex> lock(g_kept_mutex);
    auto& list = kept();
    for (auto it = list.begin(); it != list.end(); ++it)
      if (it->capacity >= size && it->capacity <= 2 * size + (64u << 10)) {
        m_bytes = std::move(it->bytes);
        m_capacity = it->capacity;
        m_size = size;
        list.erase(it);
        return;
      }
  }
  m_bytes.reset(new std::uint8_t[size]);
  m_capacity = m_size = size;
}

ChunkPipeline::Buffer::~Buffer() {
  if (!m_bytes) return;
  std::lock_guard<std::mutex> lock(g_kept_mutex);
  auto& list = kept();
  if (list.size() == k_kept) list.erase(list.begin());  // the oldest goes
  list.push_back({std::move(m_bytes), m_capacity});
}

ChunkPipeline::ChunkPipeline(size_t slots, size_t plain_capacity, size_t cipher_capacity, std::vector<Stage> stages,
                             Threads threads)
    : m_slots(threads == Threads::none ? std::min<size_t>(slots, 2) : slots),
      m_plain_capacity(plain_capacity),
      m_cipher_capacity(cipher_capacity),
      m_stages(std::move(stages)),
      m_stage_next(m_stages.size(), 0) {
  if (threads == Threads::one_per_stage)
    for (size_t i = 0; i < m_stages.size(); ++i) m_threads.emplace_back([this, i] { run_stage(i); });
}

ChunkPipeline::~ChunkPipeline() {
  stop();
  // Only what was written holds plaintext: every published fill is within
  // m_max_plain_len, and a slot's last fill (published or not) within its plain_len.
  for (auto& s : m_slots)
    if (!s.plain.empty())
      sodium_memzero(s.plain.data(), std::min<std::uint64_t>(s.plain.size(), std::max<std::uint64_t>(m_max_plain_len, s.plain_len)));
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
    slot.plain.allocate(m_plain_capacity);
    slot.cipher.allocate(m_cipher_capacity);
  }
  return slot;
}

void ChunkPipeline::publish() {
  Slot* inline_slot = nullptr;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_published >= m_acquired) fail(ErrorKind::internal, "ChunkPipeline::publish without acquire");
    Slot& slot = m_slots[m_published % m_slots.size()];
    m_max_plain_len = std::max<std::uint64_t>(m_max_plain_len, slot.plain_len);
    ++m_published;
    if (m_threads.empty()) inline_slot = &slot;
  }
  if (inline_slot) {  // Threads::none: the stages run here, in order
    for (auto& stage : m_stages) stage(*inline_slot);
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto& next : m_stage_next) ++next;
    return;
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
