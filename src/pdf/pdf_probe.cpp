// pdf_probe.cpp — see pdf_probe.h.
#include "pdf/pdf_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/error.h"
#include "base/file_io.h"
#include "pdf/probe_protocol.h"

namespace kaappi {
namespace {

long env_number(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  long n = std::strtol(v, nullptr, 10);
  return n > 0 ? n : fallback;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void set_limit(int resource, rlim_t value) {
  rlimit r{value, value};
  ::setrlimit(resource, &r);
}

// The reason in the helper's stderr line `prefix` + reason (at most 200 bytes
// of it); the whole line if it does not start so.
std::string reason_in(const std::string& line, const std::string& prefix) {
  size_t from = line.compare(0, prefix.size(), prefix) == 0 ? prefix.size() : 0;
  return line.substr(from, 200);
}

}  // namespace

ProbeLimits ProbeLimits::from_environment() {
  ProbeLimits l;
  l.memory_bytes = static_cast<std::uint64_t>(env_number("KAAPPI_PROBE_MEMORY_MB", 1024)) << 20;
  l.cpu_seconds = static_cast<int>(env_number("KAAPPI_PROBE_CPU_SECONDS", 60));
  l.wall_seconds = static_cast<int>(env_number("KAAPPI_PROBE_WALL_SECONDS", 120));
  return l;
}

std::string pdf_probe_path() {
  if (const char* p = std::getenv("KAAPPI_PDF_PROBE"); p != nullptr && *p != '\0') return p;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) fail(ErrorKind::internal, "cannot find the kaappi program's folder");
  self[n] = '\0';
  std::string dir = parent_dir(self);
  const std::string program = probe::k_program;
  // Installed: KAAPPI_HELPER_FROM_BIN (from CMake's install layout, "../lib/kaappi");
  // in a build tree: next to the program, or in src/.
  for (const std::string& candidate : {dir + "/" + program, dir + "/" KAAPPI_HELPER_FROM_BIN "/" + program,
                                       dir + "/../src/" + program}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  fail(ErrorKind::internal, "the PDF helper " + program + " is not installed: not in " + dir +
                                "/" KAAPPI_HELPER_FROM_BIN "/ nor next to " + std::string(self) +
                                " (KAAPPI_PDF_PROBE names another)");
}

ProbeService::ProbeService(const ProbeLimits& limits, size_t servers) : m_limits(limits), m_servers(servers) {}

ProbeService::~ProbeService() {
  for (auto& server : m_servers) stop(server);
}

void ProbeService::stop(Server& server) {
  if (server.sock >= 0) ::close(server.sock);  // the server exits at end of input
  if (server.pid > 0) {
    ::kill(-server.pid, SIGKILL);
    int status = 0;
    while (::waitpid(server.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  server = Server{};
}

void ProbeService::refuse_without_sandbox(const std::string& reason) {
  m_sandbox_refused = reason;
  fail(ErrorKind::io, "the PDF helper could not install its sandbox (seccomp filter: " + reason +
                          ") and refuses to read PDFs without it");
}

// Runs the helper as a fork server under the limits, with a scrubbed
// environment (KAAPPI_FAULT passes, for tests), and reads its hello.
void ProbeService::start(Server& server) {
  std::string helper = pdf_probe_path();
  std::vector<const char*> envp = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8"};
  std::string fault;
  if (const char* spec = std::getenv("KAAPPI_FAULT"); spec != nullptr && *spec != '\0') {
    fault = std::string("KAAPPI_FAULT=") + spec;
    envp.push_back(fault.c_str());
  }
  envp.push_back(nullptr);
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) fail_errno("cannot start the PDF helper");
  const pid_t kaappi = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pair[0]);
    ::close(pair[1]);
    fail_errno("cannot start the PDF helper");
  }
  if (pid == 0) {
    // Killed with kaappi (even by kill -9): never left reading on its own.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != kaappi) _exit(static_cast<int>(probe::Status::no_process));  // kaappi died before that
    ::setpgid(0, 0);  // so the server and its children can be killed together
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(pair[1], STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    set_limit(RLIMIT_AS, m_limits.memory_bytes);
    // Per process (each document's starts afresh); SIGXCPU at the limit (so
    // it is told apart from a crash), SIGKILL a second later.
    const rlimit cpu{static_cast<rlim_t>(m_limits.cpu_seconds), static_cast<rlim_t>(m_limits.cpu_seconds) + 1};
    ::setrlimit(RLIMIT_CPU, &cpu);
    set_limit(RLIMIT_FSIZE, 0);
    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_NOFILE, 32);
    ::execle(helper.c_str(), probe::k_program, probe::k_server_flag, static_cast<char*>(nullptr),
             const_cast<char* const*>(envp.data()));
    _exit(static_cast<int>(probe::Status::no_process));
  }
  ::close(pair[1]);
  server.pid = pid;
  server.sock = pair[0];
  probe::Reply hello{};
  if (!probe::receive_reply(server.sock, hello)) return;  // it died starting: its first job reports it
  if (hello.kind == probe::ReplyKind::sandbox_refused) {
    stop(server);
    refuse_without_sandbox(std::strerror(hello.value));
  }
  if (hello.kind != probe::ReplyKind::ready || hello.value != probe::k_protocol_version) {
    stop(server);
    fail(ErrorKind::internal, "the PDF helper " + helper + " does not belong to this kaappi (another version)");
  }
}

ProbeService::Server& ProbeService::acquire() {
  if (!m_sandbox_refused.empty()) refuse_without_sandbox(m_sandbox_refused);
  Server* server = nullptr;
  for (auto& s : m_servers)
    if (!s.busy) {
      server = &s;
      break;
    }
  if (server == nullptr) fail(ErrorKind::internal, "all PDF helpers are busy");
  if (server->pid < 0) start(*server);
  server->busy = true;
  return *server;
}

void ProbeService::release(Server& server, bool healthy) {
  if (!healthy) stop(server);
  server.busy = false;
}

ProbeJob::ProbeJob(ProbeService& service, int fd, std::string display_name)
    : m_service(service), m_name(std::move(display_name)) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) fail_errno("cannot start the PDF helper");
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    fail_errno("cannot start the PDF helper");
  }
  m_out = Fd(out_pipe[0]);
  m_err = Fd(err_pipe[0]);
  Fd out_write(out_pipe[1]), err_write(err_pipe[1]);
  // The helper gets its own open file description (not our file offset).
  Fd own(::open(("/proc/self/fd/" + std::to_string(fd)).c_str(), O_RDONLY | O_CLOEXEC));
  if (!own.valid()) fail_errno("cannot read " + m_name);
  m_server = &service.acquire();
  m_deadline_ms = now_ms() + 1000LL * service.limits().wall_seconds;
  int fds[probe::k_request_fds];
  fds[probe::k_pdf_fd] = own.get();
  fds[probe::k_out_fd] = out_write.get();
  fds[probe::k_err_fd] = err_write.get();
  probe::Reply started{};
  if (probe::send_request(m_server->sock, fds) && probe::receive_reply(m_server->sock, started) &&
      started.kind == probe::ReplyKind::started)
    m_child = started.value;
  // else: the server could not start or died; wait() reports it.
}

ProbeJob::~ProbeJob() {
  if (m_server != nullptr) {  // not waited for: stop the document's process
    if (m_child > 0) ::kill(m_child, SIGKILL);
    m_service.release(*m_server, false);
  }
}

PdfSummary ProbeJob::wait() {
  const std::string& name = m_name;
  const ProbeLimits& limits = m_service.limits();
  Fd out = std::move(m_out), err = std::move(m_err);
  std::string out_text, err_text;
  bool overflow = false, timed_out = false;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    std::int64_t left = m_deadline_ms - now_ms();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}};
    if (!out_open) fds[0].fd = -1;
    if (!err_open) fds[1].fd = -1;
    int r = ::poll(fds, 2, static_cast<int>(std::min<std::int64_t>(left, 1000)));
    if (r < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      std::string& dst = i == 0 ? out_text : err_text;
      size_t cap = i == 0 ? probe::k_max_summary : probe::k_max_message;
      if (dst.size() < cap) dst.append(buf, std::min(static_cast<size_t>(n), cap - dst.size()));
      if (i == 0 && dst.size() >= cap) overflow = true;
    }
    if (overflow) break;
  }
  if ((timed_out || overflow) && m_child > 0) ::kill(m_child, SIGKILL);
  probe::Reply finished{};
  bool healthy = m_child > 0 && probe::receive_reply(m_server->sock, finished) &&
                 finished.kind == probe::ReplyKind::finished;
  int status = finished.value;
  if (!healthy) status = SIGKILL;  // the server died or never started: as if killed
  m_service.release(*m_server, healthy);
  m_server = nullptr;
  while (!err_text.empty() && (err_text.back() == '\n' || err_text.back() == '\r')) err_text.pop_back();
  const std::string prefix = name + " was rejected: ";
  if (timed_out)
    fail(ErrorKind::rejected, prefix + "reading it took longer than " + std::to_string(limits.wall_seconds) +
                                  " s (hostile PDF or decompression bomb)");
  if (overflow) fail(ErrorKind::rejected, prefix + "the PDF reader's summary was too large (hostile PDF)");
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGXCPU)
      fail(ErrorKind::rejected, prefix + "reading it used more than " + std::to_string(limits.cpu_seconds) +
                                    " s of CPU (hostile PDF or decompression bomb)");
    fail(ErrorKind::rejected, prefix + "the PDF reader crashed or ran out of its " +
                                  std::to_string(limits.memory_bytes >> 20) +
                                  " MiB memory limit (malformed, hostile PDF or decompression bomb)");
  }
  using probe::Status;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : static_cast<int>(Status::output_failed);
  switch (static_cast<Status>(code)) {
    case Status::ok:
      break;
    case Status::not_pdf:
      fail(ErrorKind::rejected, prefix + "it is not a readable PDF (malformed or truncated)");
    case Status::encrypted:
      fail(ErrorKind::rejected, prefix + "the PDF is password-protected; remove the password and import it again");
    case Status::no_pages:
      fail(ErrorKind::rejected, prefix + "the PDF has no pages");
    case Status::pages_unreadable:
      fail(ErrorKind::rejected, prefix + "none of the PDF's pages can be read (malformed PDF)");
    case Status::bomb:
      fail(ErrorKind::rejected, prefix + "it is a decompression bomb (" + reason_in(err_text, probe::k_bomb_message) + ")");
    case Status::sandbox_refused:
      m_service.refuse_without_sandbox(reason_in(err_text, probe::k_sandbox_message));
    case Status::no_process:
      fail(ErrorKind::internal, "could not start a PDF reader process for " + name);
    default:
      if (code == 134 || code == 139 || code >= 128 || code == 1)
        fail(ErrorKind::rejected, prefix + "the PDF reader failed or ran out of its " +
                                      std::to_string(limits.memory_bytes >> 20) +
                                      " MiB memory limit (malformed, hostile PDF or decompression bomb)");
      fail(ErrorKind::internal, "the PDF helper failed unexpectedly on " + name + " (exit " + std::to_string(code) + ")");
  }
  return read_pdf_summary(out_text, name);
}

PdfSummary read_pdf_summary(std::string_view out_text, const std::string& name) {
  const std::string prefix = name + " was rejected: ";
  PdfSummary summary;
  // Deeper nesting is hostile: writing it out again (dump) would recurse
  // once per level and exhaust the stack.
  auto within_depth = [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > probe::k_max_summary_depth) throw std::length_error("the summary is nested too deeply");
    return true;
  };
  try {
    auto j = nlohmann::json::parse(out_text, within_depth);
    // A whole number only: get<int64_t>() of a float converts it, and one
    // beyond int64's range is undefined behaviour (found by fuzz_probe_reply).
    const auto& pages = j.at(probe::field::pages);
    if (!pages.is_number_integer()) throw std::invalid_argument("the page count is not a whole number");
    summary.pages = pages.get<std::int64_t>();
    summary.json = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception&) {
    fail(ErrorKind::rejected, prefix + "the PDF reader gave no usable summary");
  }
  if (summary.pages <= 0) fail(ErrorKind::rejected, prefix + "the PDF has no pages");
  return summary;
}

std::string summary_without_forms(const std::string& json) {
  // `json` is what read_pdf_summary wrote: an object within the depth limit.
  nlohmann::json j = nlohmann::json::parse(json);
  j.erase(probe::field::form_pages);
  j.erase(probe::field::form_search);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

PdfSummary probe_pdf(int fd, const std::string& name, const ProbeLimits& limits) {
  ProbeService service(limits, 1);
  return ProbeJob(service, fd, name).wait();
}

}  // namespace kaappi
