// format1.h — what format 1 signed (docs/FORMAT.md, "Row signatures"), kept
// for the two readers of format-1 archives: kaappi upgrade, which checks every
// format-1 row signature, the chain and the signed head (and that the
// archive continues the head this machine remembers) before it turns the
// archive into format 2 under one new signature, and keyless verify, which
// runs the same check on a copy (format1_read.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "store/index_rows.h"

struct sqlite3;

namespace kaappi {

// "kaappi-row-v1" ‖ archive id ‖ table name, then each signed column as a
// tagged, length-prefixed value (SignedTable::format1_signing_bytes).
class Format1Canonical {
 public:
  Format1Canonical(std::string_view table, const Bytes& archive_id);
  Format1Canonical& add(std::int64_t v);
  Format1Canonical& add(std::string_view v);
  Format1Canonical& add(ByteView v);
  const Bytes& bytes() const { return m_bytes; }

 private:
  Bytes m_bytes;
};

// The chain step: digest' = BLAKE2b-256(digest | seq | sig).
Bytes format1_chain_digest(const Bytes& previous, std::int64_t seq, const Bytes& sig);
// What the format-1 head's signature covers.
Bytes format1_head_message(const Bytes& archive_id, std::int64_t seq, const Bytes& digest);

struct Format1Head {
  std::int64_t seq = 0;
  Bytes digest;
};

// Renames restores.lost_seq to lost_tx, the name the check (and format 2)
// reads; in a transaction that upgrades, or in a copy that is only checked.
void name_restores_column_as_format2(sqlite3* db);

// The check of a format-1 index (schema version 3 or 4, restores' column
// already named lost_tx) before its upgrade: every row's signature, the
// sequence numbers 1..head without gaps, the chain to the signed head, and,
// when `remembered` is given, whether that head is part of the chain.
struct Format1Check {
  Format1Head head;
  Bytes archive_id, sign_pk;
  std::vector<std::string> problems;  // empty: intact
  bool remembered_in_chain = false;
  std::vector<DocumentRow> documents;  // as stored: what keyless verify checks the blobs against
};
Format1Check check_format1_index(sqlite3* db, const std::optional<Format1Head>& remembered);

}  // namespace kaappi
