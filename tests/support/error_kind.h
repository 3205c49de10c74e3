// error_kind.h — the ErrorKind a call fails with, for tests that check how
// the library refuses (a call that does not fail fails the test).
#pragma once

#include <catch2/catch.hpp>
#include <functional>

#include "base/error.h"

namespace kaappi::test {

inline ErrorKind error_kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no error");
  return ErrorKind::internal;
}

}  // namespace kaappi::test
