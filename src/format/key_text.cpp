// key_text.cpp — see key_text.h.
#include "format/key_text.h"

#include <sodium.h>

namespace kaappi {

Bytes key_text_check(ByteView body) {
  Bytes h(crypto_generichash_BYTES);
  crypto_generichash(h.data(), h.size(), body.data(), body.size(), nullptr, 0);
  h.resize(k_key_text_check_size);
  return h;
}

}  // namespace kaappi
