// row_hash_lists.h — the unsigned table row_hashes (docs/FORMAT.md, "Rows a
// command decides on"): beside each transaction, the hashes of the rows it
// added, in seq order, 32 bytes a row. It lets a command check a row it
// reads against its transaction's signed `rows` without rehashing every row
// of a large transaction. Never trusted on its own: a list is used only when
// it hashes to the signed `rows`, and verify reports one that does not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"

struct sqlite3;

namespace kaappi {

// Its CREATE TABLE statement.
const char* row_hashes_ddl();

void insert_row_hash_list(sqlite3* db, std::int64_t tx, const Bytes& hashes);
// Transaction `tx`'s list as stored (nullopt: none, or not a blob).
std::optional<Bytes> row_hash_list_of(sqlite3* db, std::int64_t tx);

// What verify reports of the lists: one that is missing, that does not hash
// to its transaction's `rows`, or that names no transaction; one sentence
// each, at most 20 and then their number.
std::vector<std::string> row_hash_list_faults(sqlite3* db);

}  // namespace kaappi
