// rejected_folder.cpp — see rejected_folder.h.
#include "base/rejected_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

namespace kaappi {

Dir open_rejected_folder(const Dir& folder) {
  const std::string path = folder.path_of("rejected");
  struct stat st {};
  if (::fstatat(folder.fd(), "rejected", &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode))
      fail(ErrorKind::rejected, path + " is a symbolic link where a folder belongs; kaappi never follows one there");
    if (!S_ISDIR(st.st_mode)) fail(ErrorKind::rejected, path + " is " + file_kind(st.st_mode) + ", not a folder");
  }
  Dir rejected = folder.sub("rejected", Create::yes);
  struct stat parent {};
  if (::fstat(rejected.fd(), &st) != 0 || ::fstat(folder.fd(), &parent) != 0)
    fail_errno("could not read folder " + path);
  if (st.st_uid != ::geteuid() && st.st_uid != parent.st_uid)
    fail(ErrorKind::rejected, path + " belongs to another user (uid " + std::to_string(st.st_uid) +
                                  "); kaappi sets nothing aside in a folder it does not own");
  return rejected;
}

std::string set_aside(const Dir& folder, const Dir& rejected, const std::string& name, const std::string& reason) {
  std::string target = name;
  for (int n = 2; (rejected.has(target) || rejected.has(target + ".reason")) && n < 1000; ++n)
    target = std::to_string(n) + "-" + name;
  write_file_atomic(rejected, target + ".reason", as_bytes(reason + "\n"), 0644, Overwrite::yes, "reject");
  try {
    if (!folder.move(name, rejected, target, Overwrite::no))
      fail(ErrorKind::io, "cannot move " + folder.path_of(name) + " to " + rejected.path() + ": the name is taken");
  } catch (const Error&) {
    ::unlinkat(rejected.fd(), (target + ".reason").c_str(), 0);  // best effort: the move's error is the one to report
    throw;
  }
  rejected.sync();
  folder.sync();
  return target;
}

std::string move_to_rejected(const Dir& folder, const std::string& name, const std::string& reason) {
  return set_aside(folder, open_rejected_folder(folder), name, reason);
}

}  // namespace kaappi
