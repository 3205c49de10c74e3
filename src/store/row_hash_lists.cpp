// row_hash_lists.cpp — see row_hash_lists.h.
#include "store/row_hash_lists.h"

#include <algorithm>

#include "base/sha256.h"
#include "store/statement.h"

namespace kaappi {

const char* row_hashes_ddl() {
  return "CREATE TABLE row_hashes(tx INTEGER PRIMARY KEY, hashes BLOB NOT NULL) STRICT";
}

void insert_row_hash_list(sqlite3* db, std::int64_t tx, const Bytes& hashes) {
  Statement(db, "INSERT INTO row_hashes(tx, hashes) VALUES (?, ?)").bind(tx).bind(hashes).run();
}

std::optional<Bytes> row_hash_list_of(sqlite3* db, std::int64_t tx) {
  Statement s(db, "SELECT hashes FROM row_hashes WHERE tx = ? AND typeof(hashes) = 'blob'");
  s.bind(tx);
  if (!s.step()) return std::nullopt;
  return s.blob();
}

std::vector<std::string> row_hash_list_faults(sqlite3* db) {
  constexpr std::size_t k_most = 20;
  std::vector<std::string> out;
  std::size_t more = 0;
  auto add = [&](std::string fault) {
    if (out.size() < k_most) out.push_back(std::move(fault));
    else ++more;
  };
  auto change = [](std::int64_t tx) { return "the row hashes kept beside change " + std::to_string(tx); };
  // Both in tx order, walked side by side.
  Statement txs(db, "SELECT tx, rows FROM transactions ORDER BY tx");
  Statement lists(db, "SELECT tx, hashes, typeof(hashes) = 'blob' FROM row_hashes ORDER BY tx");
  struct {
    bool there = false;
    std::int64_t tx = 0;
    Bytes hashes;
    bool is_blob = false;
  } list;
  auto next_list = [&] {
    list.there = lists.step();
    if (!list.there) return;
    list.tx = lists.i64();
    list.hashes = lists.blob();
    list.is_blob = lists.i64() != 0;
  };
  auto stray = [&] { add("row hashes are kept for change " + std::to_string(list.tx) + ", which the index does not hold"); };
  next_list();
  while (txs.step()) {
    const std::int64_t tx = txs.i64();
    const Bytes rows = txs.blob();
    for (; list.there && list.tx < tx; next_list()) stray();
    if (!list.there || list.tx != tx) {
      add(change(tx) + " are missing");
      continue;
    }
    const Sha256Digest h = sha256(list.hashes);
    if (!list.is_blob || list.hashes.size() % k_sha256_size != 0 ||
        !std::equal(h.begin(), h.end(), rows.begin(), rows.end()))
      add(change(tx) + " do not match the rows it signed");
    next_list();
  }
  for (; list.there; next_list()) stray();
  if (more > 0) out.push_back("and " + std::to_string(more) + " more row hash lists like these");
  return out;
}

}  // namespace kaappi
