// passphrase.h — getting the passphrase without it touching ordinary memory.
//
// Sources, in order: an explicit file (--passphrase-file or
// KAAPPI_PASSPHRASE_FILE), the command in KAAPPI_PASSPHRASE_COMMAND, a prompt
// on the controlling terminal with echo off. With none of them: ErrorKind::auth
// explaining what to do. The first line of a file or of the command's output
// is the passphrase (the newline is not part of it).
#pragma once

#include <string>

#include "base/secret.h"

namespace kaappi {

struct PassphraseSource {
  std::string file;     // --passphrase-file, or KAAPPI_PASSPHRASE_FILE
  std::string command;  // KAAPPI_PASSPHRASE_COMMAND
  static PassphraseSource from_environment(const std::string& file_option);
};

enum class Confirm { no, yes };

SecretBuffer read_passphrase(const PassphraseSource& source, const std::string& prompt, Confirm confirm);

}  // namespace kaappi
