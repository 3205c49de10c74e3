// file_io.cpp — see file_io.h.
#include "base/file_io.h"

#include <algorithm>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/fault.h"
#include "base/file_kind.h"

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

void check_input_file(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("could not read " + path);
  if (S_ISDIR(st.st_mode)) fail(ErrorKind::rejected, wrong_kind(path, st.st_mode, "a file"));
}

namespace {

// read_file into any byte container. A regular file is read into a buffer of
// its size (one allocation, no copy: a CSV file may be 256 MiB); anything
// else, or a file that grows meanwhile, into a buffer doubled as needed.
template <typename Buffer>
Buffer read_whole(const std::string& path, size_t max_size) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) fail(ErrorKind::not_found, "file not found: " + path);
    fail_errno("could not open " + path);
  }
  check_input_file(fd.get(), path);
  struct stat st {};
  size_t hint = 64 * 1024;
  if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    hint = static_cast<size_t>(st.st_size) + 1;  // + 1: the read that finds the end
  Buffer out;
  size_t used = 0;
  for (;;) {
    out.resize(std::min(max_size + 1, std::max<size_t>(used * 2, hint)));
    size_t n = read_full(fd.get(), reinterpret_cast<std::uint8_t*>(out.data()) + used, out.size() - used, path);
    used += n;
    if (used > max_size) fail(ErrorKind::rejected, path + " is larger than expected");
    if (used < out.size()) break;
  }
  out.resize(used);
  return out;
}

}  // namespace

Bytes read_file(const std::string& path, size_t max_size) { return read_whole<Bytes>(path, max_size); }

std::string read_text_file(const std::string& path, size_t max_size) {
  return read_whole<std::string>(path, max_size);
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

const char* file_kind(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

bool folder_is_empty(const std::string& path) {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return false;
  bool empty = true;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") empty = false;
  }
  ::closedir(d);
  return empty;
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

namespace {

Fd dup_fd(int fd) {
  Fd out(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (!out.valid()) fail_errno("could not hold a folder open");
  return out;
}

// Why `name` in `parent` could not be opened as a folder: a link, a file or
// anything else that is not a folder is refused by name, saying what it is;
// any other failure is the system's error.
[[noreturn]] void fail_not_folder(int parent, const std::string& name, const std::string& path) {
  int err = errno;
  struct stat st {};
  if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode))
      fail(ErrorKind::rejected, path + " is a symbolic link where a folder belongs; kaappi never follows one there "
                                       "(nothing was written): remove the link, or name the real folder");
    if (!S_ISDIR(st.st_mode)) fail(ErrorKind::rejected, wrong_kind(path, st.st_mode, "a folder") + " (nothing was written)");
  }
  errno = err;
  if (err == ENOENT) fail(ErrorKind::not_found, "the folder " + path + " does not exist");
  fail_errno("could not open folder " + path);
}

Fd open_sub(int parent, const std::string& name, const std::string& path, Create create, mode_t mode) {
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  Fd fd(::openat(parent, name.c_str(), flags));
  if (!fd.valid() && errno == ENOENT && create == Create::yes) {
    if (::mkdirat(parent, name.c_str(), mode) != 0 && errno != EEXIST) fail_errno("could not create folder " + path);
    fd = Fd(::openat(parent, name.c_str(), flags));
  }
  if (!fd.valid()) fail_not_folder(parent, name, path);
  return fd;
}

// The folder of a path-named AtomicFile, links followed (the caller's path).
Fd open_folder_of(const std::string& path, PathRole role) {
  std::string folder = parent_dir(path);
  Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) fail_errno("could not create a temporary file in " + folder, role);
  return fd;
}

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

Dir Dir::named(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) fail(ErrorKind::not_found, "the folder " + path + " does not exist");
    struct stat st {};
    if (errno == ENOTDIR && ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
      fail(ErrorKind::rejected, wrong_kind(path, st.st_mode, "a folder"));
    fail_errno("could not open folder " + path);
  }
  return Dir(std::move(fd), without_trailing_slashes(path));
}

Dir Dir::open(const std::string& path, Create create, mode_t mode) {
  std::string clean = without_trailing_slashes(path);
  if (clean == "/") return named(clean);
  return named(parent_dir(clean)).sub(base_name(clean), create, mode);
}

Dir Dir::sub(const std::string& name, Create create, mode_t mode) const {
  std::string path = path_of(name);
  return Dir(open_sub(m_fd.get(), name, path, create, mode), path);
}

Fd Dir::open_file(const std::string& name, int flags, mode_t mode) const {
  return Fd(::openat(m_fd.get(), name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode));
}

bool Dir::has(const std::string& name) const {
  struct stat st {};
  return ::fstatat(m_fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

bool Dir::move(const std::string& name, const Dir& to_dir, const std::string& to_name, Overwrite overwrite) const {
  std::string what = "could not move " + path_of(name) + " to " + to_dir.path_of(to_name);
  if (overwrite == Overwrite::yes) {
    if (::renameat(m_fd.get(), name.c_str(), to_dir.fd(), to_name.c_str()) != 0) fail_errno(what);
    return true;
  }
  if (::renameat2(m_fd.get(), name.c_str(), to_dir.fd(), to_name.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) fail_errno(what);
  // The file system has no RENAME_NOREPLACE: link() also refuses to replace.
  if (::linkat(m_fd.get(), name.c_str(), to_dir.fd(), to_name.c_str(), 0) != 0) {
    if (errno == EEXIST) return false;
    fail_errno(what);
  }
  ::unlinkat(m_fd.get(), name.c_str(), 0);
  return true;
}

bool Dir::remove(const std::string& name) const {
  if (::unlinkat(m_fd.get(), name.c_str(), 0) == 0) return true;
  if (errno == ENOENT) return false;
  fail_errno("could not remove " + path_of(name));
}

void Dir::sync() const {
  if (::fsync(m_fd.get()) != 0) fail_errno("could not sync folder " + m_path);
}

void check_output_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) fail(ErrorKind::rejected, path + " is a folder; name a file to write");
  // A device, FIFO or socket (/dev/stdout, /dev/null) would be replaced by a
  // regular file holding what was written, not written to.
  if (!S_ISREG(st.st_mode))
    fail(ErrorKind::rejected, path + " is " + file_kind(st.st_mode) +
                                  ", not a regular file: kaappi writes a new file and renames it into place, which "
                                  "would replace it (for standard output, use -o -)");
}

void make_dir(const std::string& path, mode_t mode, PathRole role) {
  if (role == PathRole::user_output) {
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) fail_errno("could not create folder " + path, role);
  }
  Dir::open(path, Create::yes, mode);
}

void make_dirs(const std::string& path, mode_t mode, PathRole role) {
  std::string clean = without_trailing_slashes(path);
  for (size_t i = 1; i < clean.size(); ++i) {
    if (clean[i] == '/' && ::mkdir(clean.substr(0, i).c_str(), mode) != 0 && errno != EEXIST)
      fail_errno("could not create folder " + clean.substr(0, i), role);
  }
  make_dir(clean, mode, role);
}

AtomicFile::AtomicFile(std::string final_path, std::string temp_path, mode_t mode, std::string fault_prefix,
                       PathRole role)
    : m_dir(open_folder_of(final_path, role)),
      m_name(base_name(final_path)),
      m_final_path(std::move(final_path)),
      m_fault_prefix(std::move(fault_prefix)),
      m_role(role) {
  if (!temp_path.empty()) {
    m_temp_dir = open_folder_of(temp_path, role);
    m_temp_name = base_name(temp_path);
  }
  create(mode);
}

AtomicFile::AtomicFile(const Dir& dir, const std::string& name, mode_t mode, std::string fault_prefix)
    : m_dir(dup_fd(dir.fd())), m_name(name), m_final_path(dir.path_of(name)), m_fault_prefix(std::move(fault_prefix)) {
  create(mode);
}

AtomicFile::AtomicFile(const Dir& dir, const std::string& name, const Dir& temp_dir, const std::string& temp_name,
                       mode_t mode, std::string fault_prefix)
    : m_dir(dup_fd(dir.fd())),
      m_temp_dir(dup_fd(temp_dir.fd())),
      m_name(name),
      m_temp_name(temp_name),
      m_final_path(dir.path_of(name)),
      m_fault_prefix(std::move(fault_prefix)) {
  create(mode);
}

std::unique_ptr<AtomicFile> AtomicFile::unnamed(const Dir& temp_dir, mode_t mode, std::string fault_prefix) {
  Fd fd(::openat(temp_dir.fd(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode));
  if (!fd.valid()) {
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) return nullptr;
    fail_errno("could not create a temporary file in " + temp_dir.path());
  }
  if (::fchmod(fd.get(), mode) != 0) fail_errno("could not set permissions on a temporary file");
  std::unique_ptr<AtomicFile> file(new AtomicFile);
  file->m_temp_dir = dup_fd(temp_dir.fd());
  file->m_final_path = "a new file in " + temp_dir.path();  // named in messages: "could not write a new file in …"
  file->m_fault_prefix = std::move(fault_prefix);
  file->m_fd = std::move(fd);
  return file;
}

std::unique_ptr<AtomicFile> AtomicFile::named_temp(const Dir& temp_dir, const std::string& temp_name, mode_t mode,
                                                   std::string fault_prefix) {
  std::unique_ptr<AtomicFile> file(new AtomicFile);
  file->m_temp_dir = dup_fd(temp_dir.fd());
  file->m_temp_name = temp_name;
  file->m_final_path = temp_dir.path_of(temp_name);
  file->m_fault_prefix = std::move(fault_prefix);
  file->m_fd = Fd(::openat(file->m_temp_dir.get(), temp_name.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!file->m_fd.valid()) fail_errno("could not create a temporary file for " + file->m_final_path);
  if (::fchmod(file->m_fd.get(), mode) != 0) fail_errno("could not set permissions on a temporary file");
  return file;
}

void AtomicFile::create(mode_t mode) {
  std::string folder = parent_dir(m_final_path);
  if (m_temp_name.empty()) {
    // An unnamed file in the target folder: if we are killed before commit,
    // nothing is left behind (decrypted output included).
    m_fd = Fd(::openat(m_dir.get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode));
    if (!m_fd.valid() && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
      fail_errno("could not create a temporary file in " + folder, m_role);
    if (!m_fd.valid()) {
      m_temp_dir = dup_fd(m_dir.get());
      m_temp_name = ".kaappi-tmp-" + to_hex(random_bytes(8));
    }
  }
  if (!m_fd.valid()) {
    m_fd = Fd(::openat(m_temp_dir.get(), m_temp_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!m_fd.valid()) fail_errno("could not create a temporary file for " + m_final_path, m_role);
  }
  if (::fchmod(m_fd.get(), mode) != 0) fail_errno("could not set permissions on a temporary file", m_role);
}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    m_fd.reset();
    if (!m_temp_name.empty()) ::unlinkat(m_temp_dir.get(), m_temp_name.c_str(), 0);
  }
}

void AtomicFile::write(ByteView data) {
  fault::point(m_fault_prefix + ".write");
  write_full(m_fd.get(), data.data(), data.size(), m_final_path);
  m_written += data.size();
  constexpr std::uint64_t k_write_out_every = 8u << 20;
  if (m_written - m_written_out >= k_write_out_every) {
    // Only a hint: an error here is the fsync's to report.
    ::sync_file_range(m_fd.get(), static_cast<off_t>(m_written_out), static_cast<off_t>(m_written - m_written_out),
                      SYNC_FILE_RANGE_WRITE);
    m_written_out = m_written;
  }
}

namespace {
[[noreturn]] void fail_exists(const std::string& path) {
  fail(ErrorKind::rejected, path + " already exists; use " + Field{"overwrite"} + " to replace it");
}
}  // namespace

void AtomicFile::sync() {
  if (::fsync(m_fd.get()) != 0) fail_errno("could not sync " + m_final_path, m_role);
  m_synced = true;
  fault::point(m_fault_prefix + ".fsync");
}

void AtomicFile::place(const Dir& dir, const std::string& name, Overwrite overwrite) {
  if (!m_synced || m_committed) fail(ErrorKind::internal, "AtomicFile::place before sync or twice");
  m_name = name;
  m_final_path = dir.path_of(name);
  place_in(dir.fd(), overwrite);
}

void AtomicFile::commit(Overwrite overwrite, DirSync dir_sync) {
  sync();
  const int dir = m_dir.get();
  place_in(dir, overwrite);
  if (dir_sync == DirSync::deferred) return;
  if (::fsync(dir) != 0) fail_errno("could not sync folder " + parent_dir(m_final_path), m_role);
  fault::point(m_fault_prefix + ".dirsync");
}

void AtomicFile::place_in(int dir, Overwrite overwrite) {
  if (m_temp_name.empty()) {
    // Give the unnamed file a name: linkat never replaces; to replace, link
    // under a temporary name and rename that over the old file.
    std::string proc = "/proc/self/fd/" + std::to_string(m_fd.get());
    std::string target = overwrite == Overwrite::yes ? ".kaappi-tmp-" + to_hex(random_bytes(8)) : m_name;
    if (::linkat(AT_FDCWD, proc.c_str(), dir, target.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      if (errno == EEXIST) fail_exists(m_final_path);
      fail_errno("could not create " + m_final_path, m_role);
    }
    if (overwrite == Overwrite::yes && ::renameat(dir, target.c_str(), dir, m_name.c_str()) != 0) {
      ::unlinkat(dir, target.c_str(), 0);
      fail_errno("could not rename into " + m_final_path, m_role);
    }
    m_fd.reset();
  } else {
    m_fd.reset();
    const int temp = m_temp_dir.get();
    const char* from = m_temp_name.c_str();
    if (overwrite == Overwrite::yes) {
      if (::renameat(temp, from, dir, m_name.c_str()) != 0) fail_errno("could not rename into " + m_final_path, m_role);
    } else if (::renameat2(temp, from, dir, m_name.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno == EEXIST) fail_exists(m_final_path);
      if (errno != EINVAL && errno != ENOSYS) fail_errno("could not rename into " + m_final_path, m_role);
      // The file system has no RENAME_NOREPLACE: link() also refuses to replace.
      if (::linkat(temp, from, dir, m_name.c_str(), 0) != 0) {
        if (errno == EEXIST) fail_exists(m_final_path);
        fail_errno("could not rename into " + m_final_path, m_role);
      }
      ::unlinkat(temp, from, 0);
    }
  }
  m_committed = true;
  fault::point(m_fault_prefix + ".rename");
}

void write_file_atomic(const std::string& path, ByteView data, mode_t mode, Overwrite overwrite,
                       const std::string& fault_prefix, PathRole role) {
  AtomicFile file(path, "", mode, fault_prefix, role);
  file.write(data);
  file.commit(overwrite);
}

void write_file_atomic(const Dir& dir, const std::string& name, ByteView data, mode_t mode, Overwrite overwrite,
                       const std::string& fault_prefix) {
  AtomicFile file(dir, name, mode, fault_prefix);
  file.write(data);
  file.commit(overwrite);
}

}  // namespace kaappi
