// row_hash.cpp — see row_hash.h.
#include "store/row_hash.h"

#include "base/error.h"

namespace kaappi {
namespace {

enum : std::uint8_t {
  k_plain_null = 0x00,
  k_plain_integer = 0x01,
  k_plain_text = 0x02,
  k_plain_blob = 0x03,
  k_sealed = 0x04,
};

void put_i64(Bytes& out, std::int64_t v) { put_u64(out, static_cast<std::uint64_t>(v)); }

std::string column_name(const RowHashInput& row, std::size_t column) {
  if (column < row.names.size() && row.names[column] != nullptr) return row.names[column];
  return "column " + std::to_string(column + 1);
}

void add_hash(Bytes& out, const Sha256Digest& h) { out.insert(out.end(), h.begin(), h.end()); }

// The column's name is made only when it is refused: this runs for every
// value of every row.
void put_length_prefixed(Bytes& out, const Bytes& bytes, const RowHashInput& row, std::size_t column) {
  if (bytes.size() > UINT32_MAX) fail(ErrorKind::corrupt, column_name(row, column) + " is too long to be signed");
  put_u32(out, static_cast<std::uint32_t>(bytes.size()));
  put_bytes(out, bytes);
}

}  // namespace

Sha256Digest sealed_value_hash(const SqlValue& value) {
  const std::uint8_t type = value.type == SqlValue::Type::blob   ? k_plain_blob
                            : value.type == SqlValue::Type::text ? k_plain_text
                                                                    : 0;
  if (type == 0) fail(ErrorKind::corrupt, "a sealed value is neither text nor a blob");
  Sha256 h;
  h.add(ByteView(&type, 1));
  h.add(value.bytes);
  return h.finish();
}

Sha256Digest row_hash(const RowHashInput& row, const std::vector<ErasedHash>& erased) {
  if (row.values.size() != row.roles.size()) fail(ErrorKind::internal, "a row hash needs one role per column");
  Bytes out;
  out.reserve(64 + 16 * row.values.size());
  put_bytes(out, as_bytes("kaappi-row-v2"));
  put_bytes(out, row.archive_id);
  put_u8(out, row.table_code);
  put_i64(out, row.seq);
  for (std::size_t c = 0; c < row.values.size(); ++c) {
    const SqlValue& v = row.values[c];
    if (v.type == SqlValue::Type::real)
      fail(ErrorKind::corrupt, column_name(row, c) + " holds a real number, which kaappi never stores");
    if (row.roles[c] == ColumnRole::sealed) {
      put_u8(out, k_sealed);
      if (v.type != SqlValue::Type::null) {
        add_hash(out, sealed_value_hash(v));
      } else if (c < erased.size() && erased[c]) {
        add_hash(out, *erased[c]);
      } else {
        fail(ErrorKind::corrupt, column_name(row, c) + " is empty (NULL) and no erasure names it");
      }
      continue;
    }
    switch (v.type) {
      case SqlValue::Type::null: put_u8(out, k_plain_null); break;
      case SqlValue::Type::integer:
        put_u8(out, k_plain_integer);
        put_i64(out, v.integer);
        break;
      case SqlValue::Type::text:
        put_u8(out, k_plain_text);
        put_length_prefixed(out, v.bytes, row, c);
        break;
      case SqlValue::Type::blob:
        put_u8(out, k_plain_blob);
        put_length_prefixed(out, v.bytes, row, c);
        break;
      case SqlValue::Type::real: break;  // refused above
    }
  }
  return sha256(out);
}

Sha256Digest transaction_digest(const TransactionDigestInput& tx) {
  Bytes out;
  out.reserve(12 + tx.archive_id.size() + 24 + 64);
  put_bytes(out, as_bytes("kaappi-tx-v2"));
  put_bytes(out, tx.archive_id);
  put_i64(out, tx.tx);
  put_i64(out, tx.last_seq);
  put_i64(out, tx.at);
  add_hash(out, tx.previous);
  add_hash(out, tx.rows);
  return sha256(out);
}

}  // namespace kaappi
