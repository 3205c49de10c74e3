// erasure.cpp — see erasure.h.
#include "store/erasure.h"

#include "base/error.h"
#include "keys/value_sealer.h"
#include "store/index.h"
#include "store/session.h"
#include "store/signed_tables.h"
#include "store/statement.h"

namespace kaappi {

Bytes encode_erased(const std::vector<ErasedValue>& values) {
  Bytes out;
  out.reserve(values.size() * k_erased_record_size);
  for (const ErasedValue& v : values) {
    put_u8(out, v.table);
    put_u64(out, static_cast<std::uint64_t>(v.row_id));
    put_u8(out, v.column);
    out.insert(out.end(), v.hash.begin(), v.hash.end());
  }
  return out;
}

std::vector<ErasedValue> decode_erased(ByteView bytes) {
  if (bytes.empty() || bytes.size() % k_erased_record_size != 0)
    fail(ErrorKind::corrupt, "its list of erased values is not whole records");
  std::vector<ErasedValue> out;
  for (std::size_t at = 0; at < bytes.size(); at += k_erased_record_size) {
    ErasedValue v;
    v.table = bytes[at];
    std::uint64_t id = 0;
    for (int i = 0; i < 8; ++i) id |= std::uint64_t{bytes[at + 1 + i]} << (8 * i);
    v.row_id = static_cast<std::int64_t>(id);
    v.column = bytes[at + 9];
    std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(at + 10), bytes.begin() + static_cast<std::ptrdiff_t>(at + 42),
              v.hash.begin());
    out.push_back(v);
  }
  return out;
}

Bytes seal_erasure_reason(const ValueSealer& sealer, const ErasureRow& row, const ErasureReason& reason) {
  return seal_reason(sealer, "erasures", row.uid, reason);
}

ErasureReason open_erasure_reason(const ValueSealer& sealer, const ErasureRow& row) {
  return open_reason(sealer, "erasures", row.uid, row.reason, "erasure row " + std::to_string(row.id));
}

std::vector<ErasedHash> ErasedValues::hashes(std::uint8_t table, std::int64_t row_id, std::size_t columns) const {
  const std::vector<ErasedValue>* listed = of_row(table, row_id);
  if (listed == nullptr) return {};
  std::vector<ErasedHash> out(columns);
  for (const ErasedValue& v : *listed)
    if (v.column < columns) out[v.column] = v.hash;
  return out;
}

ErasedValues read_erased_values(sqlite3* db) {
  ErasedValues out;
  Statement s(db, "SELECT erased FROM " + std::string(table_of<ErasureRow>().name()));
  while (s.step())
    for (const ErasedValue& v : decode_erased(s.blob())) out.add(v);
  return out;
}

ErasureRow new_erasure_row(Session& session, const std::string& reason, const std::string& subject) {
  ErasureRow r;
  r.uid = random_bytes(16);
  r.at = session.now();
  r.reason = seal_erasure_reason(session.keys().field(), r, ErasureReason{session.actor().name, reason, subject});
  return r;
}

void empty_wal_after_erasure(Session& session) {
  try {
    session.index().checkpoint_truncate();
  } catch (const Error& e) {
    fail(ErrorKind::partial, std::string("the erasure was saved, but the index's write-ahead log still holds the erased "
                                         "values until the next command that writes: ") +
                                 e.what());
  }
}

ErasureRow erase_values(Session& session, const std::vector<ErasureTarget>& targets, const std::string& reason) {
  ErasureRow row = new_erasure_row(session, reason, "");
  session.write([&](Index::Writer& w) { w.erase(targets, row); });
  empty_wal_after_erasure(session);
  return row;
}

std::optional<ErasureRow> erasure_of(const Index& index, std::string_view table, std::int64_t row_id,
                                     std::string_view column) {
  std::optional<std::uint8_t> table_code, column_code;
  for_each_signed_table([&](const auto& t) {
    if (t.name() != table) return;
    table_code = static_cast<std::uint8_t>(t.code());
    const auto& columns = t.columns();
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (column == columns[c].name) column_code = static_cast<std::uint8_t>(c);
  });
  if (!table_code || !column_code) return std::nullopt;
  std::optional<ErasureRow> found;
  const auto [first, last] = index.id_range<ErasureRow>();
  index.each<ErasureRow>(
      [&](const ErasureRow& e) {
        if (found) return;
        for (const ErasedValue& v : decode_erased(e.erased))
          if (v.table == *table_code && v.row_id == row_id && v.column == *column_code) {
            found = e;
            return;
          }
      },
      first, last);
  return found;
}

}  // namespace kaappi
