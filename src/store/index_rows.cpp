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

Bytes ArchiveRow::canonical() const {
  return Canonical("archive", archive_id)
      .add(seq).add(format_version).add(box_pk).add(sign_pk).add(created_at).bytes();
}

Bytes CustomerRow::canonical(const Bytes& a) const {
  return Canonical("customers", a).add(seq).add(id).add(uid).add(number_tag).add(created_at).bytes();
}

Bytes CustomerVersionRow::canonical(const Bytes& a) const {
  return Canonical("customer_versions", a)
      .add(seq).add(id).add(uid).add(customer_id).add(version).add(recorded_at)
      .add(number).add(name).add(business_id).add(email).add(phone).add(address).add(details).add(search)
      .bytes();
}

Bytes DocumentRow::canonical(const Bytes& a) const {
  return Canonical("documents", a)
      .add(seq).add(id).add(uid).add(customer_id).add(kind).add(pages).add(plain_size).add(blob_size)
      .add(blob_hash).add(sealed_key).add(content_tag).add(meta).add(imported_at)
      .bytes();
}

Bytes ConsentEventRow::canonical(const Bytes& a) const {
  return Canonical("consent_events", a).add(seq).add(id).add(uid).add(customer_id).add(recorded_at).add(event).bytes();
}

Bytes AccessRow::canonical(const Bytes& a) const {
  return Canonical("access_log", a).add(seq).add(id).add(uid).add(document_id).add(at).add(action).add(reason).bytes();
}

Bytes AssignmentRow::canonical(const Bytes& a) const {
  return Canonical("document_assignments", a).add(seq).add(id).add(uid).add(document_id).add(customer_id).add(at).bytes();
}

Bytes StationRow::canonical(const Bytes& a) const {
  return Canonical("stations", a).add(seq).add(id).add(uid).add(name).add(sign_pk).add(added_at).bytes();
}

Bytes StationRevocationRow::canonical(const Bytes& a) const {
  return Canonical("station_revocations", a).add(seq).add(id).add(uid).add(station_id).add(revoked_at).bytes();
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
