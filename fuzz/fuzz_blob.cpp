// fuzz_blob.cpp — bytes read as a blob (format/blob_format's header,
// keys/blob_reader's stream) of the fixed archive, document uid and key, so
// seeds made with them (make_seeds) reach the stream's decryption.
#include "keys/blob_reader.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaappi;
  BlobHeader header;
  std::string reason;
  if (size >= k_blob_header_size && BlobHeader::parse(ByteView(data, k_blob_header_size), header, reason) &&
      header.serialize() != Bytes(data, data + k_blob_header_size))
    std::abort();
  fuzz::expect_refusal_or_success([&] {
    Fd fd = fuzz::file_with(data, size);
    std::uint64_t plain = 0;
    BlobDigest digest = read_blob(fd.get(), fuzz::archive_public().archive_id, fuzz::document_uid(),
                                  fuzz::document_key(), [&](ByteView chunk) { plain += chunk.size(); });
    if (digest.plain_size != plain || digest.blob_size != size) std::abort();
  });
  return 0;
}
