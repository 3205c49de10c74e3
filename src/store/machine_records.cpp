// machine_records.cpp — see machine_records.h.
#include "store/machine_records.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/file_io.h"

namespace kaappi::machine_records {
namespace {

const char* const k_consequence = ": kaappi cannot tell whether an archive was rolled back or replaced";

[[noreturn]] void fail_folder(const std::string& what) {
  std::string folder = folder_path();
  throw StateUnusable("the folder where this machine remembers archive heads, " + folder + ", " + what +
                      k_consequence + ". Make it a real folder of yours (mode 0700), or set XDG_STATE_HOME to one");
}

[[noreturn]] void fail_record(const std::string& path, const std::string& what) {
  throw StateUnusable("this machine's record " + path + " " + what + k_consequence +
                      ". Put the record back from a backup; remove it only if you trust the archive (the next "
                      "command then takes the archive as it is, as on first use)");
}

std::string reason() { return std::strerror(errno); }

// The folder, held; nothing when it does not exist and `create` is no.
std::optional<Dir> open_folder(Create create) {
  std::string path = folder_path();
  if (path.empty()) fail_folder("is not set (neither XDG_STATE_HOME nor HOME is)");
  if (create == Create::yes) {
    std::string parent = parent_dir(path);
    for (size_t i = 1; i <= parent.size(); ++i) {
      if ((i == parent.size() || parent[i] == '/') && ::mkdir(parent.substr(0, i).c_str(), 0700) != 0 &&
          errno != EEXIST)
        fail_folder("cannot be made (" + parent.substr(0, i) + ": " + reason() + ")");
    }
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) fail_folder("is a symbolic link, not a folder");
  try {
    return Dir::open(path, create, 0700);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::not_found && create == Create::no) return std::nullopt;
    if (::lstat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) fail_folder("is not a folder");
    fail_folder("cannot be opened (" + std::string(e.what()) + ")");
  }
}

}  // namespace

std::string folder_path() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/kaappi";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return std::string(home) + "/.local/state/kaappi";
}

std::optional<std::string> read(const std::string& name, size_t max_size) {
  std::optional<Dir> folder = open_folder(Create::no);
  if (!folder) return std::nullopt;
  std::string path = folder->path_of(name);
  // Non-blocking: a FIFO planted there must not stall the command.
  Fd fd = folder->open_file(name, O_RDONLY | O_NONBLOCK);
  if (!fd.valid()) {
    if (errno == ENOENT) return std::nullopt;
    if (errno == ELOOP) fail_record(path, "is a symbolic link, not a file");
    fail_record(path, "cannot be opened (" + reason() + ")");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_record(path, "cannot be read (" + reason() + ")");
  if (!S_ISREG(st.st_mode)) fail_record(path, "is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max_size) fail_record(path, "is larger than a record can be");
  std::string text(max_size + 1, '\0');
  size_t n = 0;
  try {
    n = read_full(fd.get(), reinterpret_cast<std::uint8_t*>(text.data()), text.size(), path);
  } catch (const Error& e) {
    fail_record(path, "cannot be read (" + std::string(e.what()) + ")");
  }
  if (n > max_size) fail_record(path, "is larger than a record can be");
  text.resize(n);
  return text;
}

void check_writable() {
  std::optional<Dir> folder = open_folder(Create::yes);
  if (::faccessat(folder->fd(), ".", W_OK | X_OK, AT_EACCESS) != 0)
    fail_folder("cannot be written (" + reason() + ")");
}

void write(const std::string& name, const std::string& text) {
  std::optional<Dir> folder = open_folder(Create::yes);
  try {
    write_file_atomic(*folder, name, as_bytes(text), 0600, Overwrite::yes, "state");
  } catch (const Error& e) {
    fail_folder("cannot be written (" + std::string(e.what()) + ")");
  }
}

void fail_unreadable(const std::string& name) {
  fail_record(folder_path() + "/" + name, "does not hold what kaappi wrote there");
}

}  // namespace kaappi::machine_records
