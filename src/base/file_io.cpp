// file_io.cpp — see file_io.h.
#include "base/file_io.h"

#include <algorithm>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/fault.h"

namespace kaappi {

void Fd::reset() {
  if (m_fd >= 0) ::close(m_fd);
  m_fd = -1;
}

size_t read_full(int fd, std::uint8_t* data, size_t size, const std::string& what) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("could not read " + what);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

void write_full(int fd, const std::uint8_t* data, size_t size, const std::string& what) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("could not write " + what);
    }
    done += static_cast<size_t>(n);
  }
}

Bytes read_file(const std::string& path, size_t max_size) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) fail(ErrorKind::not_found, "file not found: " + path);
    fail_errno("could not open " + path);
  }
  Bytes out;
  size_t used = 0;
  for (;;) {
    out.resize(std::min(max_size + 1, std::max<size_t>(used * 2, 64 * 1024)));
    size_t n = read_full(fd.get(), out.data() + used, out.size() - used, path);
    used += n;
    if (used > max_size) fail(ErrorKind::rejected, path + " is larger than expected");
    if (used < out.size()) break;
  }
  out.resize(used);
  return out;
}

void fsync_dir(const std::string& dir_path) {
  Fd fd(::open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) fail_errno("could not open folder " + dir_path);
  if (::fsync(fd.get()) != 0) fail_errno("could not sync folder " + dir_path);
}

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

void check_output_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    fail(ErrorKind::rejected, path + " is a folder; name a file to write");
}

void make_dir(const std::string& path, mode_t mode, PathRole role) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) fail_errno("could not create folder " + path, role);
}

void make_dirs(const std::string& path, mode_t mode, PathRole role) {
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') make_dir(path.substr(0, i), mode, role);
  }
}

AtomicFile::AtomicFile(std::string final_path, std::string temp_path, mode_t mode,
                       std::string fault_prefix, PathRole role)
    : m_final_path(std::move(final_path)),
      m_temp_path(std::move(temp_path)),
      m_fault_prefix(std::move(fault_prefix)),
      m_role(role) {
  if (m_temp_path.empty()) {
    // An unnamed file in the target folder: if we are killed before commit,
    // nothing is left behind (decrypted output included).
    m_fd = Fd(::open(parent_dir(m_final_path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode));
    if (!m_fd.valid() && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
      fail_errno("could not create a temporary file in " + parent_dir(m_final_path), m_role);
    if (!m_fd.valid()) m_temp_path = parent_dir(m_final_path) + "/.kaappi-tmp-" + to_hex(random_bytes(8));
  }
  if (!m_fd.valid()) m_fd = Fd(::open(m_temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!m_fd.valid()) fail_errno("could not create a temporary file in " + parent_dir(m_temp_path.empty() ? m_final_path : m_temp_path), m_role);
  if (::fchmod(m_fd.get(), mode) != 0) fail_errno("could not set permissions on a temporary file", m_role);
}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    m_fd.reset();
    if (!m_temp_path.empty()) ::unlink(m_temp_path.c_str());
  }
}

void AtomicFile::write(ByteView data) {
  fault::point(m_fault_prefix + ".write");
  write_full(m_fd.get(), data.data(), data.size(), m_final_path);
}

namespace {
[[noreturn]] void fail_exists(const std::string& path) {
  fail(ErrorKind::rejected, path + " already exists; use " + Field{"overwrite"} + " to replace it");
}
}  // namespace

void AtomicFile::commit(Overwrite overwrite, DirSync dir_sync) {
  if (::fsync(m_fd.get()) != 0) fail_errno("could not sync " + m_final_path, m_role);
  fault::point(m_fault_prefix + ".fsync");
  if (m_temp_path.empty()) {
    // Give the unnamed file a name: linkat never replaces; to replace, link
    // under a temporary name and rename that over the old file.
    std::string proc = "/proc/self/fd/" + std::to_string(m_fd.get());
    std::string target = overwrite == Overwrite::yes
                             ? parent_dir(m_final_path) + "/.kaappi-tmp-" + to_hex(random_bytes(8))
                             : m_final_path;
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      if (errno == EEXIST) fail_exists(m_final_path);
      fail_errno("could not create " + m_final_path, m_role);
    }
    if (overwrite == Overwrite::yes && ::rename(target.c_str(), m_final_path.c_str()) != 0) {
      ::unlink(target.c_str());
      fail_errno("could not rename into " + m_final_path, m_role);
    }
    m_fd.reset();
  } else {
    m_fd.reset();
    if (overwrite == Overwrite::yes) {
      if (::rename(m_temp_path.c_str(), m_final_path.c_str()) != 0) fail_errno("could not rename into " + m_final_path, m_role);
    } else if (::renameat2(AT_FDCWD, m_temp_path.c_str(), AT_FDCWD, m_final_path.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno == EEXIST) fail_exists(m_final_path);
      if (errno != EINVAL && errno != ENOSYS) fail_errno("could not rename into " + m_final_path, m_role);
      // The file system has no RENAME_NOREPLACE: link() also refuses to replace.
      if (::link(m_temp_path.c_str(), m_final_path.c_str()) != 0) {
        if (errno == EEXIST) fail_exists(m_final_path);
        fail_errno("could not rename into " + m_final_path, m_role);
      }
      ::unlink(m_temp_path.c_str());
    }
  }
  m_committed = true;
  fault::point(m_fault_prefix + ".rename");
  if (dir_sync == DirSync::deferred) return;
  fsync_dir(parent_dir(m_final_path));
  fault::point(m_fault_prefix + ".dirsync");
}

void write_file_atomic(const std::string& path, ByteView data, mode_t mode, Overwrite overwrite,
                       const std::string& fault_prefix, PathRole role) {
  AtomicFile file(path, "", mode, fault_prefix, role);
  file.write(data);
  file.commit(overwrite);
}

}  // namespace kaappi
