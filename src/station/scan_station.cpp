// scan_station.cpp — see scan_station.h.
#include "station/scan_station.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "base/error.h"
#include "base/file_io.h"
#include "format/key_text.h"

namespace kaappi {
namespace {

std::string config_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/kaappi-scan";
  const char* home = std::getenv("HOME");
  if (!home || !*home) fail(ErrorKind::usage, "no HOME: name the station key with " + Field{"station_key"} + " FILE");
  return std::string(home) + "/.config/kaappi-scan";
}

// Moves `from` into `dir` under its own name, or "name (2)" ... if taken.
void move_into(const std::string& from, const std::string& dir) {
  std::string base = base_name(from);
  for (int n = 1; n < 1000; ++n) {
    std::string to = dir + "/" + (n == 1 ? base : base + " (" + std::to_string(n) + ")");
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
      fsync_dir(dir);
      fsync_dir(parent_dir(from));
      return;
    }
    if (errno == EXDEV)
      fail(ErrorKind::io, "cannot move " + from + " to " + dir + ": the keep folder must be on the same file system");
    if (errno != EEXIST) fail_errno("cannot move " + from + " to " + dir);
  }
  fail(ErrorKind::io, "cannot move " + from + " to " + dir + ": too many files of that name");
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

ScanOutcome seal_scan(ProbeService& probes, const StationKey& station, const StationOptions& options,
                      const std::string& file) {
  ScanOutcome out;
  out.file = file;
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) {
    out.not_found = errno == ENOENT || errno == ENOTDIR;
    out.message = out.not_found ? "file not found" : std::string("cannot open it: ") + std::strerror(errno);
    return out;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    out.message = "not a regular file";
    return out;
  }
  if (static_cast<std::uint64_t>(st.st_size) > options.max_size) {
    out.message = "larger than the " + std::to_string(options.max_size >> 20) + " MiB limit";
    return out;
  }
  PdfSummary summary;
  try {
    ProbeJob job(probes, fd.get(), base_name(file));
    summary = job.wait();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::rejected) throw;
    out.message = e.what();
    return out;
  }
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) fail_errno("cannot read " + file);
  EnvelopeMeta meta;
  meta.file_name = base_name(file);
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
  // The envelope is complete and durable; only now does the plaintext go.
  if (!options.keep_dir.empty()) {
    move_into(file, options.keep_dir);
  } else {
    if (::unlink(file.c_str()) != 0) fail_errno("sealed, but could not remove " + file);
    fsync_dir(parent_dir(file));
  }
  out.sealed = true;
  out.pages = summary.pages;
  return out;
}

}  // namespace kaappi
