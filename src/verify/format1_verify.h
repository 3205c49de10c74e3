// format1_verify.h — keyless verify of a format-1 archive, one that kaappi
// upgrade has not turned into format 2 yet. It reads the archive and writes
// nothing: not the index (store/format1_read.h checks a copy in memory),
// not this machine's records. It checks what format 1 signed (every row
// signature, the sequence numbers, the chain and the signed head:
// store/format1.h), that the archive continues the format-1 head this
// machine remembers, and each document's blob (verify/blob_check.h). A
// sound one still needs kaappi upgrade; its caller says so.
#pragma once

#include <string>

#include "base/observer.h"
#include "verify/verifier.h"

namespace kaappi {

// `key`: the archive's public key; an empty archive_id stands for the index's own.
VerifyReport verify_format1_archive(const std::string& root, const ArchivePublicKey& key,
                                    const VerifyOptions& options, Observer& observer);

}  // namespace kaappi
