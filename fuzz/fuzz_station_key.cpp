// fuzz_station_key.cpp — a station's key texts (format/station_key): the
// public text `kaappi station add` is given, and the station's key file.
#include "format/station_key.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaappi;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_refusal_or_success([&] {
    Bytes pk = parse_station_public(text);
    if (parse_station_public(station_public_text(pk)) != pk) std::abort();
  });
  fuzz::expect_refusal_or_success([&] {
    const std::string path = fuzz::scratch_dir() + "/input.key";
    write_file_atomic(path, ByteView(data, size), 0600, Overwrite::yes, "fuzz");
    StationKey key = StationKey::load(path);
    ByteView message = as_bytes("a loaded key signs what it says it does");
    if (!station_signature_ok(key.public_key(), message, key.sign(message))) std::abort();
  });
  return 0;
}
