// rejected_folder.cpp — see rejected_folder.h.
#include "base/rejected_folder.h"

#include "base/error.h"

namespace kaappi {

void move_to_rejected(const Dir& folder, const std::string& name, const std::string& reason) {
  Dir rejected = folder.sub("rejected", Create::yes);
  std::string target = name;
  for (int n = 2; (rejected.has(target) || rejected.has(target + ".reason")) && n < 1000; ++n)
    target = std::to_string(n) + "-" + name;
  write_file_atomic(rejected, target + ".reason", as_bytes(reason + "\n"), 0644, Overwrite::yes, "reject");
  if (!folder.move(name, rejected, target, Overwrite::no))
    fail(ErrorKind::io, "cannot move " + folder.path_of(name) + " to " + rejected.path() + ": the name is taken");
  rejected.sync();
  folder.sync();
}

}  // namespace kaappi
