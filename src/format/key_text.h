// key_text.h — what every key printed as text ("kaappi-pk1:…", "kaappi-spk1:…",
// "kaappi-ssk1:…") shares: a 4-byte check that catches a mistyped or
// truncated copy (docs/FORMAT.md, "Public key text").
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace kaappi {

inline constexpr size_t k_key_text_check_size = 4;

// The first 4 bytes of BLAKE2b-256 of `body`, appended to it before base64.
Bytes key_text_check(ByteView body);

// A key given as its text (starting with `prefix`, like "kaappi-pk1:") or as
// the name of a file holding it: the text. A file that is not there is
// ErrorKind::not_found, naming `input` (the option it came from).
std::string key_text_or_file(const std::string& text_or_path, std::string_view prefix, const Field& input);

}  // namespace kaappi
