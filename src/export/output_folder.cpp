// output_folder.cpp — see output_folder.h.
#include "export/output_folder.h"

#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

namespace kaappi {
namespace {

Dir make_private_folder(const std::string& directory, bool& created) {
  created = !path_exists(directory);
  make_dir(directory, 0700, PathRole::user_output);  // never through a link planted there
  Dir folder = Dir::open(directory);
  if (::fchmod(folder.fd(), 0700) != 0) fail_errno("cannot make " + directory + " private", PathRole::user_output);
  return folder;
}

}  // namespace

void check_output_folder(const std::string& directory, const Message& when_missing) {
  if (directory.empty()) fail(ErrorKind::usage, when_missing);
  struct stat st {};
  if (::lstat(directory.c_str(), &st) != 0) return;  // a new folder
  // The output-folder rule of every folder kaappi writes into (Dir): a link
  // there is refused, naming it, and never followed.
  if (S_ISLNK(st.st_mode)) Dir::open(directory);
  if (!S_ISDIR(st.st_mode) || !folder_is_empty(directory))
    fail(ErrorKind::rejected, directory + " exists and is not an empty folder; name a new folder");
}

OutputFolder::OutputFolder(std::string directory)
    : m_directory(std::move(directory)), m_folder(make_private_folder(m_directory, m_created)) {}

OutputFolder::~OutputFolder() {
  if (m_done) return;
  for (const auto& f : m_files) ::unlink(f.c_str());
  if (m_created) ::rmdir(m_directory.c_str());
}

}  // namespace kaappi
