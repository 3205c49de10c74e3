// stop_request.h — how a front end asks a library call that takes many items
// one by one (import_files, ingest_inbox) to stop between them: the item
// being written is finished and committed, the ones after it are not started
// and come back as such, so the same call again does exactly the rest. The
// front end sets the flag from a signal handler (frontend/stop_on_signal.h).
#pragma once

#include <atomic>

namespace kaappi {

class StopRequest {
 public:
  StopRequest() = default;  // never asked
  explicit StopRequest(const std::atomic<bool>* flag) : m_flag(flag) {}
  bool asked() const { return m_flag != nullptr && m_flag->load(); }

 private:
  const std::atomic<bool>* m_flag = nullptr;
};

}  // namespace kaappi
