// wipe.h — zeroing plaintext that has to pass through ordinary strings and
// vectors (decrypted fields on their way to the user, JSON given by the
// user). Secrets that can live in SecretBuffer (base/secret.h) live there.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kaappi {

// Zeroes every byte of the buffer (its whole capacity, not only its size)
// and leaves it empty, keeping the buffer. Copies made of it before are not
// reached.
void wipe(std::string& text);
void wipe(std::vector<std::uint8_t>& bytes);

}  // namespace kaappi
