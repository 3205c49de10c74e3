// passphrase_strength.h — when a new passphrase is weak, and why. The front
// ends warn with it when a passphrase is chosen (init, key passwd); a weak
// one is still taken, the person decides.
//
// Rules, each named in the answer (letters compared without regard to case,
// ASCII and Å, Ä, Ö): shorter than k_min_passphrase_chars characters (UTF-8
// code points); one of a small built-in list of the most common passwords;
// such a password repeated, or with digits, symbols or spaces before or after
// it ("password1234"); fewer than 6 different characters, or one character
// making up over half of it ("aaaaaaaaaaaaaaaa"); only runs of 3 or more
// along a keyboard row (US or Finnish: "qwertyuiopå", "asdfghjklöä"), the
// alphabet or the digits, either way, maybe one symbol or space apart
// ("qwertyuiopasdfgh", "abcdef-123456"); the example passphrase published in
// keys.example and the README ("kaappi-example-passphrase").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/secret.h"

namespace kaappi {

inline constexpr std::size_t k_min_passphrase_chars = 12;

// The rules `passphrase` breaks, each as a sentence part ("it is shorter than
// 12 characters", "it is one of the most common passwords"), in the order
// above; empty if none. A common password is named once (the list, or it
// repeated or dressed up).
std::vector<std::string> passphrase_weaknesses(const SecretBuffer& passphrase);

}  // namespace kaappi
