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

bool same_version(const struct stat& a, const struct stat& b) {
  return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
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
                     const FileVersion& sealed) {
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
  if (keep) keep->sync();
  folder.sync();
}

FileVersion version_of(const struct stat& st) { return {st.st_dev, st.st_ino, st.st_size, st.st_mtim}; }

namespace {

// Refused: the file named cannot be opened (errno says why).
ScanOutcome not_opened(const std::string& file) {
  ScanOutcome out;
  out.file = file;
  const bool missing = errno == ENOENT || errno == ENOTDIR;
  out.status = missing ? ScanOutcome::Status::not_found : ScanOutcome::Status::refused;
  out.message = missing         ? std::string("file not found")
                : errno == ELOOP ? wrong_kind("it", S_IFLNK, "a regular file") + " (the link was not followed)"
                                 : std::string("cannot open it: ") + std::strerror(errno);
  return out;
}

// Seals FOLDER/NAME, opened as `fd`; `file` names it in messages.
ScanOutcome seal_opened(ProbeService& probes, const StationKey& station, const StationOptions& options,
                        const Dir& folder, const std::string& name, const std::string& file, Fd fd) {
  ScanOutcome out;
  out.file = file;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno("cannot read " + file);
  try {
    check_pdf_input(fd.get(), options.max_size);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::rejected) throw;
    out.message = e.message();
    return out;
  }
  PdfSummary summary;
  try {
    ProbeJob job(probes, fd.get(), name);
    summary = job.wait();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::rejected) throw;
    out.message = e.what();
    return out;
  }
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) fail_errno("cannot read " + file);
  EnvelopeMeta meta;
  meta.file_name = cleaned_scan_file_name(name);  // a name ingest would refuse is never sealed
  meta.pages = summary.pages;
  meta.scanned_at = static_cast<std::int64_t>(st.st_mtime);
  meta.station = station.name();
  meta.pdf_json = summary.json;
  try {
    out.envelope = seal_envelope(fd.get(), options.inbox, options.archive, station, meta, options.max_size).path;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::rejected) throw;
    out.message = e.what();
    return out;
  }
  // A file still being written is not taken half: the envelope must hold
  // the file as it was probed, and nothing written since; and its name must
  // still hold that file, or removing it would remove another version.
  struct stat after {}, named {};
  const bool read_after = ::fstat(fd.get(), &after) == 0;
  const bool replaced = ::fstatat(folder.fd(), name.c_str(), &named, AT_SYMLINK_NOFOLLOW) != 0 ||
                        named.st_ino != st.st_ino || named.st_dev != st.st_dev;
  if (replaced || !read_after || !same_version(st, after)) {
    Dir inbox = Dir::open(options.inbox);
    inbox.remove(base_name(out.envelope));
    inbox.sync();
    out.envelope.clear();
    out.status = ScanOutcome::Status::changed;
    out.message = replaced ? "it was replaced or moved while it was being sealed" : "it changed while it was being sealed";
    return out;
  }
  // The envelope is complete and durable; only now does the plaintext go.
  // From here on the file is sealed, whatever fails: it is never reported
  // as not sealed (and so never sealed again).
  out.status = ScanOutcome::Status::sealed;
  out.version = version_of(st);
  out.sealed_name = meta.file_name;
  out.pages = summary.pages;
  try {
    put_away_sealed(options, folder, name, out.version);
  } catch (const Error& e) {
    out.status = ScanOutcome::Status::left_in_place;
    out.message = e.message();
  }
  return out;
}

}  // namespace

ScanOutcome seal_scan(ProbeService& probes, const StationKey& station, const StationOptions& options,
                      const Dir& folder, const std::string& name) {
  Fd fd = folder.open_file(name, O_RDONLY | O_NONBLOCK);  // a FIFO must not stall the open
  if (!fd.valid()) return not_opened(folder.path_of(name));
  return seal_opened(probes, station, options, folder, name, folder.path_of(name), std::move(fd));
}

ScanOutcome seal_scan(ProbeService& probes, const StationKey& station, const StationOptions& options,
                      const std::string& file) {
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));  // a FIFO must not stall the open
  if (!fd.valid()) return not_opened(file);
  return seal_opened(probes, station, options, Dir::named(parent_dir(file)), base_name(file), file, std::move(fd));
}

}  // namespace kaappi
