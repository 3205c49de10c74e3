// value_sealer.h — format 2's sealed values under one key (docs/FORMAT.md,
// "Hashes and keys"): the rule of keys/sealed_value.h labelled
// "kaappi-field-v2", with the key a column names — a customer's key, a
// document's metadata key or the archive's field key. A sealer either views
// a key held elsewhere (a customer key in the session's arena) or owns one
// (a document's metadata key). Thread-compatible (const methods).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/secret.h"
#include "keys/sealed_value.h"

namespace kaappi {

class ValueSealer {
 public:
  // A key held elsewhere, which must outlive the sealer, as must archive_id.
  ValueSealer(ByteView key, const Bytes& archive_id);
  // A key of its own.
  ValueSealer(SecretBuffer key, const Bytes& archive_id);

  Bytes seal(std::string_view table, std::string_view column, ByteView row_uid, std::string_view value) const;
  // Throws ErrorKind::corrupt naming table.column when the value does not open.
  std::string open(std::string_view table, std::string_view column, ByteView row_uid, ByteView sealed) const;
  ByteView key() const { return m_owned ? m_owned->bytes() : m_key; }

 private:
  std::optional<SecretBuffer> m_owned;
  ByteView m_key;
  const Bytes* m_archive_id;
};

// format 2's values of one column in bulk, each under the key its row's
// customer (or document) has: open() with that key opens what
// ValueSealer(key, archive_id).open(table, column, ...) would.
ColumnOpener format2_column_opener(const Bytes& archive_id, std::string_view table, std::string_view column);

}  // namespace kaappi
