// stop_on_signal.cpp — see stop_on_signal.h.
#include "frontend/stop_on_signal.h"

#include <atomic>

namespace kaappi::frontend {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

// Async-signal-safe: atomics and sigaction only. The first signal, of either
// kind, is the one remembered; from then on both have their default effect,
// so the next Ctrl-C or SIGTERM ends the process at once.
void ask_to_stop(int number) {
  int none = 0;
  g_signal.compare_exchange_strong(none, number);
  g_stop.store(true);
  struct sigaction ends {};
  ends.sa_handler = SIG_DFL;
  sigemptyset(&ends.sa_mask);
  ::sigaction(SIGINT, &ends, nullptr);
  ::sigaction(SIGTERM, &ends, nullptr);
}

}  // namespace

StopOnSignal::StopOnSignal() {
  g_stop.store(false);
  g_signal.store(0);
  struct sigaction action {};
  action.sa_handler = ask_to_stop;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);  // the handler is never interrupted by the other one
  sigaddset(&action.sa_mask, SIGTERM);
  ::sigaction(SIGINT, &action, &m_old_int);
  ::sigaction(SIGTERM, &action, &m_old_term);
}

StopOnSignal::~StopOnSignal() {
  ::sigaction(SIGINT, &m_old_int, nullptr);
  ::sigaction(SIGTERM, &m_old_term, nullptr);
}

StopRequest StopOnSignal::request() const { return StopRequest(&g_stop); }

int StopOnSignal::signal() const { return g_signal.load(); }

}  // namespace kaappi::frontend
