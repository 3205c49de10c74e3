// envelope_blob.cpp — see envelope_blob.h.
#include "intake/envelope_blob.h"

#include <vector>

#include "base/error.h"
#include "base/word_list.h"
#include "keys/blob_reader.h"

namespace kaappi {

BlobDigest take_blob(Session& session, const EnvelopeInfo& info, AtomicFile& blob, int plain_fd,
                     SecretBuffer& document_key) {
  // The very file inspect_envelope() checked (read at offsets only), not one opened again by its name.
  if (!info.fd.valid()) fail(ErrorKind::internal, "take_blob: the envelope is not held open");
  try {
    document_key = open_document_key(session.secrets(), info.parts.sealed_key);
    const SecretBuffer& doc_key = document_key;
    const BlobSpan span{info.parts.blob_offset, info.parts.blob_size, [&](ByteView bytes) { blob.write(bytes); }};
    return read_blob(
        info.fd.get(), session.archive().archive_id(), info.parts.uid, doc_key,
        [&](ByteView plain) { write_full(plain_fd, plain.data(), plain.size(), "the decrypted scan"); }, {},
        info.parts.version == EnvelopeVersion::v1 ? AlsoFormat1::yes : AlsoFormat1::no, ContentHash::yes, &span);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::io) throw;
    fail(ErrorKind::rejected, base_name(info.path) + " does not decrypt: " + e.what());
  }
}

void check_signed_summary(const EnvelopeInfo& info, const BlobDigest& actual, const std::string& envelope) {
  Bytes signed_content;
  from_hex(info.content_hash, signed_content);
  const bool v1 = info.parts.version == EnvelopeVersion::v1;
  std::vector<std::string> wrong;
  if ((v1 ? actual.blob_hash_v1 : actual.blob_hash) != info.parts.blob_hash) wrong.push_back("the encrypted file's hash");
  if ((v1 ? actual.content_hash_v1 : actual.content_hash) != signed_content) wrong.push_back("the scan's hash");
  if (actual.plain_size != info.plain_size) wrong.push_back("the scan's size");
  if (!wrong.empty())
    fail(ErrorKind::rejected, envelope + " does not match what its station signed about it (" + comma_list(wrong) +
                                  "): it was sealed wrongly or altered; it was not taken in and nothing was removed");
}

}  // namespace kaappi
