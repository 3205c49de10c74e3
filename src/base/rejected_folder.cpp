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
  write_file_atomic(rejected, target + ".reason", as_bytes(reason + "\n"), 0644, Overwrite::no, "reject");
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
