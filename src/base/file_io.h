// file_io.h — file descriptors, whole-file helpers and the atomic-write seam.
//
// Every file the archive writes goes through AtomicFile: it writes a temp file,
// and only commit() makes it visible: fsync the data, give it the final name
// (never replacing an existing file unless asked), fsync the folder. Without
// an explicit temp path the temp file is unnamed (O_TMPFILE, where the file
// system has it), so a killed process leaves nothing behind.
// Each step passes a fault point "<prefix>.write|fsync|rename|dirsync" so
// tests can stop the process after it (see fault.h). Destroying an AtomicFile
// that was not committed removes the temp file. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/bytes.h"
#include "base/error.h"

namespace kaappi {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : m_fd(o.m_fd) { o.m_fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      m_fd = o.m_fd;
      o.m_fd = -1;
    }
    return *this;
  }
  int get() const { return m_fd; }
  bool valid() const { return m_fd >= 0; }
  void reset();

 private:
  int m_fd = -1;
};

enum class Overwrite { no, yes };
// DirSync::deferred leaves the folder fsync to the caller (group commit),
// who must do it before relying on the rename.
enum class DirSync { now, deferred };

// Reads up to `size` bytes, retrying short reads; returns bytes read (0 at EOF).
size_t read_full(int fd, std::uint8_t* data, size_t size, const std::string& what);
void write_full(int fd, const std::uint8_t* data, size_t size, const std::string& what);
Bytes read_file(const std::string& path, size_t max_size);
void fsync_dir(const std::string& dir_path);
std::string parent_dir(const std::string& path);
std::string base_name(const std::string& path);
bool path_exists(const std::string& path);
// A file the user named to write: ErrorKind::rejected if a folder is there.
void check_output_file(const std::string& path);
void make_dir(const std::string& path, mode_t mode, PathRole role = PathRole::archive);   // ok if it exists
void make_dirs(const std::string& path, mode_t mode, PathRole role = PathRole::archive);  // like mkdir -p

class AtomicFile {
 public:
  // temp_path empty: an unnamed file in final_path's folder (or, where
  // O_TMPFILE is missing, a random hidden name there).
  // `role`: whose path it is, for the kind of error a refusal is (error.h).
  AtomicFile(std::string final_path, std::string temp_path, mode_t mode, std::string fault_prefix,
             PathRole role = PathRole::archive);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(ByteView data);
  // fsync, rename to the final name, fsync the folder.
  void commit(Overwrite overwrite, DirSync dir_sync = DirSync::now);

 private:
  std::string m_final_path;
  std::string m_temp_path;
  std::string m_fault_prefix;
  PathRole m_role;
  Fd m_fd;
  bool m_committed = false;
};

// Writes a small file atomically (mode as given).
void write_file_atomic(const std::string& path, ByteView data, mode_t mode, Overwrite overwrite,
                       const std::string& fault_prefix, PathRole role = PathRole::archive);

}  // namespace kaappi
