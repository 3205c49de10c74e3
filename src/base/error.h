// error.h — the one error type of the kaappi library.
//
// Every fallible library call either returns normally or throws kaappi::Error,
// which carries a kind (what went wrong, in categories the CLI maps to exit
// codes in exactly one place: exit_codes.cpp) and one clear sentence for
// the user. Messages never contain secrets, passphrases or personal data.
#pragma once

#include <stdexcept>
#include <string>

namespace kaappi {

enum class ErrorKind {
  usage,         // the caller asked for something that makes no sense
  auth,          // wrong passphrase, wrong key, no way to get the passphrase
  rejected,      // input refused; nothing was changed
  not_found,     // no such customer, document, file
  corrupt,       // the archive failed an integrity check
  io,            // the operating system refused (disk full, permissions)
  needs_upgrade, // the archive was made by an older kaappi and must be upgraded first
  internal,      // a bug or an impossible state
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), m_kind(kind) {}
  ErrorKind kind() const { return m_kind; }

 private:
  ErrorKind m_kind;
};

[[noreturn]] inline void fail(ErrorKind kind, const std::string& message) {
  throw Error(kind, message);
}

// Throws ErrorKind::io with `what` and strerror(errno) appended.
[[noreturn]] void fail_errno(const std::string& what);

}  // namespace kaappi
