// scan_station.cpp — see scan_station.h.
#include "station/scan_station.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "base/file_kind.h"
#include "base/fault.h"
#include "base/file_io.h"
#include "format/key_text.h"
#include "format/scan_file_name.h"
#include "pdf/pdf_input.h"

namespace kaappi {
namespace {

std::string config_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/kaappi-scan";
  const char* home = std::getenv("HOME");
  if (!home || !*home) fail(ErrorKind::usage, "no HOME: name the station key with " + Field{"station_key"} + " FILE");
  return std::string(home) + "/.config/kaappi-scan";
}

// Moves FOLDER/FROM into `dir` under `name`, or "name (2)" ... if taken;
// never through a link where the keep folder belongs. Returns the keep
// folder, to sync.
Dir move_into(const Dir& folder, const std::string& from, const std::string& dir, const std::string& name) {
  Dir keep = Dir::open(dir);
  for (int n = 1; n < 1000; ++n) {
    std::string to = n == 1 ? name : name + " (" + std::to_string(n) + ")";
    if (folder.move(from, keep, to, Overwrite::no)) return keep;
  }
  fail(ErrorKind::io, "cannot move " + folder.path_of(name) + " to " + dir + ": too many files of that name");
}

// Renames FOLDER/HIDDEN back to NAME after a put-away that did not happen;
// a message for where the file is when another took NAME meanwhile.
Message put_back(const Dir& folder, const std::string& hidden, const std::string& name) {
  try {
    if (folder.move(hidden, folder, name, Overwrite::no)) return {};
  } catch (const Error& e) {
    return "; it could not be renamed back (" + e.message() + "): it is now " + folder.path_of(hidden);
  }
  return "; another file took its name meanwhile: it is now " + folder.path_of(hidden);
}

}  // namespace

ArchivePublicKey read_archive_public_key(const std::string& text_or_path) {
  return ArchivePublicKey::from_text(key_text_or_file(text_or_path, "kaappi-pk1:", Field{"public_key"}));
}

std::string default_station_key_path(const std::string& name) {
  return config_dir() + "/" + check_station_name(name) + ".key";
}

std::string find_station_key(const std::string& name) {
  if (!name.empty()) return default_station_key_path(name);
  std::vector<std::string> keys;
  std::string dir = config_dir();
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 4 && n.substr(n.size() - 4) == ".key") keys.push_back(dir + "/" + n);
    }
    ::closedir(d);
  }
  if (keys.size() == 1) return keys[0];
  if (keys.empty())
    fail(ErrorKind::not_found, "this station has no key yet: run kaappi-scan init " + Field{"station"} +
                                   " NAME, then register it with kaappi station add on the key holder's machine");
  fail(ErrorKind::usage, "this machine has several station keys; choose one with " + Field{"station"} + " NAME");
}

void check_station_folders(const StationOptions& options) {
  for (const auto& [path, what] : {std::pair{options.inbox, "inbox"}, std::pair{options.keep_dir, "keep folder"}}) {
    if (path.empty()) continue;
    const std::string named = std::string("the ") + what + " " + path;
    Fd folder(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!folder.valid() || ::faccessat(folder.get(), ".", W_OK | X_OK, AT_EACCESS) != 0)
      fail_errno("cannot write into " + named, PathRole::user_output);
    Dir::open(path);  // a link where the folder belongs is refused before anything is sealed
  }
}

void check_keep_folder_for(const StationOptions& options, const std::string& folder, const std::string& which) {
  if (options.keep_dir.empty()) return;
  struct stat keep {}, source {};
  if (::stat(options.keep_dir.c_str(), &keep) != 0)
    fail_errno("cannot write into the keep folder " + options.keep_dir, PathRole::user_output);
  if (::stat(folder.c_str(), &source) != 0) fail_errno("cannot read " + which + " " + folder, PathRole::user_input);
  const Message named = "the keep folder " + options.keep_dir + " is ";
  if (keep.st_dev == source.st_dev && keep.st_ino == source.st_ino)
    fail(ErrorKind::rejected, named + which + " " + folder + " itself: a scan kept there would stay where it was " +
                                  "(and a watch would seal it again and again); name another folder for " + Field{"keep"});
  if (keep.st_dev != source.st_dev)
    fail(ErrorKind::rejected, named + "on another file system than " + which + " " + folder +
                                  ": a sealed scan is moved there, never copied; name a folder on the same file " +
                                  "system for " + Field{"keep"});
}

void put_away_sealed(const StationOptions& options, const Dir& folder, const std::string& name,
                     const FileVersion& sealed, DirSync dir_sync) {
  fault::point("scan.put_away");
  const std::string hidden = ".kaappi-sealed-" + to_hex(random_bytes(8));
  if (!folder.move(name, folder, hidden, Overwrite::no))
    fail(ErrorKind::io, "could not move " + folder.path_of(name) + " aside: " + folder.path_of(hidden) + " is taken");
  struct stat st {};
  if (::fstatat(folder.fd(), hidden.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !(version_of(st) == sealed))
    fail(ErrorKind::rejected, folder.path_of(name) + " was replaced or changed after it was sealed: the file now there "
                              "is not the one sealed, and was left as it is" + put_back(folder, hidden, name));
  std::optional<Dir> keep;
  try {
    if (options.keep_dir.empty()) folder.remove(hidden);
    else keep = move_into(folder, hidden, options.keep_dir, name);
  } catch (const Error& e) {
    fail(e.kind(), e.message() + put_back(folder, hidden, name));
  }
  if (dir_sync == DirSync::deferred) return;
  if (keep) keep->sync();
  folder.sync();
}

}  // namespace kaappi
