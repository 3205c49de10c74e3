// stop_on_signal.h — Ctrl-C (SIGINT) or SIGTERM during a command that takes
// many items one by one (kaappi import, kaappi ingest, kaappi-scan FILE...
// and kaappi-scan watch).
// While a StopOnSignal lives, the first such signal only asks the run to stop
// (request(), base/stop_request.h): the item being written is finished, the
// ones after it are not started, and the front end lists both and exits
// 128 + the signal (exit_code_for_items). A second signal ends the process at
// once (what it interrupted is recovered by the next command that writes).
#pragma once

#include <signal.h>

#include "base/stop_request.h"

namespace kaappi::frontend {

class StopOnSignal {
 public:
  StopOnSignal();  // one at a time
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  StopRequest request() const;
  // The signal that asked to stop; 0 if none came.
  int signal() const;

 private:
  struct sigaction m_old_int {};
  struct sigaction m_old_term {};
};

}  // namespace kaappi::frontend
