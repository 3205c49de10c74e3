// machine_records.h — the small files in which this machine remembers what it
// saw of archives (head_history.h): `$XDG_STATE_HOME/kaappi/` (default
// `~/.local/state/kaappi/`), one record per file.
//
// They fail closed: the folder is held as a Dir (never through a link) and a
// record is read only from a regular file, so a link or a file where the
// folder belongs, a record that is not a regular file or cannot be read, is a
// StateUnusable error naming the path and what to do — never "nothing
// remembered". Only a missing record (or a missing folder) is a first use.
// Records are written atomically (temp file, fsync, rename, fsync the folder)
// through the held folder, mode 0600; the folder is made 0700 (its parents
// too). Not thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"

namespace kaappi {

// The records cannot be used (ErrorKind::rejected); what() names the path, what
// is wrong and what to do.
class StateUnusable : public Error {
 public:
  explicit StateUnusable(const std::string& what) : Error(ErrorKind::rejected, what) {}
};

namespace machine_records {

// "$XDG_STATE_HOME/kaappi" (or "~/.local/state/kaappi"); empty when neither is set.
std::string folder_path();
// The record `name` (at most max_size bytes), or nothing when it (or the
// folder) does not exist. Throws StateUnusable otherwise.
std::optional<std::string> read(const std::string& name, size_t max_size);
// Makes the folder if needed and checks that records can be written there.
// Throws StateUnusable.
void check_writable();
// Replaces the record `name` with `text`. Throws StateUnusable.
void write(const std::string& name, const std::string& text);
// A StateUnusable for a record that does not hold what it should.
[[noreturn]] void fail_unreadable(const std::string& name);

}  // namespace machine_records
}  // namespace kaappi
