// stop_on_signal.cpp — see stop_on_signal.h.
#include "frontend/stop_on_signal.h"

#include <atomic>

namespace kaappi::frontend {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

void ask_to_stop(int number) {
  g_signal.store(number);
  g_stop.store(true);
}

}  // namespace

StopOnSignal::StopOnSignal() {
  g_stop.store(false);
  g_signal.store(0);
  struct sigaction action {};
  action.sa_handler = ask_to_stop;
  action.sa_flags = SA_RESETHAND;  // the second signal has its default effect: the process ends
  sigemptyset(&action.sa_mask);
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
