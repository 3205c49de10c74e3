// fork_server.cpp — see fork_server.h.
#include "pdf/helper/fork_server.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <csignal>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "pdf/helper/escape_attempts.h"
#include "pdf/helper/sandbox.h"
#include "pdf/helper/summary.h"
#include "pdf/probe_protocol.h"

namespace kaappi::pdf_helper {

using probe::ReplyKind;

int serve(int sock, int sandbox_error) {
  if (sandbox_error != 0) {
    probe::send_reply(sock, ReplyKind::sandbox_refused, sandbox_error);
    return static_cast<int>(probe::Status::sandbox_refused);
  }
  warm_up();
  if (!probe::send_reply(sock, ReplyKind::ready, probe::k_protocol_version)) return 1;
  for (;;) {
    int fds[probe::k_request_fds];
    if (!probe::receive_request(sock, fds)) return 0;
    const pid_t server = ::getpid();
    pid_t pid = ::fork();
    if (pid == 0) {
      // Killed with the server (which dies with kaappi): never left reading on its own.
      if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != server)
        std::_Exit(static_cast<int>(probe::Status::no_process));
      ::close(sock);
      for (int i = 0; i < probe::k_request_fds; ++i) ::dup2(fds[i], i);
      for (int i = 0; i < probe::k_request_fds; ++i)
        if (fds[i] > 2) ::close(fds[i]);
      if (int error = forbid_fork(); error != 0) std::_Exit(refuse_without_sandbox(error));
      attempt_escape_if_asked();
      std::_Exit(probe_document());
    }
    for (int fd : fds) ::close(fd);
    if (pid < 0) {
      if (!probe::send_reply(sock, ReplyKind::finished, static_cast<int>(probe::Status::no_process) << 8)) return 1;
      continue;
    }
    if (!probe::send_reply(sock, ReplyKind::started, pid)) return 1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!probe::send_reply(sock, ReplyKind::finished, status)) return 1;
  }
}

}  // namespace kaappi::pdf_helper
