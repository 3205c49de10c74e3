// agent_socket.cpp — see agent_socket.h.
#include "agent/agent_socket.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/error.h"

namespace kaappi::agent {
namespace {

constexpr const char* k_socket = "agent.sock";

// An address naming `name` in the held folder (through /proc/self/fd: no
// path is looked up again, and no length limit of sun_path is reached).
sockaddr_un address_in(const Dir& folder, const char* name) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::string path = "/proc/self/fd/" + std::to_string(folder.fd()) + "/" + name;
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

Fd unix_socket() {
  Fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.valid()) fail(ErrorKind::io, std::string("cannot make a socket: ") + std::strerror(errno));
  return s;
}

}  // namespace

std::string agent_folder_path() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime == nullptr || *runtime != '/')
    fail(ErrorKind::usage,
         "XDG_RUNTIME_DIR is not set, and the unlock agent's socket lives there: log in through a session that "
         "sets it (a desktop or ssh login does), or set it to a folder of your own with mode 0700");
  return std::string(runtime) + "/kaappi";
}

Dir open_agent_folder() {
  const std::string path = agent_folder_path();
  Dir folder = Dir::open(path, Create::yes, 0700);
  struct stat st{};
  if (::fstat(folder.fd(), &st) != 0) fail(ErrorKind::io, "cannot read " + path + ": " + std::strerror(errno));
  if (st.st_uid != ::geteuid()) fail(ErrorKind::rejected, path + " belongs to another user; the unlock agent cannot use it");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    fail(ErrorKind::rejected, path + " is open to other users (mode " + mode +
                                  "); the unlock agent needs it 0700 (chmod 700 it, or remove it)");
  }
  return folder;
}

std::optional<unsigned> peer_uid(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof cred) return std::nullopt;
  return static_cast<unsigned>(cred.uid);
}

Fd connect_to_agent(std::string* why) {
  auto no_agent = [&](const std::string& reason) {
    if (why) *why = reason;
    return Fd();
  };
  std::string path;
  try {
    path = agent_folder_path();
  } catch (const Error& e) {
    return no_agent(e.what());
  }
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) return no_agent("no unlock agent is running");
  Dir folder = open_agent_folder();
  Fd s = unix_socket();
  sockaddr_un a = address_in(folder, k_socket);
  while (::connect(s.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    if (errno == EINTR) continue;
    if (errno == ENOENT || errno == ECONNREFUSED) return no_agent("no unlock agent is running");
    return no_agent(path + "/" + k_socket + " cannot be reached: " + std::strerror(errno));
  }
  std::optional<unsigned> uid = peer_uid(s.get());
  if (!uid || *uid != ::geteuid())
    fail(ErrorKind::rejected, path + "/" + k_socket + " is served by another user; kaappi will not use it");
  return s;
}

Fd take_agent_lock(const Dir& folder) {
  Fd lock = folder.open_file("agent.lock", O_RDWR | O_CREAT, 0600);
  if (!lock.valid()) fail(ErrorKind::io, "cannot open " + folder.path_of("agent.lock") + ": " + std::strerror(errno));
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return Fd();
    fail(ErrorKind::io, "cannot lock " + folder.path_of("agent.lock") + ": " + std::strerror(errno));
  }
  return lock;
}

Listener listen_as_agent(const Dir& folder) {
  // systemd's socket activation: fd 3, when these name this process.
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (pid != nullptr && fds != nullptr && std::strtol(pid, nullptr, 10) == ::getpid() &&
      std::strtol(fds, nullptr, 10) >= 1) {
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    int listening = 0;
    socklen_t len = sizeof listening;
    sockaddr_un a{};
    socklen_t alen = sizeof a;
    if (::getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening ||
        ::getsockname(3, reinterpret_cast<sockaddr*>(&a), &alen) != 0 || a.sun_family != AF_UNIX)
      fail(ErrorKind::usage, "the socket systemd handed over (fd 3) is not a listening Unix socket");
    ::fcntl(3, F_SETFD, FD_CLOEXEC);
    return Listener{Fd(3), true};
  }
  struct stat st{};
  if (::fstatat(folder.fd(), k_socket, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!S_ISSOCK(st.st_mode))
      fail(ErrorKind::rejected, folder.path_of(k_socket) + " is " + file_kind(st.st_mode) + ", not the agent's socket");
    folder.remove(k_socket);  // an agent that ended without removing it (the lock says none runs)
  }
  Fd s = unix_socket();
  sockaddr_un a = address_in(folder, k_socket);
  mode_t old = ::umask(0177);
  int bound = ::bind(s.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
  int bind_errno = errno;
  ::umask(old);
  if (bound != 0)
    fail(ErrorKind::io, "cannot listen on " + folder.path_of(k_socket) + ": " + std::strerror(bind_errno));
  if (::fchmodat(folder.fd(), k_socket, 0600, 0) != 0 || ::listen(s.get(), 16) != 0)
    fail(ErrorKind::io, "cannot listen on " + folder.path_of(k_socket) + ": " + std::strerror(errno));
  return Listener{std::move(s), false};
}

}  // namespace kaappi::agent
