// passphrase.cpp — see passphrase.h.
#include "keys/passphrase.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/error.h"
#include "base/file_io.h"

namespace kaappi {
namespace {

constexpr size_t k_max_passphrase = 1024;

// Reads one line from fd into locked memory; strips the line ending.
SecretBuffer read_line(int fd, const std::string& what) {
  SecretBuffer buf(k_max_passphrase);
  size_t n = 0;
  while (n < buf.size()) {
    ssize_t r = ::read(fd, buf.data() + n, 1);
    if (r < 0) {
      if (errno == EINTR) continue;
      fail_errno("could not read the passphrase from " + what);
    }
    if (r == 0 || buf.data()[n] == '\n') break;
    ++n;
  }
  if (n == buf.size()) fail(ErrorKind::auth, "the passphrase from " + what + " is too long");
  if (n > 0 && buf.data()[n - 1] == '\r') --n;
  buf.truncate(n);
  return buf;
}

SecretBuffer from_command(const std::string& command) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail_errno("could not run KAAPPI_PASSPHRASE_COMMAND");
  pid_t pid = ::fork();
  if (pid < 0) fail_errno("could not run KAAPPI_PASSPHRASE_COMMAND");
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(pipe_fds[1]);
  Fd out(pipe_fds[0]);
  SecretBuffer pass = read_line(out.get(), "KAAPPI_PASSPHRASE_COMMAND");
  // Drain so the command does not die of SIGPIPE, then reap it.
  std::uint8_t sink[256];
  while (::read(out.get(), sink, sizeof sink) > 0) {
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail(ErrorKind::auth, "KAAPPI_PASSPHRASE_COMMAND failed (exit status " +
                              std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128) + ")");
  return pass;
}

SecretBuffer from_terminal(int tty, const std::string& prompt) {
  std::string text = prompt + ": ";
  write_full(tty, reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), "the terminal");
  termios old_mode {};
  bool restore = ::tcgetattr(tty, &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  SecretBuffer pass;
  try {
    pass = read_line(tty, "the terminal");
  } catch (...) {
    if (restore) ::tcsetattr(tty, TCSAFLUSH, &old_mode);
    throw;
  }
  if (restore) ::tcsetattr(tty, TCSAFLUSH, &old_mode);
  return pass;
}

}  // namespace

PassphraseSource PassphraseSource::from_environment(const std::string& file_option) {
  PassphraseSource s;
  s.file = file_option;
  if (s.file.empty()) {
    if (const char* f = std::getenv("KAAPPI_PASSPHRASE_FILE")) s.file = f;
  }
  if (const char* c = std::getenv("KAAPPI_PASSPHRASE_COMMAND")) s.command = c;
  return s;
}

SecretBuffer read_passphrase(const PassphraseSource& source, const std::string& prompt, Confirm confirm) {
  if (!source.file.empty()) {
    Fd fd(::open(source.file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) fail(ErrorKind::auth, "cannot read passphrase file " + source.file + ": " + std::strerror(errno));
    return read_line(fd.get(), "passphrase file " + source.file);
  }
  if (!source.command.empty()) return from_command(source.command);
  Fd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
  if (!tty.valid())
    fail(ErrorKind::auth,
         "a passphrase is needed but there is no terminal: pass " + Field{"passphrase_file"} +
             " FILE, or set KAAPPI_PASSPHRASE_FILE or KAAPPI_PASSPHRASE_COMMAND");
  SecretBuffer pass = from_terminal(tty.get(), prompt);
  if (confirm == Confirm::yes) {
    SecretBuffer again = from_terminal(tty.get(), "Repeat the passphrase");
    if (!secret_equal(pass, again)) fail(ErrorKind::usage, "the two passphrases differ; nothing was created");
  }
  return pass;
}

}  // namespace kaappi
