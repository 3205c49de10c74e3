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
//
// Folders kaappi and kaappi-scan make or write into (the inbox and its
// rejected/, tmp/, the blob fan-out folders, the state and key folders) are
// held as a Dir: opened without following a symbolic link where the folder
// belongs, and then used only through the held descriptor (openat, renameat,
// unlinkat), so a link planted there, before or later, is never followed.
// A link (or a file) where a folder belongs is an ErrorKind::rejected error
// naming the path; nothing is written.
#pragma once

#include <sys/types.h>

#include <memory>
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
enum class Create { no, yes };

class Dir {
 public:
  // The folder at `path`: its last component must be a real folder (not a
  // link); the components before it are followed. Create::yes makes it
  // (mode) when missing; its parent must exist.
  static Dir open(const std::string& path, Create create = Create::no, mode_t mode = 0700);
  // A folder the user named as it is, links followed (an output folder).
  // Missing is ErrorKind::not_found; a file there ErrorKind::rejected ("X is a regular file, not a folder").
  static Dir named(const std::string& path);
  // Its subfolder `name`, never through a link.
  Dir sub(const std::string& name, Create create = Create::no, mode_t mode = 0700) const;

  int fd() const { return m_fd.get(); }
  const std::string& path() const { return m_path; }
  std::string path_of(const std::string& name) const { return m_path + "/" + name; }
  // A file in it, opened with O_NOFOLLOW (flags as for open(2); O_CLOEXEC added).
  // Invalid Fd with errno set when it cannot be opened.
  Fd open_file(const std::string& name, int flags, mode_t mode = 0600) const;
  bool has(const std::string& name) const;  // anything by that name, links included
  // Moves `name` to `to_dir`/`to_name`; Overwrite::no refuses an existing one
  // (returns false, errno EEXIST). Other failures throw.
  bool move(const std::string& name, const Dir& to_dir, const std::string& to_name, Overwrite overwrite) const;
  bool remove(const std::string& name) const;  // unlinkat; false if it was not there
  void sync() const;

 private:
  Dir(Fd fd, std::string path) : m_fd(std::move(fd)), m_path(std::move(path)) {}
  Fd m_fd;
  std::string m_path;
};
// DirSync::deferred leaves the folder fsync to the caller (group commit),
// who must do it before relying on the rename.
enum class DirSync { now, deferred };

// Reads up to `size` bytes, retrying short reads; returns bytes read (0 at EOF).
size_t read_full(int fd, std::uint8_t* data, size_t size, const std::string& what);
void write_full(int fd, const std::uint8_t* data, size_t size, const std::string& what);
// A file the user named to read, opened: a folder there is ErrorKind::rejected
// ("X is a folder, not a file"); a FIFO or standard input is read as it is.
void check_input_file(int fd, const std::string& path);
// A file the user named to read (checked as above); missing is ErrorKind::not_found.
Bytes read_file(const std::string& path, size_t max_size);
// The same, as text.
std::string read_text_file(const std::string& path, size_t max_size);
void fsync_dir(const std::string& dir_path);
std::string parent_dir(const std::string& path);
std::string base_name(const std::string& path);
bool path_exists(const std::string& path);
// Whether the folder at `path` (links followed) has nothing in it; false when it cannot be read.
bool folder_is_empty(const std::string& path);
// What kind of file a mode is: "a regular file", "a folder", "a FIFO", "a symbolic link", "a device",
// "a socket".
const char* file_kind(mode_t mode);
// A file the user named to write: ErrorKind::rejected if a folder, a device,
// a FIFO or a socket is there (links followed), which writing would replace.
void check_output_file(const std::string& path);
// ok if it exists as a real folder; a link there is refused (see Dir::open)
void make_dir(const std::string& path, mode_t mode, PathRole role = PathRole::archive);
// like mkdir -p; the last folder must be a real folder, not a link
void make_dirs(const std::string& path, mode_t mode, PathRole role = PathRole::archive);

class AtomicFile {
 public:
  // An unnamed file (O_TMPFILE) in `temp_dir`, given its folder and name only
  // when placed (sync(), then place()): until then a crash leaves nothing, and
  // nothing shows in any folder. nullptr where the file system has no
  // unnamed files.
  static std::unique_ptr<AtomicFile> unnamed(const Dir& temp_dir, mode_t mode, std::string fault_prefix);
  // A file written as `temp_name` in `temp_dir`, placed later (as above).
  static std::unique_ptr<AtomicFile> named_temp(const Dir& temp_dir, const std::string& temp_name, mode_t mode,
                                                std::string fault_prefix);
  // temp_path empty: an unnamed file in final_path's folder (or, where
  // O_TMPFILE is missing, a random hidden name there).
  // `role`: whose path it is, for the kind of error a refusal is (error.h).
  AtomicFile(std::string final_path, std::string temp_path, mode_t mode, std::string fault_prefix,
             PathRole role = PathRole::archive);
  // `name` in a held folder (an unnamed temp file there), or with a named
  // temp file `temp_name` in `temp_dir` (same file system).
  AtomicFile(const Dir& dir, const std::string& name, mode_t mode, std::string fault_prefix);
  AtomicFile(const Dir& dir, const std::string& name, const Dir& temp_dir, const std::string& temp_name, mode_t mode,
             std::string fault_prefix);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Writes at the end. Every 8 MiB the kernel is asked to start writing the
  // bytes out (sync_file_range, not waited for), so that a large file's
  // fsync finds little left to write.
  void write(ByteView data);
  // fsync, rename to the final name, fsync the folder.
  void commit(Overwrite overwrite, DirSync dir_sync = DirSync::now);
  // The steps of commit() one by one, for a file made by unnamed() or
  // named_temp(): sync() (fsync; fault point "<prefix>.fsync"; another thread
  // may run it, while nothing else uses the file), then place() (the final
  // name in `dir`, never replacing a file unless `overwrite` says so;
  // "<prefix>.rename"). The folder's fsync is the caller's, before anything
  // relies on the name.
  void sync();
  void place(const Dir& dir, const std::string& name, Overwrite overwrite = Overwrite::no);
  // True once the file is under its final name — also when commit() then
  // failed (syncing the folder): a caller that takes a failed write back
  // must then remove the file itself.
  bool in_place() const { return m_committed; }

 private:
  AtomicFile() = default;
  void create(mode_t mode);
  void place_in(int dir, Overwrite overwrite);

  Fd m_dir, m_temp_dir;  // held folders of the final and the temp name
  std::string m_name, m_temp_name;
  std::string m_final_path;  // for messages
  std::string m_fault_prefix;
  PathRole m_role = PathRole::archive;
  Fd m_fd;
  bool m_synced = false, m_committed = false;
  std::uint64_t m_written = 0, m_written_out = 0;  // bytes written; those handed to the kernel's writeback
};

// Writes a small file atomically (mode as given).
void write_file_atomic(const std::string& path, ByteView data, mode_t mode, Overwrite overwrite,
                       const std::string& fault_prefix, PathRole role = PathRole::archive);
void write_file_atomic(const Dir& dir, const std::string& name, ByteView data, mode_t mode, Overwrite overwrite,
                       const std::string& fault_prefix);

}  // namespace kaappi
