// sealed_value.h — the one way a value in the index is sealed and opened
// (docs/FORMAT.md: format 1's "sealed field", format 2's "sealed value"):
// nonce(24) ‖ XChaCha20-Poly1305-IETF of the value padded to a 32-byte block
// (sodium_pad), under a given key, with associated data that names the place
// — label ‖ archive id ‖ S(table) ‖ S(column) ‖ S(row uid), S = u32 length ‖
// bytes — so a value copied to another row, column, table or archive does not
// open. Format 1 labels it "kaappi-field-v1" (one archive-wide key), format 2
// "kaappi-field-v2" (the key its column names: a customer's, a document's
// metadata key or an archive key).
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"

namespace kaappi {

struct SealedValuePlace {
  std::string_view label;
  const Bytes& archive_id;
  std::string_view table;
  std::string_view column;
  ByteView row_uid;
};

Bytes seal_value(ByteView key, const SealedValuePlace& place, std::string_view value);
// Throws ErrorKind::corrupt naming table.column when the value does not open.
std::string open_value(ByteView key, const SealedValuePlace& place, ByteView sealed);

// open_value for many values of one column, each under its own key and row
// uid (the inner loop of consent list): the fixed part of the associated
// data is built once and the buffers are reused. What open() returns stays
// valid until the next call; the buffer is wiped then and on destruction.
// One per thread.
class ColumnOpener {
 public:
  ColumnOpener(std::string_view label, const Bytes& archive_id, std::string_view table, std::string_view column);
  ~ColumnOpener();
  ColumnOpener(const ColumnOpener&) = delete;
  ColumnOpener& operator=(const ColumnOpener&) = delete;
  std::string_view open(ByteView key, ByteView row_uid, ByteView sealed);

 private:
  std::string m_table, m_column;
  Bytes m_ad;
  std::size_t m_fixed;  // the part of m_ad before S(row uid)
  Bytes m_plain;
};

}  // namespace kaappi
