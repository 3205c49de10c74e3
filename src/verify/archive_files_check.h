// archive_files_check.h — verify's check of the archive's files: every
// document's blob (keyless: its file, header and format 2's file hash,
// verify/blob_check.h; --full: decrypted, authenticated and checked against
// its row, the same check as get's and ingest's), unless an erasure named
// its key; and the folder: no blob without a row (an interrupted import's
// files are a note: the next writer rolls them back), no unexplained
// temporary file, nothing read through a link planted at blobs/.
#pragma once

#include "verify/erasure_check.h"
#include "verify/verify_context.h"

namespace kaappi {

// c.documents already read.
void check_blobs(VerifyContext& c, const ErasureCheck& erasures);
// After check_blobs (which says once that blobs/ was replaced).
void check_archive_folder(VerifyContext& c);

}  // namespace kaappi
