// rclone_destination.cpp — see rclone_destination.h.
#include "backup/rclone_destination.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/fault.h"
#include "base/file_io.h"
#include "base/sha256.h"
#include "base/temp_folder.h"
#include "store/machine_records.h"

extern char** environ;

namespace kaappi {
namespace {

struct RunResult {
  int status = 0;
  std::string out;  // stdout, at most the limit asked for
  std::string err;  // stderr (its first 64 KiB)
  bool out_too_long = false;
};

// rclone's path, found on $PATH before any fork.
std::string rclone_path() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr && *path != '\0' ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/rclone";
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  fail(ErrorKind::not_found, "rclone is not installed (apt install rclone): it copies backups to a remote");
}

// Runs rclone with `args`, stdout and stderr read to their ends (stdout at most max_out bytes).
RunResult run_rclone(const std::vector<std::string>& args, std::size_t max_out) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) fail_errno("cannot run rclone");
  std::vector<std::string> full = {"rclone"};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string program = rclone_path();
  // fork and exec (not posix_spawn): the child asks to be ended with its
  // parent, so a kaappi killed mid-copy leaves no rclone running on.
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) fail_errno("cannot run rclone");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    int null = ::open("/dev/null", O_RDONLY);
    if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(out_pipe[1], 1) < 0 || ::dup2(err_pipe[1], 2) < 0) ::_exit(127);
    ::execve(program.c_str(), argv.data(), environ);
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  Fd out(out_pipe[0]), err(err_pipe[0]);
  RunResult r;
  pollfd fds[2] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string& into = i == 0 ? r.out : r.err;
      std::size_t limit = i == 0 ? max_out : 65536;
      if (into.size() < limit) into.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), limit - into.size()));
      if (i == 0 && into.size() >= limit && n > 0) r.out_too_long = true;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return r;
}

// The first line of rclone's complaint, without its timestamp.
std::string first_error(const std::string& err) {
  std::size_t start = 0;
  while (start < err.size()) {
    std::size_t end = err.find('\n', start);
    if (end == std::string::npos) end = err.size();
    std::string line = err.substr(start, end - start);
    if (line.find("ERROR") != std::string::npos || line.find("Failed") != std::string::npos ||
        line.find("error") != std::string::npos) {
      std::size_t at = line.find(": ");
      if (line.size() > 200) line = line.substr(0, 200) + "…";
      return at != std::string::npos && at < 40 ? line.substr(at + 2) : line;
    }
    start = end + 1;
  }
  return err.substr(0, std::min<std::size_t>(err.size(), 200));
}

bool says_missing(const RunResult& r) {
  if (r.err.find("config") != std::string::npos) return false;  // an unknown remote is not a missing file
  return r.err.find("directory not found") != std::string::npos || r.err.find("object not found") != std::string::npos ||
         r.err.find("not found") != std::string::npos;
}

class RcloneDestination : public BackupDestination {
 public:
  explicit RcloneDestination(std::string text) : m_name(std::move(text)) {
    m_remote = m_name.substr(7);  // after "rclone:"
    std::size_t colon = m_remote.find(':');
    if (colon == std::string::npos || colon == 0)
      fail(ErrorKind::usage, "an rclone destination is rclone:REMOTE:PATH (a remote rclone config names), not '" +
                                 m_name + "'");
    // One spelling of one path ("r:/p/", "r://p" and "r:/p" are the same), for
    // this machine's record of the destination.
    // ("." and "x/.." are taken out by their names.)
    const std::string path = m_remote.substr(colon + 1);
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
      std::size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      std::string part = path.substr(start, end - start);
      if (part == "..") {
        if (!parts.empty() && parts.back() != "..") parts.pop_back();
        else if (path.empty() || path[0] != '/') parts.push_back(part);
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
      start = end + 1;
    }
    std::string clean = !path.empty() && path[0] == '/' ? "/" : "";
    for (std::size_t i = 0; i < parts.size(); ++i) clean += (i ? "/" : "") + parts[i];
    m_remote = m_remote.substr(0, colon + 1) + clean;
    m_name = "rclone:" + m_remote;
  }

  const std::string& name() const override { return m_name; }
  std::string identity() const override { return m_name; }

  bool empty() override {
    RunResult r = run_rclone({"lsf", "--max-depth", "1", m_remote}, 1 << 16);
    if (r.status != 0) {
      if (says_missing(r)) return true;
      fail_rclone("listing", r);
    }
    return r.out.empty();
  }

  std::map<std::string, std::int64_t> list(const std::string& folder) override {
    std::map<std::string, std::int64_t> out;
    RunResult r = run_rclone({"lsjson", "-R", "--files-only", "--no-mimetype", "--no-modtime", at(folder)}, 1u << 30);
    if (r.status != 0) {
      if (says_missing(r)) return out;
      fail_rclone("listing " + folder, r);
    }
    nlohmann::json list = nlohmann::json::parse(r.out, nullptr, false);
    if (!list.is_array()) fail(ErrorKind::corrupt, "rclone listed " + at(folder) + " in a way kaappi cannot read");
    for (const auto& item : list) {
      if (!item.is_object() || !item.contains("Path") || !item["Path"].is_string() || !item.contains("Size") ||
          !item["Size"].is_number_integer())
        continue;
      std::string path = item["Path"].get<std::string>();
      out[folder.empty() ? path : folder + "/" + path] = item["Size"].get<std::int64_t>();
    }
    return out;
  }

  std::vector<std::string> subfolders(const std::string& folder) override {
    std::vector<std::string> out;
    RunResult r = run_rclone({"lsf", "--dirs-only", at(folder)}, 1 << 24);
    if (r.status != 0) {
      if (says_missing(r)) return out;
      fail_rclone("listing " + folder, r);
    }
    std::size_t start = 0;
    while (start < r.out.size()) {
      std::size_t end = r.out.find('\n', start);
      if (end == std::string::npos) end = r.out.size();
      std::string line = r.out.substr(start, end - start);
      if (!line.empty() && line.back() == '/') line.pop_back();
      if (!line.empty()) out.push_back(line);
      start = end + 1;
    }
    return out;
  }

  std::optional<Bytes> read(const std::string& path, std::size_t max_size) override {
    RunResult r = run_rclone({"cat", at(path)}, max_size + 1);
    if (r.status != 0) {
      if (says_missing(r)) return std::nullopt;
      fail_rclone("reading " + path, r);
    }
    if (r.out.size() > max_size || r.out_too_long)
      fail(ErrorKind::corrupt, at(path) + " is larger than a backup's " + std::to_string(max_size) + " bytes");
    return Bytes(r.out.begin(), r.out.end());
  }

  void fetch(const std::string& path, const std::string& local) override {
    RunResult r = run_rclone({"copyto", at(path), local}, 1 << 16);
    if (r.status != 0) {
      if (says_missing(r)) fail(ErrorKind::not_found, at(path) + " is missing");
      fail_rclone("fetching " + path, r);
    }
    ::chmod(local.c_str(), 0600);
  }

  void fetch_files(const std::vector<std::string>& paths, const std::string& local_root) override {
    if (paths.empty()) return;
    TempFolder temp("kaappi-rclone");
    std::string list;
    for (const auto& p : paths) list += p + "\n";
    write_file_atomic(temp.path_of("files"), as_bytes(list), 0600, Overwrite::no, "backup.list");
    RunResult r = run_rclone({"copy", "--no-traverse", "--files-from-raw", temp.path_of("files"), m_remote, local_root},
                             1 << 16);
    if (r.status != 0) fail_rclone("fetching " + std::to_string(paths.size()) + " file(s)", r);
  }

  void put_files(const std::string& local_root, const std::vector<std::string>& paths,
                 const std::function<void(std::uint64_t)>& progress) override {
    if (paths.empty()) return;
    TempFolder temp("kaappi-rclone");
    std::string list;
    for (const auto& p : paths) list += p + "\n";
    write_file_atomic(temp.path_of("files"), as_bytes(list), 0600, Overwrite::no, "backup.list");
    fault::point("backup.rclone.copy");
    RunResult r = run_rclone({"copy", "--immutable", "--no-traverse", "--files-from-raw", temp.path_of("files"),
                              local_root, m_remote},
                             1 << 16);
    if (r.status != 0) fail_rclone("copying " + std::to_string(paths.size()) + " file(s)", r);
    if (progress) {
      std::uint64_t total = 0;
      for (const auto& p : paths) {
        struct stat st {};
        if (::stat((local_root + "/" + p).c_str(), &st) == 0) total += static_cast<std::uint64_t>(st.st_size);
      }
      progress(total);
    }
  }

  void put_bytes(const std::string& path, ByteView data, bool replace) override {
    TempFolder temp("kaappi-rclone");
    write_file_atomic(temp.path_of("file"), data, 0600, Overwrite::no, "backup.put");
    std::vector<std::string> args = {"copyto"};
    if (!replace) args.push_back("--immutable");
    args.push_back(temp.path_of("file"));
    args.push_back(at(path));
    fault::point("backup.rclone.copy");
    RunResult r = run_rclone(args, 1 << 16);
    if (r.status != 0) fail_rclone("writing " + path, r);
  }

  void remove(const std::string& path) override {
    RunResult r = run_rclone({"deletefile", at(path)}, 1 << 16);
    if (r.status == 0 || says_missing(r)) return;
    // A folder: removed when empty.
    RunResult d = run_rclone({"rmdir", at(path)}, 1 << 16);
    if (d.status == 0 || says_missing(d)) return;
    fail_rclone("removing " + path, r);
  }

  void sync() override {}  // each rclone run has finished its copies when it returns
  std::optional<std::string> local_folder() const override { return std::nullopt; }

  void lock_for_writing() override {
    machine_records::check_writable();
    Sha256Digest d = sha256(as_bytes(identity()));
    const std::string path = machine_records::folder_path() + "/backup-" + to_hex(ByteView(d.data(), 16)) + ".lock";
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid()) fail_errno("cannot open " + path);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
      fail(ErrorKind::rejected, "another backup to " + m_name + " is running on this machine; nothing was changed");
    m_lock = std::move(fd);
  }

 private:
  std::string at(const std::string& path) const { return path.empty() ? m_remote : m_remote + "/" + path; }

  [[noreturn]] void fail_rclone(const std::string& doing, const RunResult& r) const {
    fail(ErrorKind::io, "rclone failed " + doing + " at " + m_name + " (exit " + std::to_string(r.status) +
                            "): " + first_error(r.err));
  }

  std::string m_name, m_remote;
  Fd m_lock;
};

}  // namespace

std::unique_ptr<BackupDestination> open_rclone_destination(const std::string& text) {
  return std::make_unique<RcloneDestination>(text);
}

}  // namespace kaappi
