// error.h — the one error type of the kaappi library.
//
// Every fallible library call either returns normally or throws kaappi::Error,
// which carries a kind (what went wrong, in categories the front ends map to
// exit codes in exactly one place: exit_codes.cpp) and one clear sentence for
// the user. Messages never contain secrets, passphrases or personal data.
//
// The library never names a command-line flag. A message about one of the
// caller's inputs names it by a Field ("state", "reason"); what() shows that
// name, and each front end shows its own name for it (kaappi: "--state").
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace kaappi {

enum class ErrorKind {
  usage,         // the caller asked for something that makes no sense
  auth,          // wrong passphrase, wrong key, no way to get the passphrase
  rejected,      // input refused; nothing was changed
  not_found,     // no such customer, document, file
  corrupt,       // the archive failed an integrity check
  io,            // the operating system refused (disk full, permissions)
  needs_upgrade, // the archive was made by an older kaappi and must be upgraded first
  partial,       // done in part: the change was made, what followed it was not; the message says what
  internal,      // a bug or an impossible state
};

// One input of the caller (an option, a form field) as the library names it.
struct Field {
  std::string name;
};

// A sentence for the user: text, with the inputs it names between.
// Built with +: Field{"state"} + " must be granted, not '" + state + "'".
class Message {
 public:
  Message() = default;
  Message(std::string text) : m_parts{{std::move(text), false}} {}
  Message(const char* text) : Message(std::string(text)) {}
  Message(Field field) : m_parts{{std::move(field.name), true}} {}
  Message& operator+=(const Message& more);
  bool empty() const { return m_parts.empty(); }
  // The text with each field shown as `names` has it, or by its own name.
  std::string text(const std::map<std::string, std::string>& names = {}) const;

 private:
  struct Part {
    std::string text;
    bool is_field;
  };
  std::vector<Part> m_parts;
};

inline Message operator+(Message message, const Message& more) {
  message += more;
  return message;
}

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const Message& message)
      : std::runtime_error(message.text()), m_kind(kind), m_message(message) {}
  ErrorKind kind() const { return m_kind; }
  const Message& message() const { return m_message; }

 private:
  ErrorKind m_kind;
  Message m_message;
};

[[noreturn]] inline void fail(ErrorKind kind, const Message& message) {
  throw Error(kind, message);
}

// Whose path an operating-system error is about; the one rule for which
// kind such an error is.
enum class PathRole {
  archive,      // the archive's own files and folders: any refusal is a fault (io)
  user_input,   // a file or folder the user named to read: missing is not_found, refused is rejected
  user_output,  // a file or folder the user named to write: no such folder, a folder in the
                // way, no permission are rejected
};

// Throws with `what` and strerror(errno) appended: ErrorKind::io, or for a
// path the user named, the kind `role` gives (a full disk or an I/O error
// stays io whoever named the path).
[[noreturn]] void fail_errno(const std::string& what, PathRole role = PathRole::archive);

}  // namespace kaappi
