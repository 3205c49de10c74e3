// peak_memory.cpp — see peak_memory.h.
#include "base/peak_memory.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace kaappi::peak_memory {

bool reporting() { return std::getenv("KAAPPI_REPORT_PEAK_RSS") != nullptr; }

void report_and_reset(const std::string& what) {
  if (!reporting()) return;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) std::cerr << "kaappi: peak RSS " << what << " " << std::stol(line.substr(6)) << " KiB\n";
  std::ofstream("/proc/self/clear_refs") << "5";  // resets VmHWM
}

}  // namespace kaappi::peak_memory
