// terminal_passphrase.h — where kaappi gets a passphrase: --passphrase-file /
// KAAPPI_PASSPHRASE_FILE, KAAPPI_PASSPHRASE_COMMAND, else a prompt on the
// controlling terminal (/dev/tty) with echo off. The library reads the file
// and runs the command (keys/passphrase.h); asking a person is the front
// end's.
#pragma once

#include <string>

#include "base/observer.h"
#include "keys/passphrase.h"

namespace kaappi::cli {

// Asks on the controlling terminal without echo. Without a terminal: throws
// ErrorKind::auth saying how else to give the passphrase.
SecretBuffer ask_on_terminal(const std::string& prompt);

// The sources for `file_option` (--passphrase-file, may be empty) and the
// environment, asking on the terminal last.
PassphraseSource passphrase_source(const std::string& file_option);

// A notice naming the rules a newly chosen passphrase breaks
// (keys/passphrase_strength.h), if any; the passphrase is still taken.
void warn_if_weak(const SecretBuffer& passphrase, Observer& observer);

}  // namespace kaappi::cli
