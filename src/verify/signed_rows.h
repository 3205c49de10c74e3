// signed_rows.h — verify's walk of every signed table (store/signed_tables.h),
// on both cores: each row hashed as stored (an erased value by the hash its
// erasure lists: verify/erasure_check.h), the archive row checked against
// the key, and the rules between tables checked with each row. What the
// transactions' check (verify/transaction_check.h) needs of each row is kept
// compactly, by sequence number: its hash (32 bytes) and table (1 byte) in
// a slot per sequence number for the rows an intact index holds (1 to the
// number of signed rows); a row whose sequence number lies outside those,
// or repeats one, is kept aside whole. What names a row in a problem is read
// again from the index when a problem needs it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "verify/erasure_check.h"
#include "verify/verify_context.h"

namespace kaappi {

// A signed row as a problem names it.
struct RowRef {
  std::int64_t seq = 0;
  Sha256Digest hash{};
  bool hashed = false;                  // false: the row cannot be hashed (a problem said why)
  std::uint8_t table = 0;               // position in signed_tables()
  std::array<std::int64_t, 2> label{};  // the values its table's row label names
  std::int64_t document = 0;            // the document its problems name (0: none)
};

// A signed row as the chain check walks them: where its hash is.
struct RowEntry {
  std::int64_t seq = 0;
  std::uint8_t table = 0;
  bool hashed = false;
  const Sha256Digest* hash = nullptr;
  const RowRef* aside = nullptr;  // a row kept aside: all of it
};

class SignedRows {
 public:
  // Slots for the sequence numbers 1 to `slots`.
  explicit SignedRows(std::int64_t slots);

  // Keeps a row; safe from both cores at once. Returns false when it has no
  // slot (its sequence number is outside them, or another row took it):
  // then the caller keeps it aside with add_aside (after both cores finished).
  bool add(std::int64_t seq, std::uint8_t table, bool hashed, const Sha256Digest& hash);
  void add_aside(std::vector<RowRef>& rows);
  // After the walk: orders the rows kept aside.
  void finish();

  // The rows in sequence-number order, each once (a slot's before a row
  // kept aside with its number), from a position on.
  class Cursor {
   public:
    explicit Cursor(const SignedRows& rows) : m_rows(&rows) {}
    // The next row whose sequence number is at most `limit`, if any.
    bool next(std::int64_t limit, RowEntry& out);

   private:
    const SignedRows* m_rows;
    std::int64_t m_slot = 1;  // the next slot to look at
    size_t m_aside = 0;       // the next row kept aside
  };

  // The row as a problem names it (read again from `index` for a slot's row).
  RowRef ref(const Index& index, const RowEntry& entry) const;
  std::string describe(const Index& index, const RowEntry& entry) const { return describe(ref(index, entry)); }
  std::string describe(const RowRef& r) const { return m_labels[r.table](r); }
  // The problem's name when a row of table position `table` does not match its signature.
  const char* altered(std::uint8_t table) const { return m_altered[table]; }

  // How the table at the next position names its rows (the walk, in table order).
  void add_table(std::function<std::string(const RowRef&)> label, const char* altered,
                 std::function<RowRef(const Index&, std::int64_t seq)> lookup);

 private:
  std::int64_t m_slots;
  std::vector<Sha256Digest> m_hashes;                    // by seq - 1
  std::unique_ptr<std::atomic<std::uint8_t>[]> m_kinds;  // by seq - 1: 0 empty, else 1 + table, | k_unhashed
  std::vector<RowRef> m_aside;                           // by seq, after finish()
  std::vector<std::function<std::string(const RowRef&)>> m_labels;       // by table position
  std::vector<const char*> m_altered;                                    // by table position
  std::vector<std::function<RowRef(const Index&, std::int64_t)>> m_lookups;  // by table position
};

// Walks every signed table; the documents are read into c.documents on the way.
SignedRows walk_signed_rows(VerifyContext& c, const ErasureCheck& erasures);

}  // namespace kaappi
