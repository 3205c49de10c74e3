// backup_destination.cpp — see backup_destination.h: a folder as a backup
// destination; open_backup_destination chooses it or rclone.
#include "backup/backup_destination.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <set>

#include "backup/backup_manifest.h"
#include "backup/rclone_destination.h"
#include "base/error.h"
#include "base/fault.h"
#include "base/file_io.h"
#include "base/temp_folder.h"

namespace kaappi {
namespace {

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..")
      fail(ErrorKind::internal, "not a path inside a backup: " + path);
    out.push_back(part);
    start = end + 1;
  }
  return out;
}

// A folder destination. Its files are written through held folders as temp
// files in tmp/ (a name of this process's), fsynced and renamed: file systems
// without unnamed temp files or hard links (a FAT-formatted USB disk) work
// too. A `lock` file's flock keeps a second backup out while one runs.
class FolderDestination : public BackupDestination {
 public:
  FolderDestination(std::string name, bool create) : m_name(std::move(name)) {
    std::string clean = m_name;
    while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
    if (create && !path_exists(clean)) make_dir(clean, 0700, PathRole::user_output);
    m_root = Dir::named(clean);
    char real[PATH_MAX];
    m_identity = ::realpath(clean.c_str(), real) != nullptr ? std::string(real) : clean;
  }

  const std::string& name() const override { return m_name; }
  std::string identity() const override { return m_identity; }

  bool empty() override { return entries(*m_root).empty(); }

  std::map<std::string, std::int64_t> list(const std::string& folder) override {
    std::map<std::string, std::int64_t> out;
    std::optional<Dir> dir = folder.empty() ? std::optional<Dir>(Dir::named(m_root->path())) : find(folder);
    if (!dir) return out;
    walk(*dir, folder, out, 0);
    return out;
  }

  std::vector<std::string> subfolders(const std::string& folder) override {
    std::vector<std::string> out;
    if (std::optional<Dir> dir = find(folder))
      for (const auto& [n, st] : entries(*dir))
        if (S_ISDIR(st.st_mode)) out.push_back(n);
    return out;
  }

  std::optional<Bytes> read(const std::string& path, std::size_t max_size) override {
    Fd fd = open_existing(path);
    if (!fd.valid()) return std::nullopt;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail_errno("cannot read " + full(path));
    if (!S_ISREG(st.st_mode))
      fail(ErrorKind::corrupt, full(path) + " is " + file_kind(st.st_mode) + ", not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > max_size)
      fail(ErrorKind::corrupt, full(path) + " is larger than a backup's " + std::to_string(max_size) + " bytes");
    Bytes data(static_cast<std::size_t>(st.st_size));
    std::size_t got = read_full(fd.get(), data.data(), data.size(), full(path));
    data.resize(got);
    return data;
  }

  void fetch(const std::string& path, const std::string& local) override {
    Fd in = open_existing(path);
    if (!in.valid()) fail(ErrorKind::not_found, full(path) + " is missing");
    struct stat st {};
    if (::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode))
      fail(ErrorKind::corrupt, full(path) + " is not a regular file");
    Fd out(::open(local.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid()) fail_errno("cannot write " + local);
    copy_fd(in.get(), out.get(), full(path), {});
  }

  void fetch_files(const std::vector<std::string>& paths, const std::string& local_root) override {
    for (const std::string& path : paths) {
      make_dirs(parent_dir(local_root + "/" + path), 0700);
      fetch(path, local_root + "/" + path);
    }
  }

  void put_files(const std::string& local_root, const std::vector<std::string>& paths,
                 const std::function<void(std::uint64_t)>& progress) override {
    // Written as temp files first, made durable by one syncfs (not a
    // thousand fsyncs), and only then given their names.
    std::uint64_t done = 0;
    std::vector<std::pair<std::string, std::string>> staged;  // temp name, path
    try {
      for (const std::string& path : paths) {
        Fd in(::open((local_root + "/" + path).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        if (!in.valid()) fail_errno("cannot read " + local_root + "/" + path);
        staged.emplace_back(write_temp(in.get(), path, [&](std::uint64_t n) {
          if (progress) progress(done + n);
        }, done), path);
      }
      fault::point("backup.put.fsync");
      if (::syncfs(temp_dir().fd()) != 0) fail_errno("cannot write " + temp_dir().path());
    } catch (...) {
      for (const auto& [temp, path] : staged) temp_dir().remove(temp);
      throw;
    }
    for (std::size_t i = 0; i < staged.size(); ++i) {
      try {
        place(staged[i].first, staged[i].second, false);
      } catch (...) {
        for (std::size_t j = i + 1; j < staged.size(); ++j) temp_dir().remove(staged[j].first);
        throw;
      }
    }
  }

  void put_bytes(const std::string& path, ByteView data, bool replace) override {
    std::string temp = temp_name();
    Dir& tmp = temp_dir();
    {
      Fd out = tmp.open_file(temp, O_WRONLY | O_CREAT | O_EXCL, 0600);
      if (!out.valid()) fail_errno("cannot write in " + tmp.path());
      write_full(out.get(), data.data(), data.size(), tmp.path_of(temp));
      fault::point("backup.put.fsync");
      if (::fsync(out.get()) != 0) fail_errno("cannot write " + tmp.path_of(temp));
    }
    place(temp, path, replace);
  }

  void remove(const std::string& path) override {
    std::vector<std::string> parts = components(path);
    std::string last = parts.back();
    parts.pop_back();
    std::optional<Dir> dir = parts.empty() ? std::optional<Dir>(Dir::named(m_root->path())) : find(join(parts));
    if (!dir) return;
    if (::unlinkat(dir->fd(), last.c_str(), 0) == 0 || errno == ENOENT) {
      m_touched.insert(dir->path());
      return;
    }
    if ((errno == EISDIR || errno == EPERM) && ::unlinkat(dir->fd(), last.c_str(), AT_REMOVEDIR) == 0) {
      m_touched.insert(dir->path());
      return;
    }
    if (errno == ENOTEMPTY || errno == EEXIST) return;  // a folder with something left in it stays
    fail_errno("cannot remove " + full(path));
  }

  void sync() override {
    for (const std::string& path : m_touched)
      if (path_exists(path)) fsync_dir(path);  // a folder removed since (a pruned generation's) has nothing to sync
    m_touched.clear();
  }

  std::optional<std::string> local_folder() const override { return m_root->path(); }

  // Holds the destination's lock: an flock on the folder itself, so that
  // nothing is written into a folder that turns out not to be a backup.
  void lock_for_writing() override {
    if (::flock(m_root->fd(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK)
        fail(ErrorKind::rejected, "another backup to " + m_name + " is running; nothing was changed");
      fail_errno("cannot lock the backup folder " + m_name, PathRole::user_output);
    }
  }

 private:
  std::string full(const std::string& path) const { return m_root->path() + "/" + path; }

  static std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
  }

  // The held folder `path` (relative), or nothing when it is missing.
  std::optional<Dir> find(const std::string& path) {
    Dir dir = Dir::named(m_root->path());
    for (const std::string& part : components(path)) {
      if (!dir.has(part)) return std::nullopt;
      dir = dir.sub(part);
    }
    return dir;
  }

  Dir& made(const std::string& path) {
    auto it = m_made.find(path);
    if (it != m_made.end()) return it->second;
    Dir dir = Dir::named(m_root->path());
    std::string so_far;
    for (const std::string& part : components(path)) {
      if (!dir.has(part)) m_touched.insert(dir.path());
      dir = dir.sub(part, Create::yes);
      so_far += (so_far.empty() ? "" : "/") + part;
    }
    return m_made.emplace(path, std::move(dir)).first->second;
  }

  Dir& temp_dir() { return made("tmp"); }

  std::string temp_name() { return "put-" + std::to_string(::getpid()) + "-" + std::to_string(++m_temps); }

  Fd open_existing(const std::string& path) {
    std::vector<std::string> parts = components(path);
    std::string last = parts.back();
    parts.pop_back();
    std::optional<Dir> dir = parts.empty() ? std::optional<Dir>(Dir::named(m_root->path())) : find(join(parts));
    if (!dir) return Fd();
    Fd fd = dir->open_file(last, O_RDONLY | O_NONBLOCK);
    if (!fd.valid() && errno != ENOENT) {
      if (errno == ELOOP) fail(ErrorKind::corrupt, full(path) + " is a symbolic link, not a regular file");
      fail_errno("cannot read " + full(path));
    }
    return fd;
  }

  void walk(const Dir& dir, const std::string& prefix, std::map<std::string, std::int64_t>& out, int depth) {
    if (depth > 4) return;
    for (const auto& [n, st] : entries(dir)) {
      std::string rel = prefix.empty() ? n : prefix + "/" + n;
      // A folder where a backup's file belongs is listed as not a file.
      const bool file_name = n == "manifest.json" || n == "index.sqlite" || n == k_backup_marker ||
                             (n.size() > 5 && n.substr(n.size() - 5) == ".blob");
      if (S_ISDIR(st.st_mode) && !file_name) walk(dir.sub(n), rel, out, depth + 1);
      else out[rel] = S_ISREG(st.st_mode) ? static_cast<std::int64_t>(st.st_size) : -1;  // -1: not a regular file
    }
  }

  // What is in the held folder `dir`, each with its lstat (a link is not followed).
  static std::vector<std::pair<std::string, struct stat>> entries(const Dir& dir) {
    DIR* d = ::fdopendir(::dup(dir.fd()));
    if (d == nullptr) fail_errno("cannot read " + dir.path());
    ::rewinddir(d);
    std::vector<std::pair<std::string, struct stat>> out;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      struct stat st {};
      if (::fstatat(dir.fd(), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      out.emplace_back(n, st);
    }
    ::closedir(d);
    return out;
  }

  static void copy_fd(int in, int out, const std::string& what, const std::function<void(std::uint64_t)>& progress) {
    std::vector<std::uint8_t> buf(std::size_t{1} << 20);
    std::uint64_t total = 0;
    for (;;) {
      std::size_t got = read_full(in, buf.data(), buf.size(), what);
      if (got == 0) break;
      write_full(out, buf.data(), got, what);
      total += got;
      if (progress) progress(total);
    }
  }

  // `in` copied to a new temp file in tmp/ (not yet synced); its name.
  std::string write_temp(int in, const std::string& path, const std::function<void(std::uint64_t)>& progress,
                         std::uint64_t& done) {
    std::string temp = temp_name();
    Dir& tmp = temp_dir();
    std::uint64_t copied = 0;
    Fd out = tmp.open_file(temp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (!out.valid()) fail_errno("cannot write in " + tmp.path());
    try {
      copy_fd(in, out.get(), "copying to " + full(path), [&](std::uint64_t n) {
        copied = n;
        if (progress) progress(n);
      });
    } catch (...) {
      tmp.remove(temp);
      throw;
    }
    done += copied;
    return temp;
  }

  void place(const std::string& temp, const std::string& path, bool replace) {
    std::vector<std::string> parts = components(path);
    std::string last = parts.back();
    parts.pop_back();
    Dir& tmp = temp_dir();
    Dir& to = parts.empty() ? made_root() : made(join(parts));
    if (!replace && to.has(last)) {
      tmp.remove(temp);
      fail(ErrorKind::rejected, full(path) + " is in the way (something that is not this backup's file); move it "
                                             "away and back up again");
    }
    fault::point("backup.put.rename");
    if (::renameat(tmp.fd(), temp.c_str(), to.fd(), last.c_str()) != 0) {
      int saved = errno;
      tmp.remove(temp);
      errno = saved;
      fail_errno("cannot write " + full(path));
    }
    m_touched.insert(to.path());
  }

  Dir& made_root() {
    auto it = m_made.find("");
    if (it != m_made.end()) return it->second;
    return m_made.emplace("", Dir::named(m_root->path())).first->second;
  }

  std::string m_name, m_identity;
  std::optional<Dir> m_root;
  std::map<std::string, Dir> m_made;
  std::set<std::string> m_touched;  // folders to fsync
  unsigned m_temps = 0;
};

}  // namespace

LocalCopies::LocalCopies() = default;
LocalCopies::~LocalCopies() = default;
LocalCopies::LocalCopies(LocalCopies&&) noexcept = default;
LocalCopies& LocalCopies::operator=(LocalCopies&&) noexcept = default;

LocalCopies local_copies(BackupDestination& dest, const std::vector<std::string>& paths) {
  LocalCopies out;
  if (std::optional<std::string> local = dest.local_folder()) {
    out.root = *local;
    return out;
  }
  out.temp = std::make_unique<TempFolder>("kaappi-backup-blobs");
  dest.fetch_files(paths, out.temp->path());
  out.root = out.temp->path();
  return out;
}

std::unique_ptr<BackupDestination> open_backup_destination(const std::string& text, bool create) {
  if (text.empty()) fail(ErrorKind::usage, "no backup destination given");
  std::unique_ptr<BackupDestination> dest;
  if (text.rfind("rclone:", 0) == 0) dest = open_rclone_destination(text);
  else dest = std::make_unique<FolderDestination>(text, create);
  if (create) dest->lock_for_writing();
  return dest;
}

}  // namespace kaappi
