// fuzz_public_key.cpp — the archive's public-key text (format/public_key,
// format/key_text): what parses prints back as text that parses the same.
#include "format/public_key.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kaappi::fuzz::expect_refusal_or_success([&] {
    auto key = kaappi::ArchivePublicKey::from_text(std::string_view(reinterpret_cast<const char*>(data), size));
    auto again = kaappi::ArchivePublicKey::from_text(key.to_text());
    if (again.archive_id != key.archive_id || again.box_pk != key.box_pk || again.sign_pk != key.sign_pk) std::abort();
  });
  return 0;
}
