// output_folder.h — the folder an export writes into (consent proof,
// inspection copy): a new folder, or an empty one, made private (0700); a
// link there is refused, naming it, and never followed (Dir). What a failed
// export wrote is removed again (OutputFolder's destructor unless done()).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/file_io.h"

namespace kaappi {

// The checks that need no archive (ErrorKind::usage when `directory` is
// empty, with the message `when_missing`; ErrorKind::rejected when something other than an
// empty folder is there). Front ends call it before asking for the passphrase.
void check_output_folder(const std::string& directory, const Message& when_missing);

// The SHA-256 (hex) of a file an export wrote, read back (proof.json and
// data.json list each copy's, so the person can check it).
std::string sha256_of_file(const std::string& path);

class OutputFolder {
 public:
  // Creates (or takes the empty) folder and makes it 0700.
  explicit OutputFolder(std::string directory);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const Dir& dir() const { return m_folder; }
  std::string path(const std::string& name) const { return m_directory + "/" + name; }
  // A file that goes again if the export fails.
  void add(const std::string& name) { m_files.push_back(path(name)); }
  // The export succeeded: keep everything.
  void done() { m_done = true; }

 private:
  std::string m_directory;
  bool m_created = false;
  Dir m_folder;
  std::vector<std::string> m_files;
  bool m_done = false;
};

}  // namespace kaappi
