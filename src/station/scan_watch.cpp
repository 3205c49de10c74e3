// scan_watch.cpp — see scan_watch.h.
#include "station/scan_watch.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/file_kind.h"
#include "base/file_io.h"
#include "base/open_for_writing.h"
#include "base/rejected_folder.h"

namespace kaappi {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Seen {
  mode_t type = 0;  // S_IFREG, or what else is there by that name (never followed)
  off_t size = -1;
  timespec mtime{};
  SteadyClock::time_point since{};  // when it last changed (size, time, or an inotify event)
  bool writing = false;           // written to (or created) since its last close-after-write event
  bool failed = false;            // this version failed a check (reason); checked again once it changes
  std::string reason;
  bool told_waiting = false;      // the "waiting for" notice was given
};

// What inotify reported since the last look, in order.
struct Events {
  std::vector<std::pair<std::string, std::uint32_t>> named;  // name, mask
  bool overflow = false;  // events were lost: every file's wait starts again
};

bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  std::string tail = s.substr(s.size() - suffix.size());
  for (auto& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == suffix;
}

// Holds the watched folder's lock for as long as the watch runs.
void lock_folder(const Dir& folder) {
  if (::flock(folder.fd(), LOCK_EX | LOCK_NB) == 0) return;
  if (errno == EWOULDBLOCK)
    fail(ErrorKind::rejected, "another kaappi-scan watch is already watching " + folder.path() +
                                  " (one watcher per folder; stop the other one first)");
  fail_errno("cannot lock " + folder.path());
}

// The names in the folder that may be scans, with what lstat says of them:
// regular files, and anything else but folders (FIFOs, links, devices,
// sockets), which are set aside.
std::map<std::string, struct stat> list_files(const Dir& folder) {
  std::map<std::string, struct stat> out;
  DIR* d = ::fdopendir(::fcntl(folder.fd(), F_DUPFD_CLOEXEC, 0));
  if (d == nullptr) fail_errno("cannot read " + folder.path());
  ::rewinddir(d);
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    struct stat st {};
    if (!is_scan_name(name) || ::fstatat(folder.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        S_ISDIR(st.st_mode))
      continue;
    out[name] = st;
  }
  ::closedir(d);
  return out;
}

// The events inotify reported since the last call (written to, closed
// after writing, moved in or created).
Events read_events(int inotify_fd) {
  Events out;
  alignas(inotify_event) char buf[8192];
  for (;;) {
    ssize_t n = ::read(inotify_fd, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
      if (ev->mask & IN_Q_OVERFLOW) out.overflow = true;
      if (ev->len > 0) out.named.emplace_back(ev->name, ev->mask);
      at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
  return out;
}

// Applies the events to the files seen: each named one changed now; one
// written to or created is being written until a close-after-write (or a
// move into the folder) follows.
void apply_events(const Events& events, std::map<std::string, Seen>& seen, SteadyClock::time_point now) {
  if (events.overflow)
    for (auto& entry : seen) entry.second.since = now;
  for (const auto& [name, mask] : events.named) {
    auto it = seen.find(name);
    if (it == seen.end()) continue;
    Seen& s = it->second;
    s.since = now;
    s.failed = false;
    if (mask & (IN_MODIFY | IN_CREATE)) s.writing = true;
    if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) s.writing = false;
  }
}

std::string seconds_text(int seconds) { return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds"); }

}  // namespace

bool is_scan_name(const std::string& name) {
  // Hidden names (also LibreOffice's ".~lock.NAME#") and Office's "~$NAME".
  if (name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0 || name == "rejected") return false;
  // Names a copy, upload, download or editor writes under before its own rename (WinSCP's .filepart,
  // browsers' .crdownload/.download/.part, vim's .swp), and kaappi's own envelopes and reasons.
  for (const char* temp : {".tmp", ".temp", ".part", ".partial", ".filepart", ".crdownload", ".download", ".swp",
                           ".swx", "~", ".kenv", ".reason"})
    if (ends_with(name, temp)) return false;
  return true;
}

std::string unfinished_reason(int fd) {
  static const std::string k_start = "%PDF-";
  static const std::string k_end = "%%EOF";
  char head[5] = {};
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  if (got > 0 && head[0] == '\0') return "its start is still zeros, not written";
  if (got < 0 || std::string(head, static_cast<size_t>(got)) != k_start.substr(0, static_cast<size_t>(got))) return "";
  struct stat st {};
  if (::fstat(fd, &st) != 0) return "";
  off_t from = st.st_size > 1024 ? st.st_size - 1024 : 0;
  std::string tail(static_cast<size_t>(st.st_size - from), '\0');
  got = ::pread(fd, tail.data(), tail.size(), from);
  if (got < 0) return "";
  tail.resize(static_cast<size_t>(got));
  return tail.find(k_end) == std::string::npos ? "it has no %%EOF end" : "";
}

bool could_become_pdf(int fd) {
  static const std::string k_start = "%PDF-";
  char head[1024] = {};
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  if (got <= 0) return true;
  const std::string text(head, static_cast<size_t>(got));
  return head[0] == '\0' || k_start.compare(0, text.size(), text) == 0 || text.find(k_start) != std::string::npos;
}

namespace {

// One watch of one folder.
class Watch {
 public:
  Watch(const StationKey& station, const StationOptions& options, const WatchOptions& watch, Observer& observer,
        StopRequest stop)
      : m_station(station), m_options(options), m_watch(watch), m_observer(observer), m_stop(stop),
        m_folder(Dir::named(watch.folder)), m_probes(ProbeLimits::from_environment(), 1) {}

  void run() {
    check_keep_folder_for(m_options, m_folder.path(), "the watched folder");
    lock_folder(m_folder);
    if (m_folder.has("rejected")) open_rejected_folder(m_folder);  // one that cannot be used is refused now
    Fd in(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!in.valid()) fail_errno("cannot watch " + m_folder.path());
    if (::inotify_add_watch(in.get(), m_folder.path().c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY) < 0)
      fail_errno("cannot watch " + m_folder.path());
    m_observer.notice("watching " + m_folder.path() + " as station '" + m_station.name() + "' (sealing into " +
                      m_options.inbox + ")");
    struct stat held {};
    if (::fstat(m_folder.fd(), &held) != 0) fail_errno("cannot watch " + m_folder.path());
    std::map<std::string, Seen> seen;
    Events events;
    while (!m_stop.asked()) {
      check_still_there(held);
      // Look at every file: the sweep at start, and after each event or tick.
      auto now = SteadyClock::now();
      std::map<std::string, Seen> current;
      for (const auto& [name, st] : list_files(m_folder)) {
        Seen s = seen.count(name) ? seen[name] : Seen{};
        const mode_t type = st.st_mode & S_IFMT;
        if (s.type != type || s.size != st.st_size || s.mtime.tv_sec != st.st_mtim.tv_sec ||
            s.mtime.tv_nsec != st.st_mtim.tv_nsec) {
          s.type = type;
          s.size = st.st_size;
          s.mtime = st.st_mtim;
          s.since = now;
          s.failed = false;
        }
        current[name] = s;
      }
      seen = std::move(current);
      apply_events(events, seen, now);
      for (auto it = seen.begin(); it != seen.end() && !m_stop.asked();)
        it = consider(it->first, it->second, now) ? seen.erase(it) : std::next(it);
      // Wait for an event or the next tick.
      pollfd p{in.get(), POLLIN, 0};
      events = ::poll(&p, 1, 500) > 0 ? read_events(in.get()) : Events{};
    }
    m_observer.notice("stopped");
  }

 private:
  // Stops the watch (ErrorKind::not_found) once the folder it holds is no
  // longer what its path names: removed, or moved away (and maybe another
  // made in its place). Scans put there would never be seen.
  void check_still_there(const struct stat& held) const {
    struct stat now {};
    if (::fstat(m_folder.fd(), &now) == 0 && now.st_nlink == 0)
      fail(ErrorKind::not_found, "the watched folder " + m_folder.path() +
                                     " was removed; the watch stops (start it again once the folder is back)");
    if (::stat(m_folder.path().c_str(), &now) == 0 ? now.st_dev != held.st_dev || now.st_ino != held.st_ino
                                                   : errno == ENOENT || errno == ENOTDIR)
      fail(ErrorKind::not_found, "the watched folder " + m_folder.path() + " was moved away or replaced (" +
                                     m_folder.path() +
                                     " no longer names it); the watch stops (start it again to watch what is there)");
  }

  // Looks at one file; true when it is done with (sealed or rejected).
  bool consider(const std::string& name, Seen& s, SteadyClock::time_point now) {
    const auto quiet = now - s.since;
    if (quiet < std::chrono::seconds(m_watch.settle_seconds)) return false;
    if (auto refused = m_to_reject.find(name); refused != m_to_reject.end()) {
      if (still_version(name, refused->second.version)) return reject(name, s, now, refused->second.reason);
      m_to_reject.erase(refused);  // it changed: looked at again as a new scan
    }
    if (s.type != S_IFREG)  // never a scan, whatever writes it: set aside as it is, unopened, a link unfollowed
      return reject(name, s, now,
                    wrong_kind("it", s.type, "a regular file") +
                        (s.type == S_IFLNK ? " (the link was not followed)" : ""));
    const bool within_grace = quiet < std::chrono::seconds(m_watch.grace_seconds);
    if (s.writing && within_grace)
      return wait(name, s, "it is still open for writing; it is looked at once its writer closes it, or after " +
                               seconds_text(m_watch.grace_seconds) + " without change");
    if (s.failed) return within_grace ? false : give_up(name, s, now);
    if (auto left = m_left_in_place.find(name); left != m_left_in_place.end()) {
      if (still_version(name, left->second)) return put_away_again(name, s, now);
      m_left_in_place.erase(left);  // another file by that name now: a new scan
    }
    std::string refused;
    try {
      Fd fd = m_folder.open_file(name, O_RDONLY | O_NONBLOCK);
      // Held open for writing by a writer the events did not show (open before the watch started, or
      // written through a descriptor opened before): not taken while it keeps it open, within grace.
      if (fd.valid() && within_grace && open_for_writing(fd.get()) == OpenForWriting::yes)
        return wait(name, s, "a program still has it open for writing; it is taken once closed, or after " +
                                 seconds_text(m_watch.grace_seconds) + " without change");
      std::string unfinished = fd.valid() ? unfinished_reason(fd.get()) : "";
      if (!unfinished.empty()) return not_yet(name, s, now, within_grace, unfinished);
      ScanOutcome r = seal_scan(m_probes, m_station, m_options, m_folder, name);
      if (r.status == ScanOutcome::Status::changed) {
        m_observer.notice(name + " changed while it was being sealed; waiting for it to settle");
        s.since = now;
        return false;
      }
      if (r.sealed()) {
        m_observer.notice("sealed " + name + " (" + std::to_string(r.pages) + (r.pages == 1 ? " page" : " pages") +
                          ") -> " + base_name(r.envelope) +
                          (r.sealed_name == name ? "" : ", named " + r.sealed_name + " in the archive"));
        if (r.status == ScanOutcome::Status::sealed) return true;
        m_left_in_place[name] = r.version;
        return retry_later(s, now, "sealed " + name + ", but it is still here: " + r.message.text() +
                                       "; it is not sealed again while it stays as it is");
      }
      if (r.status == ScanOutcome::Status::not_found) return true;
      if (fd.valid() && could_become_pdf(fd.get()))
        return not_yet(name, s, now, within_grace, cause(name, r.message.text()));
      refused = r.message.text();
    } catch (const Error& e) {  // the inbox is full or gone: keep the scan, try again later
      return retry_later(s, now, "could not seal " + name + ": " + e.what());
    }
    return reject(name, s, now, refused);
  }

  // A file that failed a check but may still be being written: waited for
  // until grace has passed since its last change.
  bool not_yet(const std::string& name, Seen& s, SteadyClock::time_point now, bool within_grace,
               const std::string& reason) {
    s.failed = true;
    s.reason = reason;
    return within_grace ? wait(name, s, "it looks unfinished (" + reason + "); it is taken once complete, or rejected after " +
                                            seconds_text(m_watch.grace_seconds) + " without change")
                        : give_up(name, s, now);
  }

  // A refusal's reason without the file's name before it.
  static std::string cause(const std::string& name, const std::string& message) {
    const std::string named = name + " was rejected: ";
    return message.rfind(named, 0) == 0 ? message.substr(named.size()) : message;
  }

  bool wait(const std::string& name, Seen& s, const std::string& why) {
    if (!s.told_waiting) m_observer.notice("waiting for " + name + ": " + why);
    s.told_waiting = true;
    return false;
  }

  bool give_up(const std::string& name, Seen& s, SteadyClock::time_point now) {
    return reject(name, s, now, "an unfinished PDF (" + s.reason + "), and nothing more was written to it for " +
                                    seconds_text(m_watch.grace_seconds));
  }

  // Moves it to rejected/; true when done. When it cannot be moved (rejected/
  // unusable), it stays where it is, and only the move is tried again later,
  // with this reason, while it stays as it is.
  // The reason is taken by value: it may be the one kept in m_to_reject, which
  // is erased here.
  bool reject(const std::string& name, Seen& s, SteadyClock::time_point now, std::string reason) {
    std::string moved_to;
    try {
      moved_to = move_to_rejected(m_folder, name, reason);
    } catch (const Error& e) {
      struct stat st {};
      if (::fstatat(m_folder.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
        m_to_reject[name] = {version_of(st), reason};
      return retry_later(s, now, "could not move " + name + " to rejected/ (" + reason + "): " + e.what());
    }
    m_to_reject.erase(name);
    m_observer.notice("rejected " + name + ": " + reason + " (moved to rejected/" + moved_to + ")");
    return true;
  }

  // Whether `name` still holds the version that was sealed.
  bool still_version(const std::string& name, const FileVersion& sealed) const {
    struct stat st {};
    return ::fstatat(m_folder.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && version_of(st) == sealed;
  }

  // A file sealed before that could not be removed or kept then: only that
  // is tried again, never the sealing.
  bool put_away_again(const std::string& name, Seen& s, SteadyClock::time_point now) {
    try {
      put_away_sealed(m_options, m_folder, name, m_left_in_place.at(name));
    } catch (const Error& e) {
      return retry_later(s, now, "could not remove or keep " + name + " (sealed before): " + e.what());
    }
    m_left_in_place.erase(name);
    m_observer.notice((m_options.keep_dir.empty() ? "removed " : "moved to the keep folder: ") + name +
                      " (sealed before)");
    return true;
  }

  // Says what failed; the file is looked at again in 30 seconds.
  bool retry_later(Seen& s, SteadyClock::time_point now, const std::string& what) {
    m_observer.notice(what + "; will retry");
    s.since = now + std::chrono::seconds(30);
    return false;
  }

  const StationKey& m_station;
  const StationOptions& m_options;
  const WatchOptions& m_watch;
  Observer& m_observer;
  StopRequest m_stop;
  Dir m_folder;
  ProbeService m_probes;
  std::map<std::string, FileVersion> m_left_in_place;  // sealed, but still here: never sealed again as they are
  struct Refused {
    FileVersion version;
    std::string reason;
  };
  std::map<std::string, Refused> m_to_reject;  // refused, but rejected/ could not take them: only the move is retried
};

}  // namespace

void watch_scan_folder(const StationKey& station, const StationOptions& options, const WatchOptions& watch,
                       Observer& observer, StopRequest stop) {
  Watch(station, options, watch, observer, stop).run();
}

}  // namespace kaappi
