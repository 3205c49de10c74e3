// timing_report.cpp — see timing_report.h.
#include "base/timing_report.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace kaappi::timing_report {
namespace {
using Clock = std::chrono::steady_clock;
const Clock::time_point g_start = Clock::now();
Clock::time_point g_unlocked;
bool g_marked = false;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
}  // namespace

void mark_unlocked() {
  g_unlocked = Clock::now();
  g_marked = true;
}

std::optional<std::string> summary() {
  if (std::getenv("KAAPPI_REPORT_TIMING") == nullptr || !g_marked) return std::nullopt;
  char text[128];
  std::snprintf(text, sizeof text, "time after unlock %.1f ms (start to unlocked %.1f ms)",
                ms(Clock::now() - g_unlocked), ms(g_unlocked - g_start));
  return std::string(text);
}

}  // namespace kaappi::timing_report
