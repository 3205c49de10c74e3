// scan_watch.cpp — see scan_watch.h.
#include "station/scan_watch.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <set>

#include "base/error.h"
#include "base/file_io.h"

namespace kaappi {
namespace {

using SteadyClock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct Seen {
  off_t size = -1;
  timespec mtime{};
  SteadyClock::time_point since;  // when it last changed (size, time, or an inotify event)
  bool told_waiting = false;      // the "looks unfinished" notice was given
};

bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  std::string tail = s.substr(s.size() - suffix.size());
  for (auto& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == suffix;
}

// Moves FOLDER/name to FOLDER/rejected/ with NAME.reason beside it; never
// through a link planted as rejected/.
void reject_file(const Dir& folder, const std::string& name, const std::string& reason) {
  Dir rejected = folder.sub("rejected", Create::yes);
  std::string target = name;
  for (int n = 2; (rejected.has(target) || rejected.has(target + ".reason")) && n < 1000; ++n)
    target = std::to_string(n) + "-" + name;
  write_file_atomic(rejected, target + ".reason", as_bytes(reason + "\n"), 0644, Overwrite::yes, "reject");
  if (!folder.move(name, rejected, target, Overwrite::no))
    fail(ErrorKind::io, "cannot move " + folder.path_of(name) + " to " + rejected.path() + ": the name is taken");
  rejected.sync();
  folder.sync();
}

// Holds the watched folder's lock for as long as the watch runs.
void lock_folder(const Dir& folder) {
  if (::flock(folder.fd(), LOCK_EX | LOCK_NB) == 0) return;
  if (errno == EWOULDBLOCK)
    fail(ErrorKind::rejected, "another kaappi-scan watch is already watching " + folder.path() +
                                  " (one watcher per folder; stop the other one first)");
  fail_errno("cannot lock " + folder.path());
}

// The names of the regular files in the folder, with their size and time.
std::map<std::string, struct stat> list_files(const Dir& folder) {
  std::map<std::string, struct stat> out;
  DIR* d = ::fdopendir(::fcntl(folder.fd(), F_DUPFD_CLOEXEC, 0));
  if (d == nullptr) fail_errno("cannot read " + folder.path());
  ::rewinddir(d);
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    struct stat st {};
    if (!is_scan_name(name) || ::fstatat(folder.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode))
      continue;
    out[name] = st;
  }
  ::closedir(d);
  return out;
}

// The names inotify reported since the last call (written to, closed after
// writing, moved in or created).
std::set<std::string> read_events(int inotify_fd) {
  std::set<std::string> names;
  alignas(inotify_event) char buf[8192];
  for (;;) {
    ssize_t n = ::read(inotify_fd, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
      if (ev->len > 0) names.insert(ev->name);
      at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
  return names;
}

std::string seconds_text(int seconds) { return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds"); }

}  // namespace

bool is_scan_name(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0) return false;
  for (const char* temp : {".tmp", ".part", ".partial", ".crdownload", ".kenv", ".reason", "~"})
    if (ends_with(name, temp)) return false;
  return true;
}

bool looks_unfinished(int fd) {
  static const std::string k_start = "%PDF-";
  static const std::string k_end = "%%EOF";
  char head[5] = {};
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  if (got < 0) return false;
  if (std::string(head, static_cast<size_t>(got)) != k_start.substr(0, static_cast<size_t>(got))) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  off_t from = st.st_size > 1024 ? st.st_size - 1024 : 0;
  std::string tail(static_cast<size_t>(st.st_size - from), '\0');
  got = ::pread(fd, tail.data(), tail.size(), from);
  if (got < 0) return false;
  tail.resize(static_cast<size_t>(got));
  return tail.find(k_end) == std::string::npos;
}

void watch_scan_folder(const StationKey& station, const StationOptions& options, const WatchOptions& watch,
                       Observer& observer) {
  Dir folder = Dir::named(watch.folder);
  lock_folder(folder);
  if (folder.has("rejected")) folder.sub("rejected");  // a link planted there is refused now, not at the first reject
  Fd in(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!in.valid()) fail_errno("cannot watch " + folder.path());
  if (::inotify_add_watch(in.get(), folder.path().c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY) < 0)
    fail_errno("cannot watch " + folder.path());
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  g_stop = 0;
  ProbeService probes(ProbeLimits::from_environment(), 1);
  std::map<std::string, Seen> seen;
  std::set<std::string> touched;
  const auto settle = std::chrono::seconds(watch.settle_seconds);
  const auto grace = std::chrono::seconds(watch.grace_seconds);
  observer.notice("watching " + folder.path() + " as station '" + station.name() + "' (sealing into " + options.inbox +
                  ")");

  while (!g_stop) {
    // Look at every file: the sweep at start, and after each event or tick.
    auto now = SteadyClock::now();
    std::map<std::string, Seen> current;
    for (const auto& [name, st] : list_files(folder)) {
      Seen s = seen.count(name) ? seen[name] : Seen{-1, {}, now, false};
      if (s.size != st.st_size || s.mtime.tv_sec != st.st_mtim.tv_sec || s.mtime.tv_nsec != st.st_mtim.tv_nsec ||
          touched.count(name)) {
        s.size = st.st_size;
        s.mtime = st.st_mtim;
        s.since = now;
      }
      current[name] = s;
    }
    touched.clear();
    seen = current;
    for (auto it = seen.begin(); it != seen.end() && !g_stop;) {
      const std::string& name = it->first;
      Seen& s = it->second;
      if (now - s.since < settle) {
        ++it;
        continue;
      }
      try {
        Fd fd = folder.open_file(name, O_RDONLY | O_NONBLOCK);
        if (fd.valid() && looks_unfinished(fd.get())) {
          if (now - s.since < grace) {
            if (!s.told_waiting)
              observer.notice("waiting for " + name + ": it looks unfinished (no %%EOF end yet); it is taken once " +
                              "complete, or rejected after " + seconds_text(watch.grace_seconds) + " without change");
            s.told_waiting = true;
            ++it;
            continue;
          }
          std::string reason = "an unfinished PDF: it has no %%EOF end, and nothing more was written to it for " +
                               seconds_text(watch.grace_seconds);
          reject_file(folder, name, reason);
          observer.notice("rejected " + name + ": " + reason + " (moved to rejected/)");
          it = seen.erase(it);
          continue;
        }
        ScanOutcome r = seal_scan(probes, station, options, folder.path_of(name));
        if (r.changed) {
          observer.notice(name + " changed while it was being sealed; waiting for it to settle");
          s.since = now;
          ++it;
          continue;
        }
        if (r.sealed) {
          observer.notice("sealed " + name + " (" + std::to_string(r.pages) + (r.pages == 1 ? " page" : " pages") +
                          ") -> " + base_name(r.envelope));
        } else if (folder.has(name)) {
          reject_file(folder, name, r.message.text());
          observer.notice("rejected " + name + ": " + r.message.text() + " (moved to rejected/)");
        }
      } catch (const Error& e) {  // the inbox is full or gone, rejected/ unusable: keep the scan, try again later
        observer.notice("could not seal " + name + ": " + e.what() + "; will retry");
        s.since = now + std::chrono::seconds(30);
        ++it;
        continue;
      }
      it = seen.erase(it);
    }
    // Wait for an event or the next tick.
    pollfd p{in.get(), POLLIN, 0};
    if (::poll(&p, 1, 500) > 0) touched = read_events(in.get());
  }
  observer.notice("stopped");
}

}  // namespace kaappi
