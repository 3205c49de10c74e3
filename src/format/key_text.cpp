// key_text.cpp — see key_text.h.
#include "format/key_text.h"

#include <sodium.h>

#include "base/file_io.h"

namespace kaappi {

Bytes key_text_check(ByteView body) {
  Bytes h(crypto_generichash_BYTES);
  crypto_generichash(h.data(), h.size(), body.data(), body.size(), nullptr, 0);
  h.resize(k_key_text_check_size);
  return h;
}

std::string key_text_or_file(const std::string& text_or_path, std::string_view prefix, const Field& input) {
  if (text_or_path.rfind(prefix, 0) == 0) return text_or_path;
  if (!path_exists(text_or_path))
    fail(ErrorKind::not_found, Message(input) + " is neither the " + std::string(prefix) + "... text nor a file: " +
                                   text_or_path + " does not exist");
  Bytes raw = read_file(text_or_path, 4096);
  return std::string(raw.begin(), raw.end());
}

}  // namespace kaappi
