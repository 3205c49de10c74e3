// index_rows.h — the rows of the archive index.
//
// Every signed row carries a global sequence number `seq`; each write
// transaction adds rows with the next sequence numbers and one transaction
// row, whose Ed25519 signature covers the hashes of the rows it added and
// the transaction before it (docs/FORMAT.md, "Row hashes and transaction
// signatures"). Which columns a row has and how each is stored and hashed is
// described once per table in signed_tables.h; inserting and verifying both
// hash what it describes, so they cannot disagree.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace kaappi {

struct SignedFields {
  std::int64_t seq = 0;
};

struct ArchiveRow : SignedFields {
  std::int64_t id = 1;  // the table's one row
  Bytes archive_id;
  std::int64_t format_version = 2;
  Bytes box_pk, sign_pk;
  std::int64_t created_at = 0;
};

struct CustomerRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  Bytes number_tag;  // blind index of the customer number
  std::int64_t created_at = 0;
};

// A customer's own key (32 random bytes), wrapped under the archive's
// customer-key wrapping key: it seals the customer's versions, consent
// events and read reasons, and keys their documents' duplicate tags
// (keys/index_keys.h). Exactly one per customer.
struct CustomerKeyRow : SignedFields {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  Bytes wrapped;
};

// One version of a customer's fields; each value sealed under the customer's key.
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
  Bytes uid;       // chosen by the archive: names the blob file
  Bytes blob_uid;  // the uid in the blob's header (an envelope's uid; = uid for kaappi import)
  std::int64_t customer_id = 0;  // 0: taken in without a customer (NULL in the table)
  std::string kind;
  std::int64_t pages = 0;
  std::int64_t plain_size = 0;
  std::int64_t blob_size = 0;
  Bytes blob_hash;
  Bytes sealed_key;
  Bytes content_tag;  // duplicate tag under its customer's tag key (or the unassigned tag key)
  Bytes meta;  // sealed JSON under the document's metadata key: DocumentMeta (documents/document_record.h)
  std::int64_t imported_at = 0;
  // 0 (NULL in the table), or the document holding the same content for its
  // customer (or taken in from the same envelope) that a duplicate lookup
  // found when this one was stored, whose blob file was not in place: import
  // and ingest then store it again (docs/FORMAT.md, "Rows a command decides on").
  std::int64_t twin_of = 0;
  std::int64_t assigned_to = 0;  // not signed here: from its latest AssignmentRow (0: none)
  Bytes assigned_tag;            // that assignment's content_tag
  std::string changed_kind;      // not signed here: from its latest DocumentKindRow ("": none)
  // Its customer now (the one rule, docs/FORMAT.md "Index"): that of its
  // latest assignment (an assignment of a scan taken in without a customer,
  // or a move), else its own.
  std::int64_t owner() const { return assigned_to ? assigned_to : customer_id; }
  // Its duplicate tag now: its latest assignment's when it has one.
  const Bytes& current_tag() const { return assigned_to ? assigned_tag : content_tag; }
  // Its kind now: that of its latest kind change, else the one it was taken in as.
  const std::string& current_kind() const { return changed_kind.empty() ? kind : changed_kind; }
  // Erased (docs/FORMAT.md, "Erasure"): its key is gone (NULL, read as empty),
  // so neither its blob nor its metadata can be opened.
  bool erased() const { return sealed_key.empty(); }
};

// A document given to a customer (kaappi assign): a scan taken in without
// one, or a document moved from the customer it had (a mis-filed one). The
// latest assignment of a document decides its customer.
struct AssignmentRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t document_id = 0;
  std::int64_t customer_id = 0;
  std::int64_t at = 0;
  Bytes content_tag;  // the document's duplicate tag under the new customer's tag key
  Bytes reason;       // a move's who and why (SealedReason) under the document's metadata key; NULL: none given
};

// A document's kind changed (kaappi document set-kind); the latest decides.
struct DocumentKindRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t document_id = 0;
  std::string kind;  // the new kind
  std::int64_t at = 0;
  Bytes reason;  // who and why (SealedReason) under the document's metadata key
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
  std::int64_t customer_id = 0;  // the document's customer at the read (0: none, NULL in the table)
  std::int64_t at = 0;
  std::string action;
  Bytes reason;  // sealed under that customer's key, or the document's metadata key
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
// restored archive no longer holds (a transaction; a format-1 change number
// in a restore row written before the archive's upgrade row).
struct RestoreRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t lost_tx = 0;
  Bytes lost_digest;
  std::int64_t at = 0;
  Bytes reason;  // sealed JSON: who and why
};

// The erasure of sealed values (docs/FORMAT.md, "Erasure"): which values
// it set NULL, each with the hash its row's signed hash used (store/erasure.h
// encodes the list), when, and why (sealed under the field key).
struct ErasureRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t at = 0;
  Bytes erased;  // u8 table code ‖ u64 row id ‖ u8 column code ‖ hash(32), per value
  Bytes reason;  // sealed JSON: who and why
};

// A data subject's request (kaappi request add; docs/REGISTER.md,
// "Requests"): what the person asked for, the day it arrived and how.
struct RequestRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t customer_id = 0;
  std::string kind;      // inspection, rectification, erasure, objection
  std::string received;  // YYYY-MM-DD
  std::string channel;   // in-person, letter, email, phone
  std::int64_t at = 0;
  Bytes details;  // sealed JSON under the customer's key: who recorded it, the note
};

// What became of a request: its deadline extended (once), or closed (once).
struct RequestEventRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t request_id = 0;
  std::string action;  // extended, closed
  std::int64_t at = 0;
  Bytes details;  // sealed JSON under the request's customer's key: who, why, the handover
};

// How long documents of one kind are kept (kaappi hold rule set;
// docs/REGISTER.md, "Retention"): `years` from the end of the year of import
// (`from` = "end-of-year") or from the import date ("imported"); 0 years: no
// rule. The latest row of a kind is in force.
struct HoldRuleRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::string kind;
  std::int64_t years = 0;
  std::string from;
  std::int64_t at = 0;
};

// A manual hold (kaappi hold add) of one document or of everything of one
// customer, until a date (inclusive), with a reason.
struct HoldRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t document_id = 0;  // 0: NULL, a customer's hold
  std::int64_t customer_id = 0;  // 0: NULL, a document's hold
  std::string until;             // YYYY-MM-DD
  std::int64_t at = 0;
  Bytes reason;  // sealed JSON {"by", "reason"} under the field key
};

// What an erasure kept because a hold met it (kaappi erase): the document,
// or the customer's values, restricted — shown as such, left out of lists and
// marketing — until the hold ends, when kaappi retention due lists it.
struct RestrictionRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t customer_id = 0;  // the customer whose (or whose document's) erasure was asked; 0: NULL, an unassigned document
  std::int64_t document_id = 0;  // 0: NULL, the customer's own values were kept
  std::string until;             // YYYY-MM-DD: the day the last hold on it ends
  std::int64_t at = 0;
};

// A read of personal data by a command that shows it (rights/personal_reads.h;
// docs/REGISTER.md, "Reads of personal data"): one row per command run,
// naming every customer it showed, never one row per customer.
struct ReadRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t at = 0;
  std::string action;  // the command: "customer show", "consent list", ...
  Bytes customers;     // sealed JSON list of the customers' ids, under the field key
  Bytes reason;        // sealed JSON {"by", "reason"}: under the customer's key when it names one, else the field key
};

// A printed form (forms/form_instances.h; docs/FORMS.md): the random id its
// QR codes carry, the template it was printed with, its language, and the
// customer it was printed for (none: a blank form).
struct FormInstanceRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  Bytes instance;                // 12 random bytes (pdf/form_code.h)
  std::int64_t template_version = 0;
  std::string language;          // fi, sv, en
  std::int64_t customer_id = 0;  // 0: NULL, a blank form
  std::int64_t at = 0;
};

// The upgrade of a format-1 archive (kaappi upgrade), written once: the
// format-1 head that the archive's first format-2 transaction continues.
struct UpgradeRow : SignedFields {
  std::int64_t id = 0;
  Bytes uid;
  std::int64_t from_format = 1;
  std::int64_t old_seq = 0;
  Bytes old_digest;
  std::int64_t at = 0;
};

// One write transaction: the rows with seq up to last_seq (after the
// previous transaction's), the hash of their row hashes, the chained digest
// and its signature. The archive's head is its last transaction.
struct TransactionRow {
  std::int64_t tx = 0;
  std::int64_t last_seq = 0;
  std::int64_t at = 0;
  Bytes rows;    // H(row hashes in seq order)
  Bytes digest;  // transaction_digest (row_hash.h)
  Bytes sig;     // Ed25519(digest)
};

}  // namespace kaappi
