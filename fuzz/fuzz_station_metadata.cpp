// fuzz_station_metadata.cpp — the metadata a station seals into an envelope
// (JSON: file name, pages, times, the PDF summary), read where ingest reads
// it: inspect_envelope (intake/inbox, which hands it to the one bounded reader,
// format/station_metadata) on an envelope that is otherwise genuine — for this
// archive, from a registered station, correctly signed.
#include <sodium.h>

#include "format/envelope.h"
#include "intake/inbox.h"
#include "intake/stations.h"
#include "support.h"
#include "support/archive_fixture.h"

namespace {

using namespace kaappi;

test::ArchiveFixture& archive() {
  static test::ArchiveFixture fixture;
  static const Station registered =
      add_station(fixture.session(), fuzz::station().name(), station_public_text(fuzz::station().public_key()));
  (void)registered;
  return fixture;
}

// An envelope (format/envelope.h) around `meta`, as a hostile but registered
// station could write it; the blob is never opened by inspect_envelope.
Bytes envelope_with_metadata(ByteView meta) {
  Session& session = archive().session();
  const Bytes blob(k_blob_header_size + 17, 0);
  Bytes header;
  put_bytes(header, as_bytes(k_envelope_magic));
  put_u32(header, static_cast<std::uint32_t>(k_archive_id_size + k_station_pk_size + k_uid_size + k_sealed_key_size));
  put_bytes(header, session.archive().archive_id());
  put_bytes(header, fuzz::station().public_key());
  put_bytes(header, fuzz::document_uid());
  put_bytes(header, Bytes(k_sealed_key_size, 0));
  Bytes sealed(meta.size() + crypto_box_SEALBYTES);
  crypto_box_seal(sealed.data(), meta.data(), meta.size(), session.secrets().box_pk().data());
  Bytes trailer;
  put_u32(trailer, static_cast<std::uint32_t>(sealed.size()));
  put_bytes(trailer, sealed);
  put_u64(trailer, blob.size());
  put_bytes(trailer, Bytes(k_hash_size, 0));
  Bytes message;
  put_bytes(message, as_bytes("kaappi-envelope-v2"));
  put_bytes(message, header);
  put_bytes(message, trailer);
  Bytes out = header;
  put_bytes(out, blob);
  put_bytes(out, trailer);
  put_bytes(out, fuzz::station().sign(message));
  put_u32(out, static_cast<std::uint32_t>(trailer.size()));
  put_bytes(out, as_bytes(k_envelope_magic));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Session& session = archive().session();
  const std::string path = fuzz::scratch_dir() + "/input.kenv";
  write_file_atomic(path, envelope_with_metadata(ByteView(data, size)), 0600, Overwrite::yes, "fuzz");
  fuzz::expect_refusal_or_success([&] {
    (void)inspect_envelope(session, path);
  });
  return 0;
}
