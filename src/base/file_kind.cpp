// file_kind.cpp — see file_kind.h.
#include "base/file_kind.h"

#include "base/file_io.h"

namespace kaappi {

std::string wrong_kind(const std::string& subject, mode_t mode, const std::string& expected) {
  return subject + " is " + file_kind(mode) + ", not " + expected;
}

}  // namespace kaappi
