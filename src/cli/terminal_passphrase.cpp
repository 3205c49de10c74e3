// terminal_passphrase.cpp — see terminal_passphrase.h.
#include "cli/terminal_passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "base/error.h"
#include "base/file_io.h"
#include "keys/passphrase_strength.h"

namespace kaappi::cli {

SecretBuffer ask_on_terminal(const std::string& prompt) {
  Fd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
  if (!tty.valid())
    fail(ErrorKind::auth,
         "a passphrase is needed but there is no terminal: pass --passphrase-file FILE, or set "
         "KAAPPI_PASSPHRASE_FILE or KAAPPI_PASSPHRASE_COMMAND");
  std::string text = prompt + ": ";
  write_full(tty.get(), reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), "the terminal");
  termios old_mode {};
  bool restore = ::tcgetattr(tty.get(), &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty.get(), TCSAFLUSH, &quiet);
  }
  SecretBuffer pass;
  try {
    pass = read_secret_line(tty.get(), "the terminal");
  } catch (...) {
    if (restore) ::tcsetattr(tty.get(), TCSAFLUSH, &old_mode);
    throw;
  }
  if (restore) ::tcsetattr(tty.get(), TCSAFLUSH, &old_mode);
  return pass;
}

PassphraseSource passphrase_source(const std::string& file_option) {
  PassphraseSource s;
  s.file = file_option;
  if (s.file.empty()) {
    if (const char* f = std::getenv("KAAPPI_PASSPHRASE_FILE")) s.file = f;
  }
  if (const char* c = std::getenv("KAAPPI_PASSPHRASE_COMMAND")) s.command = c;
  s.ask = ask_on_terminal;
  return s;
}

void warn_if_weak(const SecretBuffer& passphrase, Observer& observer) {
  std::vector<std::string> why = passphrase_weaknesses(passphrase);
  if (why.empty()) return;
  std::string reasons;
  for (const auto& reason : why) reasons += (reasons.empty() ? "" : "; ") + reason;
  observer.notice("warning: the new passphrase is weak (" + reasons +
                  "); a phrase of several unrelated words is stronger");
}

}  // namespace kaappi::cli
