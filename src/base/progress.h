// progress.h — a progress bar on stderr, shown only on a terminal.
//
// Shown when stderr is a terminal, TERM is not "dumb" and the user did not
// ask for quiet; otherwise every call does nothing. Redraws at most ten
// times a second. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kaappi {

class Progress {
 public:
  Progress(std::string label, std::uint64_t total, bool quiet);
  ~Progress();
  void update(std::uint64_t done);
  void finish();
  static bool enabled_for_terminal(bool quiet);

 private:
  std::string m_label;
  std::uint64_t m_total;
  bool m_enabled;
  bool m_drawn = false;
  std::chrono::steady_clock::time_point m_last{};
};

}  // namespace kaappi
