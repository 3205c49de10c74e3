// fault.cpp — see fault.h.
#include "base/fault.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "base/error.h"

namespace kaappi::fault {
namespace {

struct Plan {
  bool active = false;
  std::string name;
  std::string action = "crash";
  long nth = 1;
  std::atomic<long> seen{0};  // points are reached from several threads (a blob's writer, the syncer)
};

Plan& plan() {
  static Plan p;
  static const bool parsed = [] {  // once, thread-safely
    const char* spec = std::getenv("KAAPPI_FAULT");
    if (spec == nullptr || *spec == '\0') return false;
    std::string s = spec;
    if (auto at = s.find('@'); at != std::string::npos) {
      p.nth = std::strtol(s.c_str() + at + 1, nullptr, 10);
      s.resize(at);
    }
    if (auto colon = s.find(':'); colon != std::string::npos) {
      p.action = s.substr(colon + 1);
      s.resize(colon);
    }
    p.name = s;
    p.active = true;
    return true;
  }();
  (void)parsed;
  return p;
}

}  // namespace

void point(std::string_view name) {
  Plan& p = plan();
  if (!p.active || name != p.name) return;
  if (++p.seen != p.nth) return;
  if (p.action == "error") {
    errno = EIO;
    fail_errno("simulated failure at " + std::string(name));
  }
  if (p.action == "enospc") {
    errno = ENOSPC;
    fail_errno("could not write to the archive");
  }
  if (p.action == "stop") {  // stopped until SIGCONT: a test changes the world at this point meanwhile
    kill(getpid(), SIGSTOP);
    return;
  }
  if (p.action == "sigint" || p.action == "sigterm") {  // as Ctrl-C or a shutdown would, at a known point
    kill(getpid(), p.action == "sigint" ? SIGINT : SIGTERM);
    return;
  }
  kill(getpid(), SIGKILL);
  _exit(137);  // not reached
}

}  // namespace kaappi::fault
