// passphrase.cpp — see passphrase.h.
#include "keys/passphrase.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/file_io.h"
#include "keys/passphrase_tries.h"

namespace kaappi {
namespace {

constexpr size_t k_max_passphrase = 1024;

}  // namespace

SecretBuffer read_secret_line(int fd, const std::string& what) {
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

namespace {

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
  SecretBuffer pass = read_secret_line(out.get(), "KAAPPI_PASSPHRASE_COMMAND");
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

}  // namespace

SecretBuffer read_passphrase(const PassphraseSource& source, const std::string& prompt, Confirm confirm) {
  if (!source.file.empty()) {
    Fd fd(::open(source.file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) fail(ErrorKind::auth, "cannot read passphrase file " + source.file + ": " + std::strerror(errno));
    check_input_file(fd.get(), source.file);
    return read_secret_line(fd.get(), "passphrase file " + source.file);
  }
  if (!source.command.empty()) return from_command(source.command);
  if (!source.ask)
    fail(ErrorKind::auth, "a passphrase is needed but there is nobody to ask: pass " + Field{"passphrase_file"} +
                              " FILE, or set KAAPPI_PASSPHRASE_FILE or KAAPPI_PASSPHRASE_COMMAND");
  SecretBuffer pass = source.ask(prompt);
  if (confirm == Confirm::no) return pass;
  for (int tries = 1;; ++tries) {
    SecretBuffer again = source.ask("Repeat the passphrase");
    if (secret_equal(pass, again)) return pass;
    if (tries == k_passphrase_tries)
      fail(ErrorKind::usage, "the two passphrases differed " + std::to_string(tries) + " times; nothing was changed");
    pass = source.ask("The two passphrases differ, try again. " + prompt);
  }
}

}  // namespace kaappi
