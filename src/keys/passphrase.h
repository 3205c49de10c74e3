// passphrase.h — getting the passphrase without it touching ordinary memory.
//
// Sources, in order: a file, a command whose first line of output is the
// passphrase, then asking a person through the front end's `ask` (kaappi
// prompts on the terminal with echo off; cli/terminal_passphrase.h). The
// library never opens a terminal itself. With no source: ErrorKind::auth
// explaining what to do. The first line of a file or of the command's output
// is the passphrase (the newline is not part of it).
#pragma once

#include <functional>
#include <string>

#include "base/secret.h"

namespace kaappi {

struct PassphraseSource {
  std::string file;     // --passphrase-file, or KAAPPI_PASSPHRASE_FILE
  std::string command;  // KAAPPI_PASSPHRASE_COMMAND
  // Asks a person, showing `prompt`; throws ErrorKind::auth when nobody can
  // be asked. Empty: there is nobody to ask.
  std::function<SecretBuffer(const std::string& prompt)> ask;
};

// Reads one line from `fd` into locked memory, without its line ending
// (`what` names the source in errors).
SecretBuffer read_secret_line(int fd, const std::string& what);

enum class Confirm { no, yes };

SecretBuffer read_passphrase(const PassphraseSource& source, const std::string& prompt, Confirm confirm);

}  // namespace kaappi
