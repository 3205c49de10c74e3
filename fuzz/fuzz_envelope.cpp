// fuzz_envelope.cpp — an envelope file (format/envelope, either version: the
// seeds hold one of each): its structure, then
// what ingest checks next with the fixed archive and station keys seed
// envelopes are made with — the station's signature, the sealed metadata
// and the sealed document key opening.
#include <sodium.h>

#include "format/envelope.h"
#include "keys/blob_reader.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaappi;
  fuzz::expect_refusal_or_success([&] {
    Fd fd = fuzz::file_with(data, size);
    EnvelopeParts parts = read_envelope_parts(fd.get(), "fuzz.kenv");
    if (parts.blob_offset + parts.blob_size > size) std::abort();  // a blob outside the file
    const ArchivePublicKey& archive = fuzz::archive_public();
    if (parts.archive_id != archive.archive_id || parts.station_pk != fuzz::station().public_key() ||
        !station_signature_ok(parts.station_pk, parts.signed_message, parts.signature))
      return;
    if (!fuzz::archive_secrets().open_sealed(parts.sealed_meta)) return;
    (void)open_document_key(fuzz::archive_secrets(), parts.sealed_key);
  });
  return 0;
}
