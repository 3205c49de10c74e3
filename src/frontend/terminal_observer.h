// terminal_observer.h — how a front end shows the library's reports
// (base/observer.h): notices as "PROGRAM: text" lines, progress as one bar
// redrawn in place, only when the output is a terminal; both made printable
// (printable.h) first.
//
// Bars are drawn when asked (by default: stderr is a terminal and TERM is
// not "dumb"), at most ten times a second, always at 100%, and erased at the
// end. A notice during a bar erases the bar first. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include "base/observer.h"

namespace kaappi::frontend {

enum class Bars { on_terminal, always };

class TerminalObserver final : public Observer {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TerminalObserver(std::string program, Bars bars = Bars::on_terminal, std::FILE* out = stderr,
                            std::function<Clock::time_point()> now = Clock::now);
  void progress_begin(const std::string& label, std::uint64_t total) override;
  void progress(std::uint64_t done) override;
  void progress_end() override;
  void notice(const std::string& text) override;
  // Shown as notices only after show_details() (-v).
  void detail(const std::string& text) override;
  void show_details() { m_details = true; }

 private:
  void erase_bar();

  std::string m_program;
  bool m_bars;
  std::FILE* m_out;
  std::function<Clock::time_point()> m_now;
  std::string m_label;
  std::uint64_t m_total = 0;
  bool m_drawn = false;
  Clock::time_point m_last{};
  bool m_details = false;
};

// Whether stderr is a terminal that can show a bar (TERM is not "dumb").
bool stderr_shows_bars();

}  // namespace kaappi::frontend
