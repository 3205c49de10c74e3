// passphrase_tries.h — how often a person is asked for a passphrase. A new
// passphrase typed differently the second time is asked again
// (read_passphrase with Confirm::yes, keys/passphrase.h), and so is one that
// does not unlock the key file, up to k_passphrase_tries times each. A file
// or a command is read once: asking it again would give the same answer.
#pragma once

#include <string>

#include "keys/key_file.h"
#include "keys/passphrase.h"

namespace kaappi {

inline constexpr int k_passphrase_tries = 3;

// Unlocks `file` with the passphrase from `source`; a person (source.ask) who
// gives a wrong one is asked again, saying so. Throws ErrorKind::auth "wrong
// passphrase ..." after the last try.
UnlockedKey unlock_with_passphrase(const KeyFile& file, const PassphraseSource& source, const std::string& prompt);

}  // namespace kaappi
