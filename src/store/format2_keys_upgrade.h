// format2_keys_upgrade.h — part of the upgrade from format 1 (docs/FORMAT.md,
// "Upgrade from format 1"), run inside its transaction after format 1's
// checks: format 2's per-customer and per-document keys. Every customer
// gets a key (its customer_keys rows are returned, to be inserted after the
// upgrade row); every value format 1 sealed under its one field key is
// opened and sealed anew under the key format 2's column names
// (keys/index_keys.h); access_log gains customer_id (the document's customer
// at the read: its own, or that of an assignment added before the read) and
// document_assignments its content_tag; documents' duplicate tags are made
// under their customer's tag key from format 2's content hash (`rehashed`,
// from format2_documents.h, which runs first), and each document's metadata
// records that hash as content_hash and format 1's as content_hash_v1.
#pragma once

#include <vector>

#include "keys/key_file.h"
#include "store/format2_documents.h"
#include "store/index_rows.h"

struct sqlite3;

namespace kaappi {

std::vector<CustomerKeyRow> upgrade_format1_keys(sqlite3* db, const Bytes& archive_id, const UnlockedKey& key,
                                                 const std::map<std::int64_t, RehashedContent>& rehashed);

}  // namespace kaappi
