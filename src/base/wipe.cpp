// wipe.cpp — see wipe.h.
#include "base/wipe.h"

#include <sodium.h>

namespace kaappi {

void wipe(std::string& text) {
  text.resize(text.capacity());  // within the capacity: the same buffer
  sodium_memzero(text.data(), text.size());
  text.clear();
}

void wipe(std::vector<std::uint8_t>& bytes) {
  bytes.resize(bytes.capacity());
  sodium_memzero(bytes.data(), bytes.size());
  bytes.clear();
}

}  // namespace kaappi
