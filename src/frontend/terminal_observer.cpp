// terminal_observer.cpp — see terminal_observer.h.
#include "frontend/terminal_observer.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "frontend/printable.h"

namespace kaappi::frontend {

bool stderr_shows_bars() {
  if (!::isatty(STDERR_FILENO)) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

TerminalObserver::TerminalObserver(std::string program, Bars bars, std::FILE* out,
                                   std::function<Clock::time_point()> now)
    : m_program(std::move(program)),
      m_bars(bars == Bars::always || (bars == Bars::on_terminal && stderr_shows_bars())),
      m_out(out),
      m_now(std::move(now)) {}

void TerminalObserver::progress_begin(const std::string& label, std::uint64_t total) {
  erase_bar();
  m_label = printable(label);
  m_total = total;
}

void TerminalObserver::progress(std::uint64_t done) {
  if (!m_bars) return;
  Clock::time_point now = m_now();
  if (m_drawn && now - m_last < std::chrono::milliseconds(100) && done < m_total) return;
  m_last = now;
  m_drawn = true;
  constexpr int width = 30;
  double frac = m_total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(m_total);
  if (frac > 1) frac = 1;
  int filled = static_cast<int>(frac * width);
  std::fprintf(m_out, "\r%s [%.*s%*s] %3d%%", m_label.c_str(), filled, "##############################",
               width - filled, "", static_cast<int>(frac * 100));
  std::fflush(m_out);
}

void TerminalObserver::progress_end() { erase_bar(); }

void TerminalObserver::notice(const std::string& text) {
  erase_bar();
  std::fprintf(m_out, "%s: %s\n", m_program.c_str(), printable(text).c_str());
  std::fflush(m_out);
}

void TerminalObserver::detail(const std::string& text) {
  if (m_details) notice(text);
}

void TerminalObserver::erase_bar() {
  if (!m_drawn) return;
  std::fprintf(m_out, "\r\033[K");
  std::fflush(m_out);
  m_drawn = false;
}

}  // namespace kaappi::frontend
