// passphrase_strength.h — when a new passphrase is weak, and why. The front
// ends warn with it when a passphrase is chosen (init, key passwd); a weak
// one is still taken, the person decides.
//
// Rules: shorter than k_min_passphrase_chars characters (UTF-8 code points),
// or one of a small built-in list of the most common passwords (compared
// without regard to ASCII case).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/secret.h"

namespace kaappi {

inline constexpr std::size_t k_min_passphrase_chars = 12;

// The rules `passphrase` breaks, each as a sentence part ("it is shorter than
// 12 characters", "it is one of the most common passwords"); empty if none.
std::vector<std::string> passphrase_weaknesses(const SecretBuffer& passphrase);

}  // namespace kaappi
