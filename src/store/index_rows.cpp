// index_rows.cpp — see index_rows.h.
#include "store/index_rows.h"

#include <sodium.h>

namespace kaappi {

Canonical::Canonical(std::string_view table, const Bytes& archive_id) {
  put_bytes(m_bytes, as_bytes("kaappi-row-v1"));
  put_bytes(m_bytes, archive_id);
  add(table);
}

Canonical& Canonical::add(std::int64_t v) {
  put_u8(m_bytes, 'i');
  put_u64(m_bytes, static_cast<std::uint64_t>(v));
  return *this;
}

Canonical& Canonical::add(std::string_view v) {
  put_u8(m_bytes, 's');
  put_u32(m_bytes, static_cast<std::uint32_t>(v.size()));
  put_bytes(m_bytes, as_bytes(v));
  return *this;
}

Canonical& Canonical::add(ByteView v) {
  put_u8(m_bytes, 'b');
  put_u32(m_bytes, static_cast<std::uint32_t>(v.size()));
  put_bytes(m_bytes, v);
  return *this;
}

Bytes chain_digest(const Bytes& previous, std::int64_t seq, const Bytes& sig) {
  Bytes msg = previous;
  put_u64(msg, static_cast<std::uint64_t>(seq));
  put_bytes(msg, sig);
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), msg.data(), msg.size(), nullptr, 0);
  return out;
}

Bytes head_message(const Bytes& archive_id, std::int64_t seq, const Bytes& digest) {
  Bytes msg;
  put_bytes(msg, as_bytes("kaappi-head-v1"));
  put_bytes(msg, archive_id);
  put_u64(msg, static_cast<std::uint64_t>(seq));
  put_bytes(msg, digest);
  return msg;
}

}  // namespace kaappi
