// peak_memory.cpp — see peak_memory.h.
#include "base/peak_memory.h"

#include <cstdlib>
#include <fstream>

namespace kaappi::peak_memory {

bool reporting() { return std::getenv("KAAPPI_REPORT_PEAK_RSS") != nullptr; }

std::optional<std::string> take_report(const std::string& what) {
  if (!reporting()) return std::nullopt;
  std::optional<std::string> report;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      report = "peak RSS " + what + " " + std::to_string(std::stol(line.substr(6))) + " KiB";
  std::ofstream("/proc/self/clear_refs") << "5";  // resets VmHWM
  return report;
}

}  // namespace kaappi::peak_memory
