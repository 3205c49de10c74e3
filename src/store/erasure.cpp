// erasure.cpp — see erasure.h.
#include "store/erasure.h"

#include "base/error.h"
#include "keys/value_sealer.h"
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

ErasureRow erase_values(Session& session, const std::vector<ErasureTarget>& targets, const std::string& reason) {
  ErasureRow row = session.write([&](Index::Writer& w) {
    ErasureRow r;
    r.uid = random_bytes(16);
    r.at = session.now();
    r.reason = seal_erasure_reason(session.keys().field(), r, ErasureReason{session.actor().name, reason});
    w.erase(targets, r);
    return r;
  });
  try {
    session.index().checkpoint_truncate();
  } catch (const Error& e) {
    fail(ErrorKind::partial, std::string("the erasure was saved, but the index's write-ahead log still holds the erased "
                                         "values until the next command that writes: ") +
                                 e.what());
  }
  return row;
}

}  // namespace kaappi
