// output_folder.cpp — see output_folder.h.
#include "export/output_folder.h"

#include <fcntl.h>
#include <sodium.h>
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

std::string sha256_of_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) fail_errno("cannot read back " + path, PathRole::user_output);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  Bytes buf(1 << 16);
  while (size_t n = read_full(fd.get(), buf.data(), buf.size(), path)) crypto_hash_sha256_update(&st, buf.data(), n);
  Bytes out(crypto_hash_sha256_BYTES);
  crypto_hash_sha256_final(&st, out.data());
  return to_hex(out);
}

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
