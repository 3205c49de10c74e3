// test_pdf_helper_lifetime.cpp — the PDF helper never outlives the kaappi
// that started it: kaappi killed with SIGKILL while a document's process is
// reading a slow PDF takes the helper's server and that process with it
// (they are not left reading on their own until their CPU limit).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "harness.h"

using namespace e2e;

namespace {

struct Process {
  int pid = 0, ppid = 0;
  char state = '?';
  std::string comm;
};

// Every process now, from /proc/PID/stat ("pid (comm) state ppid ...").
std::vector<Process> processes() {
  std::vector<Process> out;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return out;
  while (dirent* e = ::readdir(proc)) {
    const int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::ifstream in(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    const size_t open = line.find('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 4 > line.size()) continue;
    Process p;
    p.pid = pid;
    p.comm = line.substr(open + 1, close - open - 1);
    std::istringstream rest(line.substr(close + 2));
    rest >> p.state >> p.ppid;
    out.push_back(p);
  }
  ::closedir(proc);
  return out;
}

// The descendants of `root` (not itself) that are alive.
std::vector<Process> descendants(int root) {
  const std::vector<Process> all = processes();
  std::vector<int> family = {root};
  std::vector<Process> out;
  for (bool grew = true; grew;) {
    grew = false;
    for (const Process& p : all) {
      bool child = false, known = false;
      for (int f : family) child = child || p.ppid == f;
      for (int f : family) known = known || p.pid == f;
      if (child && !known && p.state != 'Z') {
        family.push_back(p.pid);
        out.push_back(p);
        grew = true;
      }
    }
  }
  return out;
}

bool alive(int pid) {
  for (const Process& p : processes())
    if (p.pid == pid) return p.state != 'Z';
  return false;
}

}  // namespace

TEST_CASE("kill -9 of kaappi while the PDF helper reads takes the helper with it", "[pdf-sandbox]") {
  Sandbox s;
  s.init_archive_with_customer();
  // A content stream that keeps Poppler busy for seconds, under the bomb guard's limits.
  const std::string slow = s.make_pdf("slow.pdf", {"--bomb-mb", "200"});
  const int kaappi = s.spawn_kaappi({"import", slow, "--customer", "1001", "--kind", "other"});
  // Wait until a document's process (a child of the helper's server) is reading.
  std::vector<Process> helpers;
  for (int tries = 0; tries < 200; ++tries) {
    helpers = descendants(kaappi);
    int documents = 0;
    for (const Process& p : helpers)
      for (const Process& q : helpers) documents += p.ppid == q.pid ? 1 : 0;
    if (documents > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(helpers.size() >= 2);  // the server and the document's process (a third may start on another server)
  for (const Process& p : helpers) CHECK(p.comm.rfind("kaappi-pdf-pro", 0) == 0);
  REQUIRE(::kill(kaappi, SIGKILL) == 0);
  int status = 0;
  ::waitpid(kaappi, &status, 0);
  CHECK(WIFSIGNALED(status));
  // Gone within seconds, not at their 60 s CPU limit.
  std::vector<int> left;
  for (int tries = 0; tries < 100; ++tries) {
    left.clear();
    for (const Process& p : helpers)
      if (alive(p.pid)) left.push_back(p.pid);
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO("helper processes still alive: " << left.size());
  CHECK(left.empty());
  for (int pid : left) ::kill(pid, SIGKILL);  // not left running after a failed test
}
