// observer.cpp — see observer.h.
#include "base/observer.h"

namespace kaappi {
namespace {
class SilentObserver final : public Observer {
 public:
  void progress_begin(const std::string&, std::uint64_t) override {}
  void progress(std::uint64_t) override {}
  void progress_end() override {}
  void notice(const std::string&) override {}
};
}  // namespace

Observer& silent_observer() {
  static SilentObserver silent;
  return silent;
}

Progress::Progress(Observer& observer, const std::string& label, std::uint64_t total, bool quiet)
    : m_observer(quiet ? silent_observer() : observer), m_running(true) {
  m_observer.progress_begin(label, total);
}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t done) {
  if (m_running) m_observer.progress(done);
}

void Progress::finish() {
  if (!m_running) return;
  m_running = false;
  m_observer.progress_end();
}

}  // namespace kaappi
