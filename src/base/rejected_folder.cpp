// rejected_folder.cpp — see rejected_folder.h.
#include "base/rejected_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

namespace kaappi {
namespace {

constexpr int k_most_names = 999;  // NAME, 2-NAME ... 999-NAME

bool taken(const Dir& rejected, const std::string& name) {
  return rejected.has(name) || rejected.has(name + ".reason");
}

// NAME, or the first free "N-NAME"; throws, before anything is written, when
// all of them are taken.
std::string free_name(const Dir& rejected, const std::string& name) {
  if (!taken(rejected, name)) return name;
  for (int n = 2; n <= k_most_names; ++n) {
    std::string numbered = std::to_string(n) + "-" + name;
    if (!taken(rejected, numbered)) return numbered;
  }
  fail(ErrorKind::rejected, rejected.path() + " has no free name left for " + name + " (" + name + " and 2-" + name +
                                " to " + std::to_string(k_most_names) + "-" + name + " are taken)");
}

// What is set aside is made as private as everything kaappi writes (a file
// 0600, a folder 0700), whatever mode its writer gave it; a link is left as
// it is (its mode means nothing), and so is an entry of another user's, which
// cannot be changed (rejected/ itself is 0700 when it is the user's). Never
// follows a link: the entry was just moved into the held folder and is not
// opened.
void make_private(const Dir& rejected, const std::string& name) {
  struct stat st {};
  if (::fstatat(rejected.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISLNK(st.st_mode) ||
      st.st_uid != ::geteuid())
    return;
  const mode_t mode = S_ISDIR(st.st_mode) ? 0700 : 0600;
  if ((st.st_mode & 07777) != mode && ::fchmodat(rejected.fd(), name.c_str(), mode, AT_SYMLINK_NOFOLLOW) != 0)
    return;  // best effort: the entry is set aside all the same, in a private folder
}

}  // namespace

Dir open_rejected_folder(const Dir& folder) {
  const std::string path = folder.path_of("rejected");
  Dir rejected = folder.sub("rejected", Create::yes);  // a link or anything but a folder there is refused, named
  struct stat st {}, parent {};
  if (::fstat(rejected.fd(), &st) != 0 || ::fstat(folder.fd(), &parent) != 0)
    fail_errno("could not read folder " + path);
  if (st.st_uid != ::geteuid() && st.st_uid != parent.st_uid)
    fail(ErrorKind::rejected, path + " belongs to another user (uid " + std::to_string(st.st_uid) +
                                  "); kaappi sets nothing aside in a folder it does not own");
  if (st.st_uid == ::geteuid() && (st.st_mode & 077) != 0 && ::fchmod(rejected.fd(), st.st_mode & 0700) != 0)
    fail_errno("could not make " + path + " private (mode 0700)");
  return rejected;
}

std::string set_aside(const Dir& folder, const Dir& rejected, const std::string& name, const std::string& reason) {
  const std::string target = free_name(rejected, name);
  write_file_atomic(rejected, target + ".reason", as_bytes(reason + "\n"), 0600, Overwrite::no, "reject");
  try {
    if (!folder.move(name, rejected, target, Overwrite::no))
      fail(ErrorKind::io, "cannot move " + folder.path_of(name) + " to " + rejected.path() + ": the name is taken");
  } catch (const Error&) {
    ::unlinkat(rejected.fd(), (target + ".reason").c_str(), 0);  // best effort: the move's error is the one to report
    throw;
  }
  make_private(rejected, target);
  rejected.sync();
  folder.sync();
  return target;
}

std::string move_to_rejected(const Dir& folder, const std::string& name, const std::string& reason) {
  return set_aside(folder, open_rejected_folder(folder), name, reason);
}

}  // namespace kaappi
