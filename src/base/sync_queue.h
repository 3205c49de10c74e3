// sync_queue.h — the waits of durable writes (fsync) on threads of their own.
//
// A batch of files is written one after another; each file's fsync is handed
// to a SyncQueue, which runs it on one of a few threads while the caller goes
// on with the next file. Concurrent fsyncs also share the file system's
// journal commits and the disk's cache flushes, so a batch pays for a few,
// not one per file. Nothing may be relied on (a file renamed into place, a
// row committed) before wait() has returned and said that its task
// succeeded. Tasks wait on the disk, not on the CPU, so a few threads are
// cheap on a small machine. add() and wait() are called from one thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kaappi {

class SyncQueue {
 public:
  explicit SyncQueue(std::size_t threads = 4);
  ~SyncQueue();  // waits for the tasks queued, ignoring their errors
  SyncQueue(const SyncQueue&) = delete;
  SyncQueue& operator=(const SyncQueue&) = delete;

  // Queues a task; its index is its place among those added since the last wait().
  std::size_t add(std::function<void()> task);
  // Waits for every task added since the last wait(); returns, in the order
  // they were added, each one's error (nullptr: it succeeded).
  std::vector<std::exception_ptr> wait();

 private:
  void run();
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::size_t> m_queue;  // indexes into m_tasks not yet started
  std::vector<std::function<void()>> m_tasks;
  std::vector<std::exception_ptr> m_errors;
  std::size_t m_done = 0;
  bool m_closing = false;
  std::vector<std::thread> m_threads;
  std::size_t m_thread_count;
};

}  // namespace kaappi
