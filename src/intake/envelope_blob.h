// envelope_blob.h — an envelope's blob, as ingest takes it: copied and
// decrypted in the one read that authenticates it, and checked against what
// its station signed about it. Needs the archive's secret key (keys/).
#pragma once

#include <string>

#include "base/file_io.h"
#include "format/blob_format.h"
#include "intake/inbox.h"
#include "store/session.h"

namespace kaappi {

// Copies the envelope's blob into `blob` (a file not yet named: nothing in
// blobs/ names it before its batch is committed) in the same read that
// decrypts and authenticates it — the copy holds the very bytes that
// authenticated, whatever the envelope file does meanwhile — writing the
// plaintext to plain_fd. The blob's header must hold the envelope's uid; for
// an envelope of version 1 format 1's hashes (what its station signed) are
// made in the same pass. Throws ErrorKind::rejected when it does not decrypt.
// `document_key` receives the envelope's document key, opened.
BlobDigest take_blob(Session& session, const EnvelopeInfo& info, AtomicFile& blob, int plain_fd,
                     SecretBuffer& document_key);

// What the station signed about its scan (sizes and hashes, of its
// envelope's version) must be what the envelope carries, before anything is
// decided on its content: a duplicate too is only removed when it is what it
// says. Throws ErrorKind::rejected, naming `envelope`, when it is not.
void check_signed_summary(const EnvelopeInfo& info, const BlobDigest& actual, const std::string& envelope);

}  // namespace kaappi
