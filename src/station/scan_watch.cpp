// scan_watch.cpp — see scan_watch.h.
#include "station/scan_watch.h"

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <map>

#include "base/error.h"
#include "base/file_io.h"

namespace kaappi {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct Seen {
  off_t size = -1;
  timespec mtime{};
  std::chrono::steady_clock::time_point since;  // when size/mtime last changed
};

bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  std::string tail = s.substr(s.size() - suffix.size());
  for (auto& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == suffix;
}

void reject_file(const std::string& folder, const std::string& path, const std::string& reason) {
  std::string dir = folder + "/rejected";
  make_dir(dir, 0700);
  std::string name = base_name(path);
  std::string target = dir + "/" + name;
  for (int n = 2; path_exists(target) && n < 1000; ++n) target = dir + "/" + std::to_string(n) + "-" + name;
  write_file_atomic(target + ".reason", as_bytes(reason + "\n"), 0644, Overwrite::yes, "reject");
  if (::rename(path.c_str(), target.c_str()) != 0) fail_errno("cannot move " + path + " to " + dir);
  fsync_dir(dir);
  fsync_dir(folder);
}

}  // namespace

bool is_scan_name(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0) return false;
  for (const char* temp : {".tmp", ".part", ".partial", ".crdownload", ".kenv", ".reason", "~"})
    if (ends_with(name, temp)) return false;
  return true;
}

void watch_scan_folder(const StationKey& station, const StationOptions& options, const WatchOptions& watch,
                       Observer& observer) {
  const std::string& folder = watch.folder;
  Fd in(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!in.valid()) fail_errno("cannot watch " + folder);
  if (::inotify_add_watch(in.get(), folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY) < 0)
    fail_errno("cannot watch " + folder);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  g_stop = 0;
  ProbeService probes(ProbeLimits::from_environment(), 1);
  std::map<std::string, Seen> seen;
  const auto settle = std::chrono::seconds(watch.settle_seconds);
  observer.notice("watching " + folder + " as station '" + station.name() + "' (sealing into " + options.inbox + ")");

  while (!g_stop) {
    // Look at every file: the sweep at start, and after each event or tick.
    auto now = std::chrono::steady_clock::now();
    std::map<std::string, Seen> current;
    if (DIR* d = ::opendir(folder.c_str())) {
      while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (!is_scan_name(name)) continue;
        std::string path = folder + "/" + name;
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        Seen s = seen.count(name) ? seen[name] : Seen{-1, {}, now};
        if (s.size != st.st_size || s.mtime.tv_sec != st.st_mtim.tv_sec || s.mtime.tv_nsec != st.st_mtim.tv_nsec) {
          s.size = st.st_size;
          s.mtime = st.st_mtim;
          s.since = now;
        }
        current[name] = s;
      }
      ::closedir(d);
    } else {
      fail_errno("cannot read " + folder);
    }
    seen = current;
    for (auto it = seen.begin(); it != seen.end() && !g_stop;) {
      if (now - it->second.since < settle) {
        ++it;
        continue;
      }
      std::string path = folder + "/" + it->first;
      ScanOutcome r;
      try {
        r = seal_scan(probes, station, options, path);
      } catch (const Error& e) {  // the inbox is full or gone: keep the scan, try again later
        observer.notice("could not seal " + it->first + ": " + e.what() + "; will retry");
        it->second.since = now + std::chrono::seconds(30);
        ++it;
        continue;
      }
      if (r.sealed) {
        observer.notice("sealed " + it->first + " (" + std::to_string(r.pages) + (r.pages == 1 ? " page" : " pages") +
                        ") -> " + base_name(r.envelope));
      } else if (path_exists(path)) {
        reject_file(folder, path, r.message.text());
        observer.notice("rejected " + it->first + ": " + r.message.text() + " (moved to rejected/)");
      }
      it = seen.erase(it);
    }
    // Wait for an event or the next tick.
    pollfd p{in.get(), POLLIN, 0};
    int rc = ::poll(&p, 1, 500);
    if (rc > 0) {
      char buf[4096];
      while (::read(in.get(), buf, sizeof buf) > 0) {
      }
    }
  }
  observer.notice("stopped");
}

}  // namespace kaappi
