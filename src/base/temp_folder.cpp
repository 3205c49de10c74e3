// temp_folder.cpp — see temp_folder.h.
#include "base/temp_folder.h"

#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "base/error.h"

namespace kaappi {
namespace {

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  ::remove(path);
  return 0;
}

}  // namespace

TempFolder::TempFolder(const std::string& label) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
  std::string pattern = base + "/" + label + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) fail_errno("cannot make a temporary folder in " + base);
  m_path = buf.data();  // mkdtemp makes it 0700
}

TempFolder::~TempFolder() { remove_tree(m_path); }

void remove_tree(const std::string& path) {
  // Depth first, links not followed: only what is in the folder goes.
  ::nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

}  // namespace kaappi
