// test_terminal_observer.cpp — how the front ends show progress and notices:
// bars only when asked, redrawn at most ten times a second, always at 100%,
// erased at the end and before a notice.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/observer.h"
#include "frontend/terminal_observer.h"

using namespace kaappi;
using frontend::Bars;
using frontend::TerminalObserver;

namespace {

// What an observer writes, read back from memory.
class Captured {
 public:
  Captured() : m_file(open_memstream(&m_data, &m_size)) {}
  ~Captured() {
    std::fclose(m_file);
    std::free(m_data);
  }
  std::FILE* file() { return m_file; }
  std::string text() {
    std::fflush(m_file);
    return std::string(m_data, m_size);
  }

 private:
  char* m_data = nullptr;
  size_t m_size = 0;
  std::FILE* m_file;
};

// A clock the test moves by hand.
struct FakeClock {
  TerminalObserver::Clock::time_point now{};
  void advance_ms(int ms) { now += std::chrono::milliseconds(ms); }
};

const std::string k_erase = "\r\033[K";

}  // namespace

TEST_CASE("a notice is one line with the program's name", "[observer]") {
  Captured out;
  TerminalObserver observer("kaappi", Bars::always, out.file());
  observer.notice("rolled back 1 interrupted import(s) first");
  CHECK(out.text() == "kaappi: rolled back 1 interrupted import(s) first\n");
}

TEST_CASE("the bar is redrawn at most ten times a second, and always at the end", "[observer]") {
  Captured out;
  FakeClock clock;
  TerminalObserver observer("kaappi", Bars::always, out.file(), [&clock] { return clock.now; });
  Progress progress(observer, "importing", 200, false);
  progress.update(50);
  const std::string quarter = "\rimporting [#######                       ]  25%";
  CHECK(out.text() == quarter);
  clock.advance_ms(50);
  progress.update(100);  // too soon: not drawn
  CHECK(out.text() == quarter);
  clock.advance_ms(60);
  progress.update(100);
  const std::string half = "\rimporting [###############               ]  50%";
  CHECK(out.text() == quarter + half);
  progress.update(200);  // the end is drawn even at once
  const std::string full = "\rimporting [##############################] 100%";
  CHECK(out.text() == quarter + half + full);
  progress.finish();
  CHECK(out.text() == quarter + half + full + k_erase);
  progress.finish();  // once only
  CHECK(out.text() == quarter + half + full + k_erase);
}

TEST_CASE("a notice during a bar erases the bar first", "[observer]") {
  Captured out;
  TerminalObserver observer("kaappi-scan", Bars::always, out.file());
  {
    Progress progress(observer, "verifying", 10, false);
    progress.update(10);
    observer.notice("waiting");
  }  // nothing drawn any more: nothing to erase
  CHECK(out.text() == "\rverifying [##############################] 100%" + k_erase + "kaappi-scan: waiting\n");
}

TEST_CASE("no bar when quiet, or when stderr is not a terminal", "[observer]") {
  Captured out;
  SECTION("quiet") {
    TerminalObserver observer("kaappi", Bars::always, out.file());
    Progress progress(observer, "importing", 10, true);
    progress.update(10);
  }
  SECTION("not a terminal (the tests' stderr)") {
    TerminalObserver observer("kaappi", Bars::on_terminal, out.file());
    Progress progress(observer, "importing", 10, false);
    progress.update(10);
  }
  CHECK(out.text().empty());
}

TEST_CASE("notices and progress labels are shown escaped", "[observer]") {
  Captured out;
  TerminalObserver observer("kaappi", Bars::always, out.file());
  observer.notice("rejected scan\n1.pdf \xe2\x80\xae" "fdp.exe");
  CHECK(out.text() == "kaappi: rejected scan\\x0a1.pdf \\u202efdp.exe\n");
  Progress progress(observer, "reading a\rb", 10, false);
  progress.update(10);
  CHECK_THAT(out.text(), Catch::EndsWith("\rreading a\\x0db [##############################] 100%"));
}
