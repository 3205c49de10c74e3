// test_stop_on_signal.cpp — the first Ctrl-C or SIGTERM only asks a run to
// stop; after it, either signal has its default effect (the process ends at
// once), and the run exits by the first one.
#include <catch2/catch.hpp>

#include <signal.h>

#include "frontend/stop_on_signal.h"

using kaappi::frontend::StopOnSignal;

namespace {

using Handler = void (*)(int);

Handler handler_of(int number) {
  struct sigaction now {};
  ::sigaction(number, nullptr, &now);
  return now.sa_handler;
}

bool is_default(int number) { return handler_of(number) == SIG_DFL; }

}  // namespace

TEST_CASE("the first signal of either kind asks to stop, then both end the process, and the first one is kept",
          "[signal]") {
  const Handler before_int = handler_of(SIGINT), before_term = handler_of(SIGTERM);  // the test runner's
  for (int first : {SIGINT, SIGTERM}) {
    CAPTURE(first);
    {
      StopOnSignal stop;
      CHECK_FALSE(stop.request().asked());
      CHECK_FALSE(is_default(SIGINT));
      CHECK_FALSE(is_default(SIGTERM));
      ::raise(first);
      CHECK(stop.request().asked());
      CHECK(stop.signal() == first);
      // A second signal, either kind, would now end the process (not raised here).
      CHECK(is_default(SIGINT));
      CHECK(is_default(SIGTERM));
    }
    // The handlers the program had before are back.
    CHECK(handler_of(SIGINT) == before_int);
    CHECK(handler_of(SIGTERM) == before_term);
  }
  StopOnSignal fresh;  // a new run starts unasked
  CHECK_FALSE(fresh.request().asked());
  CHECK(fresh.signal() == 0);
}
