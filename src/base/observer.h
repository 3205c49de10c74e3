// observer.h — how the library tells its caller about long work and
// notices, without printing anything itself.
//
// Long work (import, get, verify) reports progress; things the user should
// know that are not errors (interrupted imports rolled back, the published
// example key, waiting for another command's lock) are notices, one sentence
// each. A front end decides how they show (frontend/terminal_observer.h:
// a bar on a terminal, notices on stderr). Called only from the thread that
// called the library.
#pragma once

#include <cstdint>
#include <string>

namespace kaappi {

class Observer {
 public:
  virtual ~Observer() = default;
  // One piece of long work at a time: begin, any number of progress calls
  // with the units done so far (0..total), then end.
  virtual void progress_begin(const std::string& label, std::uint64_t total) = 0;
  virtual void progress(std::uint64_t done) = 0;
  virtual void progress_end() = 0;
  virtual void notice(const std::string& text) = 0;
  // What a person asks for only to know more (kaappi -v): how the command
  // went about it (the unlock agent was used). Shown nowhere by default.
  virtual void detail(const std::string& text) { (void)text; }
};

// Reports nowhere: for callers that want no reports.
Observer& silent_observer();

// One piece of long work reported to an observer: begins when made, ends at
// finish() or when destroyed. With `quiet` nothing is reported.
class Progress {
 public:
  Progress(Observer& observer, const std::string& label, std::uint64_t total, bool quiet);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(std::uint64_t done);
  void finish();

 private:
  Observer& m_observer;
  bool m_running;
};

}  // namespace kaappi
