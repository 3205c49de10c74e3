// format1_read.h — reading a format-1 index for keyless verify, which must
// not write anything: the index file is read in one read transaction and
// copied into memory (SQLite's backup), and only the copy is brought to the
// layout the format-1 check reads (the upgrade's steps that need no key,
// restores' column renamed) and checked (format1.h). The file itself is
// opened as every reader opens it: SQLite makes and removes its WAL and
// shared-memory files, and writes nothing into the index.
#pragma once

#include <optional>
#include <string>

#include "store/format1.h"

namespace kaappi {

// Throws (corrupt) when the index is not of a format-1 layout.
Format1Check read_format1_index(const std::string& index_path, const std::optional<Format1Head>& remembered);

}  // namespace kaappi
