// format1.cpp — see format1.h.
#include "store/format1.h"

#include <sodium.h>

#include <algorithm>
#include <type_traits>

#include "store/signed_tables.h"
#include "store/stored_values.h"
#include "store/statement.h"

namespace kaappi {

Format1Canonical::Format1Canonical(std::string_view table, const Bytes& archive_id) {
  put_bytes(m_bytes, as_bytes("kaappi-row-v1"));
  put_bytes(m_bytes, archive_id);
  add(table);
}

Format1Canonical& Format1Canonical::add(std::int64_t v) {
  put_u8(m_bytes, 'i');
  put_u64(m_bytes, static_cast<std::uint64_t>(v));
  return *this;
}

Format1Canonical& Format1Canonical::add(std::string_view v) {
  put_u8(m_bytes, 's');
  put_u32(m_bytes, static_cast<std::uint32_t>(v.size()));
  put_bytes(m_bytes, as_bytes(v));
  return *this;
}

Format1Canonical& Format1Canonical::add(ByteView v) {
  put_u8(m_bytes, 'b');
  put_u32(m_bytes, static_cast<std::uint32_t>(v.size()));
  put_bytes(m_bytes, v);
  return *this;
}

Bytes format1_chain_digest(const Bytes& previous, std::int64_t seq, const Bytes& sig) {
  Bytes msg = previous;
  put_u64(msg, static_cast<std::uint64_t>(seq));
  put_bytes(msg, sig);
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), msg.data(), msg.size(), nullptr, 0);
  return out;
}

Bytes format1_head_message(const Bytes& archive_id, std::int64_t seq, const Bytes& digest) {
  Bytes msg;
  put_bytes(msg, as_bytes("kaappi-head-v1"));
  put_bytes(msg, archive_id);
  put_u64(msg, static_cast<std::uint64_t>(seq));
  put_bytes(msg, digest);
  return msg;
}

namespace {

bool format1_signature_ok(const Bytes& sig, const Bytes& msg, const Bytes& sign_pk) {
  return sig.size() == crypto_sign_BYTES && sign_pk.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), sign_pk.data()) == 0;
}

struct ChainedRow {
  std::int64_t seq = 0;
  Bytes sig;
};

}  // namespace

void name_restores_column_as_format2(sqlite3* db) {
  exec_sql(db, "ALTER TABLE restores RENAME COLUMN lost_seq TO lost_tx", "cannot read the format-1 index");
}

Format1Check check_format1_index(sqlite3* db, const std::optional<Format1Head>& remembered) {
  Format1Check out;
  {
    Statement s(db, "SELECT archive_id, sign_pk FROM archive WHERE id = 1");
    if (!s.step()) fail(ErrorKind::corrupt, "the archive index has no archive row");
    out.archive_id = s.blob();
    out.sign_pk = s.blob();
  }
  std::vector<ChainedRow> chained;
  for_each_signed_table([&](const auto& table) {
    if (!table.in_format1()) return;
    // What format 1's verify required beyond the signatures: each value in
    // its storage class, each link naming a row.
    const std::string misstored = "SELECT count(*) FROM (" + misstored_rows_select(table, true) + ")";
    const std::string sig_misstored = std::string("SELECT count(*) FROM ") + table.name() + " WHERE typeof(sig) <> 'blob'";
    for (const std::string& sql : {misstored, sig_misstored}) {
      Statement count(db, sql);
      count.step();
      if (std::int64_t n = count.i64(); n > 0)
        out.problems.push_back(std::to_string(n) + " row(s) of " + table.name() +
                               " store a value otherwise than kaappi stores it, or a link to no row");
    }
    using Row = typename std::remove_cvref_t<decltype(table)>::RowType;
    Statement s(db, "SELECT " + table.column_list({}, true) + ", sig FROM " + table.name() + " ORDER BY seq");
    Row row;
    while (s.step()) {
      table.read(s, row, true);
      Bytes sig = s.blob();
      if (!format1_signature_ok(sig, table.format1_signing_bytes(row, out.archive_id), out.sign_pk))
        out.problems.push_back(table.describe(row, table.names().signature_detail));
      chained.push_back({row.seq, std::move(sig)});
      if constexpr (std::is_same_v<Row, DocumentRow>) {
        row.blob_uid = row.uid;  // format 1 names a blob by the uid in its header
        out.documents.push_back(row);
      }
    }
  });
  std::sort(chained.begin(), chained.end(), [](const ChainedRow& a, const ChainedRow& b) { return a.seq < b.seq; });
  Bytes digest(32, 0);
  std::int64_t expected = 1;
  for (const auto& r : chained) {
    if (r.seq != expected) {
      out.problems.push_back(r.seq < expected ? "sequence number " + std::to_string(r.seq) + " is used twice"
                                              : "the row with sequence number " + std::to_string(expected) +
                                                    " is missing");
      expected = r.seq;
    }
    digest = format1_chain_digest(digest, r.seq, r.sig);
    if (remembered && r.seq == remembered->seq && digest == remembered->digest) out.remembered_in_chain = true;
    expected = r.seq + 1;
  }
  {
    Statement count(db,
                    "SELECT count(*), count(*) FILTER (WHERE id = 1 AND typeof(seq) = 'integer' AND typeof(digest) = "
                    "'blob' AND typeof(sig) = 'blob') FROM head");
    count.step();
    std::int64_t rows = count.i64();
    if (rows != 1 || count.i64() != 1)
      out.problems.push_back("the head table holds " + std::to_string(rows) +
                             " row(s), where format 1 stores exactly one, with id 1 and typed values");
  }
  Statement h(db, "SELECT seq, digest, sig FROM head WHERE id = 1");
  if (!h.step()) {
    out.problems.push_back("the index has no signed head");
    return out;
  }
  out.head.seq = h.i64();
  out.head.digest = h.blob();
  Bytes sig = h.blob();
  if (!format1_signature_ok(sig, format1_head_message(out.archive_id, out.head.seq, out.head.digest), out.sign_pk))
    out.problems.push_back("the index head does not match its signature");
  else if (out.head.seq != expected - 1 || digest != out.head.digest)
    out.problems.push_back("the rows do not match the signed head");
  return out;
}

}  // namespace kaappi
