// sync_queue.cpp — see sync_queue.h.
#include "base/sync_queue.h"

namespace kaappi {

SyncQueue::SyncQueue(std::size_t threads) : m_thread_count(threads == 0 ? 1 : threads) {}

SyncQueue::~SyncQueue() {
  {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [&] { return m_done == m_tasks.size(); });
    m_closing = true;
  }
  m_changed.notify_all();
  for (auto& t : m_threads) t.join();
}

std::size_t SyncQueue::add(std::function<void()> task) {
  std::size_t index;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    index = m_tasks.size();
    m_tasks.push_back(std::move(task));
    m_errors.emplace_back();
    m_queue.push_back(index);
    // Threads are started as work comes, up to the limit.
    if (m_threads.size() < m_thread_count && m_queue.size() > 0 &&
        m_threads.size() < m_tasks.size() - m_done)
      m_threads.emplace_back([this] { run(); });
  }
  m_changed.notify_all();
  return index;
}

std::vector<std::exception_ptr> SyncQueue::wait() {
  std::unique_lock<std::mutex> lock(m_mutex);
  m_changed.wait(lock, [&] { return m_done == m_tasks.size(); });
  std::vector<std::exception_ptr> errors = std::move(m_errors);
  m_errors.clear();
  m_tasks.clear();
  m_done = 0;
  return errors;
}

void SyncQueue::run() {
  std::unique_lock<std::mutex> lock(m_mutex);
  for (;;) {
    m_changed.wait(lock, [&] { return m_closing || !m_queue.empty(); });
    if (m_queue.empty()) return;  // closing
    const std::size_t index = m_queue.front();
    m_queue.pop_front();
    std::function<void()> task = std::move(m_tasks[index]);
    lock.unlock();
    std::exception_ptr error;
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    m_errors[index] = error;
    ++m_done;
    m_changed.notify_all();
  }
}

}  // namespace kaappi
