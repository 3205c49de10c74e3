// index_rows.h — the rows of the archive index and the canonical encoding
// their signatures cover.
//
// Every authenticated row carries a global sequence number `seq` and an
// Ed25519 signature `sig` over its canonical encoding (docs/FORMAT.md,
// "Row signatures"): "kaappi-row-v1", the archive id, the table name, then
// each column as a tagged, length-prefixed value, seq included. Which columns
// and how each is encoded is described once per table in signed_tables.h;
// inserting and verifying both use signing_bytes() from there, so they cannot
// disagree.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace kaappi {

class Canonical {
 public:
  Canonical(std::string_view table, const Bytes& archive_id);
  Canonical& add(std::int64_t v);
  Canonical& add(std::string_view v);
  Canonical& add(ByteView v);
  const Bytes& bytes() const { return m_bytes; }

 private:
  Bytes m_bytes;
};

struct SignedFields {
  std::int64_t seq = 0;
  Bytes sig;
};

struct ArchiveRow : SignedFields {
  std::int64_t id = 1;  // the table's one row
  Bytes archive_id;
  std::int64_t format_version = 1;
  Bytes box_pk, sign_pk;
  std::int64_t created_at = 0;
};

struct CustomerRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  Bytes number_tag;  // blind index of the customer number
  std::int64_t created_at = 0;
};

// One version of a customer's fields; each value sealed by FieldCipher.
struct CustomerVersionRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t customer_id = 0;
  std::int64_t version = 1;
  std::int64_t recorded_at = 0;
  Bytes number, name, business_id, email, phone, address;
  Bytes details;  // sealed JSON: the other register fields, feedback, who and why
  Bytes search;   // sealed folded text searched by customer list --search
};

struct DocumentRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t customer_id = 0;  // 0: taken in without a customer (NULL in the table)
  std::string kind;
  std::int64_t pages = 0;
  std::int64_t plain_size = 0;
  std::int64_t blob_size = 0;
  Bytes blob_hash;
  Bytes sealed_key;
  Bytes content_tag;
  Bytes meta;  // sealed JSON: DocumentMeta (documents/document_record.h)
  std::int64_t imported_at = 0;
  std::int64_t assigned_to = 0;  // not signed here: from a later AssignmentRow
  std::int64_t owner() const { return customer_id ? customer_id : assigned_to; }
};

// A document taken in without a customer, linked to one later (kaappi assign).
struct AssignmentRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t document_id = 0;
  std::int64_t customer_id = 0;
  std::int64_t at = 0;
};

struct ConsentEventRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t customer_id = 0;
  std::int64_t recorded_at = 0;
  Bytes event;  // sealed JSON
};

struct AccessRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t document_id = 0;
  std::int64_t at = 0;
  std::string action;
  Bytes reason;  // sealed
};

// A scanning station the key holder registered (its Ed25519 public key).
struct StationRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  Bytes name;  // sealed
  Bytes sign_pk;
  std::int64_t added_at = 0;
};

// A station's revocation: envelopes it signs are refused from then on.
struct StationRevocationRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t station_id = 0;
  std::int64_t revoked_at = 0;
};

// A deliberate restore from a backup, acknowledged by the key holder
// (kaappi accept-restore): the head this machine had seen and that the
// restored archive no longer holds.
struct RestoreRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t lost_seq = 0;
  Bytes lost_digest;
  std::int64_t at = 0;
  Bytes reason;  // sealed JSON: who and why
};

struct HeadRow {
  std::int64_t seq = 0;
  Bytes digest;  // chain over (seq, sig) of every row in seq order
  Bytes sig;
};

// The chain step: digest' = BLAKE2b-256(digest | seq | sig).
Bytes chain_digest(const Bytes& previous, std::int64_t seq, const Bytes& sig);
Bytes head_message(const Bytes& archive_id, std::int64_t seq, const Bytes& digest);

}  // namespace kaappi
