// escape_attempts.cpp — see escape_attempts.h. TEST-ONLY.
#include "pdf/helper/escape_attempts.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/error.h"
#include "base/fault.h"
#include "pdf/probe_protocol.h"

namespace kaappi::pdf_helper {
namespace {

// The PDF being read: the file behind standard input.
std::string target() {
  char path[4096];
  ssize_t n = ::readlink("/proc/self/fd/0", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : std::string();
}

// The attempt `name`; returns what the call returned (-1 with errno: refused).
long attempt(const std::string& name, const std::string& pdf) {
  const std::string beside = pdf + ".escape";
  if (name == "open-write") return ::open(pdf.c_str(), O_WRONLY);
  if (name == "open-rdwr") return ::open(pdf.c_str(), O_RDWR);
  if (name == "open-truncate") return ::open("/proc/self/fd/0", O_RDONLY | O_TRUNC);
  if (name == "open-create") return ::open(beside.c_str(), O_RDONLY | O_CREAT, 0600);
  if (name == "creat") return ::creat(beside.c_str(), 0600);
  if (name == "mkdir") return ::mkdir(beside.c_str(), 0700);
  if (name == "truncate") return ::truncate(pdf.c_str(), 0);
  if (name == "chmod") return ::chmod(pdf.c_str(), 0666);
  if (name == "unlink") return ::unlink(pdf.c_str());
  if (name == "rename") return ::rename(pdf.c_str(), beside.c_str());
  if (name == "link") return ::link(pdf.c_str(), beside.c_str());
  if (name == "symlink") return ::symlink(pdf.c_str(), beside.c_str());
  if (name == "socket") return ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (name == "execve") {
    char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
    return ::execve(argv[0], argv, nullptr);
  }
  if (name == "ptrace") return ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
  if (name == "signal") return ::kill(::getppid(), 0);
  if (name == "fork") {
    pid_t pid = ::fork();
    if (pid == 0) std::_Exit(0);
    return pid;
  }
#if defined(__x86_64__)
  // unlink through the x32 ABI (__X32_SYSCALL_BIT): a number no x86_64 rule names
  if (name == "x32") return ::syscall(0x40000000L + SYS_unlink, pdf.c_str());
#endif
  errno = ENOSYS;
  return -1;
}

constexpr const char* k_attempts[] = {"open-write", "open-rdwr", "open-truncate", "open-create", "creat",
                                      "mkdir",      "truncate",  "chmod",         "unlink",      "rename",
                                      "link",       "symlink",   "socket",        "execve",      "ptrace",
                                      "signal",     "fork",      "x32"};

}  // namespace

void attempt_escape_if_asked() {
  for (const char* name : k_attempts) {
    try {
      fault::point(std::string("pdf.escape.") + name);
      continue;  // not asked for
    } catch (const Error&) {
    }
    std::string pdf = target();
    errno = 0;
    if (attempt(name, pdf) < 0) {
      std::fprintf(stderr, "%s refused: %s\n", name, std::strerror(errno));
      return;
    }
    std::fprintf(stderr, "sandbox escape: %s succeeded\n", name);
    std::_Exit(static_cast<int>(probe::Status::escaped));
  }
}

}  // namespace kaappi::pdf_helper
