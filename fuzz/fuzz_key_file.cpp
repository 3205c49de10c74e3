// fuzz_key_file.cpp — the key file's text (keys/key_file): parse only; the
// passphrase KDF it names is never run.
#include "keys/key_file.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kaappi::fuzz::expect_refusal_or_success([&] {
    auto key = kaappi::KeyFile::parse(std::string(reinterpret_cast<const char*>(data), size), "fuzz.key");
    (void)key.kdf_description();
    (void)key.is_example_key();
    if (kaappi::KeyFile::parse(key.serialize(), "again").key_id() != key.key_id()) std::abort();
  });
  return 0;
}
