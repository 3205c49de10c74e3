// passphrase_tries.cpp — see passphrase_tries.h.
#include "keys/passphrase_tries.h"

#include "base/error.h"

namespace kaappi {

UnlockedKey unlock_with_passphrase(const KeyFile& file, const PassphraseSource& source, const std::string& prompt) {
  bool person = source.file.empty() && source.command.empty() && source.ask;
  std::string ask = prompt;
  for (int tries = 1;; ++tries) {
    SecretBuffer pass = read_passphrase(source, ask, Confirm::no);
    try {
      return file.unlock(pass);
    } catch (const Error& e) {
      if (!person || e.kind() != ErrorKind::auth || tries == k_passphrase_tries) throw;
    }
    ask = "Wrong passphrase, try again (" + std::to_string(tries + 1) + " of " + std::to_string(k_passphrase_tries) +
          "). " + prompt;
  }
}

}  // namespace kaappi
