// clock.h — what time kaappi says it is.
//
// Everything the library records with a time (versions, consent events,
// imports, reads) asks a Clock, never the system directly, so tests can set
// and move time (retention, deadlines) and a front end can pass its own.
// Thread-safe: now() is const and the system clock has no state.
#pragma once

#include <cstdint>

namespace kaappi {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch, UTC.
  virtual std::int64_t now() const = 0;
};

// The operating system's clock.
const Clock& system_clock();

}  // namespace kaappi
