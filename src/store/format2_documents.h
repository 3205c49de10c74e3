// format2_documents.h — part of the upgrade from format 1 (docs/FORMAT.md,
// "Upgrade from format 1", step 2), run inside its transaction after format
// 1's checks and before format2_keys_upgrade: the documents table gains
// blob_uid (= uid: a format-1 blob's header holds its document's uid), and
// every blob is hashed anew with format 2's file hash. Each blob file is read
// (never written) and decrypted with its document key: its format-1 BLAKE2b
// hash must be the one its signed row holds (what vouches for it), then
// documents.blob_hash becomes format 2's blob hash. The format-2 content
// hashes are returned, for the keys upgrade to record in each document's
// metadata (with the format-1 one as content_hash_v1) and to make the
// duplicate tags from. After that, each second copy names its twin.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/bytes.h"
#include "keys/key_file.h"

struct sqlite3;

namespace kaappi {

struct RehashedContent {
  Bytes content_hash;     // format 2's content hash of the plaintext
  Bytes content_hash_v1;  // format 1's BLAKE2b-256 of it, as the blob decrypted now
};

// By document id. A blob that is missing, not of its signed size, that does
// not decrypt or whose BLAKE2b hash is not its row's refuses the upgrade
// (ErrorKind::corrupt, naming the document; nothing is changed).
std::map<std::int64_t, RehashedContent> upgrade_format1_documents(sqlite3* db, const Bytes& archive_id,
                                                                  const UnlockedKey& key,
                                                                  const std::string& archive_root);

// After the keys upgrade (the duplicate tags made anew, assignments' too):
// each document that format 1 stored while another of its customer (or
// another unassigned one) held the same content names, as its twin, the
// one a duplicate lookup then found (store/document_history.h). Import and
// ingest stored one again only while that one's blob file was not in
// place, and format 1 recorded no twin; its signatures are what vouch for
// the rows. An assignment's twin is not marked: assign refused every twin.
void mark_format1_twins(sqlite3* db);

}  // namespace kaappi
