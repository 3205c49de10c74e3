// progress.cpp — see progress.h.
#include "base/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace kaappi {

bool Progress::enabled_for_terminal(bool quiet) {
  if (quiet || !::isatty(STDERR_FILENO)) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

Progress::Progress(std::string label, std::uint64_t total, bool quiet)
    : m_label(std::move(label)), m_total(total), m_enabled(enabled_for_terminal(quiet)) {}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t done) {
  if (!m_enabled) return;
  auto now = std::chrono::steady_clock::now();
  if (m_drawn && now - m_last < std::chrono::milliseconds(100) && done < m_total) return;
  m_last = now;
  m_drawn = true;
  constexpr int width = 30;
  double frac = m_total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(m_total);
  if (frac > 1) frac = 1;
  int filled = static_cast<int>(frac * width);
  std::fprintf(stderr, "\r%s [%.*s%*s] %3d%%", m_label.c_str(), filled, "##############################",
               width - filled, "", static_cast<int>(frac * 100));
  std::fflush(stderr);
}

void Progress::finish() {
  if (m_enabled && m_drawn) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  m_drawn = false;
}

}  // namespace kaappi
