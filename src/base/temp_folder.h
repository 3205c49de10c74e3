// temp_folder.h — a private folder (0700) for files a command needs only
// while it runs (a backup's index checked before it is trusted), made in
// $TMPDIR (default /tmp) under a random name and removed with everything in
// it when the TempFolder is destroyed. Nothing in it is ever plaintext
// personal data. Not thread-safe.
#pragma once

#include <string>

namespace kaappi {

class TempFolder {
 public:
  // `label` starts its name: "kaappi-backup-XXXXXX". Throws ErrorKind::io.
  explicit TempFolder(const std::string& label);
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return m_path; }
  std::string path_of(const std::string& name) const { return m_path + "/" + name; }

 private:
  std::string m_path;
};

// Removes `path` and everything in it, links not followed (only what is in
// the folder goes); nothing when it is not there.
void remove_tree(const std::string& path);

}  // namespace kaappi
