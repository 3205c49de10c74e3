// signed_tables.h — every signed table of the index, described once.
//
// The index builds its CREATE TABLE statements, queries, inserts and the
// rows' hashes from these descriptions, and verify walks the tables in this
// order. Adding a signed table means adding its row (index_rows.h) and its
// description here, with the next table code of docs/FORMAT.md. What a row
// hashes must never change for a released format: existing archives are
// verified with it (docs/FORMAT.md).
#pragma once

#include <tuple>

#include "store/signed_table.h"

namespace kaappi {

inline const auto& signed_tables() {
  static const auto tables = std::make_tuple(
      SignedTable<ArchiveRow>(
          "archive", 0,
          {int_column("id", "INTEGER PRIMARY KEY CHECK (id = 1)", &ArchiveRow::id, Signed::no),
           blob_column("archive_id", "BLOB NOT NULL", &ArchiveRow::archive_id, Signed::no),  // signed in the prefix
           int_column("format_version", "INTEGER NOT NULL", &ArchiveRow::format_version),
           blob_column("box_pk", "BLOB NOT NULL", &ArchiveRow::box_pk),
           blob_column("sign_pk", "BLOB NOT NULL", &ArchiveRow::sign_pk),
           int_column("created_at", "INTEGER NOT NULL", &ArchiveRow::created_at)},
          "",
          {"archive record", "archive record altered",
           "the archive's identity row does not match its signature or the key", nullptr}),
      SignedTable<CustomerRow>(
          "customers", 1,
          {int_column("id", "INTEGER PRIMARY KEY", &CustomerRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &CustomerRow::uid),
           erasable_column("number_tag", "BLOB UNIQUE", &CustomerRow::number_tag),
           int_column("created_at", "INTEGER NOT NULL", &CustomerRow::created_at)},
          "", {"customer {id}", "customer record altered", "customer row {id} does not match its signature", nullptr}),
      SignedTable<CustomerKeyRow>(
          "customer_keys", 2,
          {int_column("id", "INTEGER PRIMARY KEY", &CustomerKeyRow::id),
           int_column("customer_id", "INTEGER NOT NULL UNIQUE REFERENCES customers(id)", &CustomerKeyRow::customer_id),
           erasable_column("wrapped", "BLOB", &CustomerKeyRow::wrapped)},
          "",
          {"customer {customer_id} key", "customer record altered",
           "the key row of customer {customer_id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<CustomerVersionRow>(
          "customer_versions", 3,
          {int_column("id", "INTEGER PRIMARY KEY", &CustomerVersionRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &CustomerVersionRow::uid),
           int_column("customer_id", "INTEGER NOT NULL REFERENCES customers(id)", &CustomerVersionRow::customer_id),
           int_column("version", "INTEGER NOT NULL", &CustomerVersionRow::version),
           int_column("recorded_at", "INTEGER NOT NULL", &CustomerVersionRow::recorded_at),
           erasable_column("number", "BLOB", &CustomerVersionRow::number),
           erasable_column("name", "BLOB", &CustomerVersionRow::name),
           erasable_column("business_id", "BLOB", &CustomerVersionRow::business_id),
           erasable_column("email", "BLOB", &CustomerVersionRow::email),
           erasable_column("phone", "BLOB", &CustomerVersionRow::phone),
           erasable_column("address", "BLOB", &CustomerVersionRow::address),
           erasable_column("details", "BLOB", &CustomerVersionRow::details),
           erasable_column("search", "BLOB", &CustomerVersionRow::search)},
          "UNIQUE(customer_id, version)",
          {"customer {customer_id} version {version}", "customer record altered",
           "customer {customer_id} version {version} (row {id}) does not match its signature", nullptr}),
      SignedTable<DocumentRow>(
          "documents", 5,
          {int_column("id", "INTEGER PRIMARY KEY", &DocumentRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &DocumentRow::uid),
           blob_column("blob_uid", "BLOB NOT NULL", &DocumentRow::blob_uid, Signed::absent),
           id_or_null_column("customer_id", "INTEGER REFERENCES customers(id)", &DocumentRow::customer_id),
           text_column("kind", "TEXT NOT NULL", &DocumentRow::kind),
           int_column("pages", "INTEGER NOT NULL", &DocumentRow::pages),
           int_column("plain_size", "INTEGER NOT NULL", &DocumentRow::plain_size),
           int_column("blob_size", "INTEGER NOT NULL", &DocumentRow::blob_size),
           blob_column("blob_hash", "BLOB NOT NULL", &DocumentRow::blob_hash),
           erasable_column("sealed_key", "BLOB", &DocumentRow::sealed_key),
           erasable_column("content_tag", "BLOB", &DocumentRow::content_tag),
           erasable_column("meta", "BLOB", &DocumentRow::meta),
           int_column("imported_at", "INTEGER NOT NULL", &DocumentRow::imported_at),
           id_or_null_column("twin_of", "INTEGER REFERENCES documents(id)", &DocumentRow::twin_of, Signed::absent)},
          "",
          {"document {id}", "index entry altered",
           "the document's index row (customer, kind, size, hash or key) does not match its signature", "id"}),
      SignedTable<AssignmentRow>(
          "document_assignments", 6,
          {int_column("id", "INTEGER PRIMARY KEY", &AssignmentRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &AssignmentRow::uid),
           int_column("document_id", "INTEGER NOT NULL REFERENCES documents(id)", &AssignmentRow::document_id),
           int_column("customer_id", "INTEGER NOT NULL REFERENCES customers(id)", &AssignmentRow::customer_id),
           int_column("at", "INTEGER NOT NULL", &AssignmentRow::at),
           erasable_column("content_tag", "BLOB", &AssignmentRow::content_tag, Signed::absent),
           erasable_column("reason", "BLOB", &AssignmentRow::reason, Signed::absent)},
          "",
          {"document assignment {id}", "assignment altered",
           "the document's assignment to a customer does not match its signature", "document_id"}),
      SignedTable<ConsentEventRow>(
          "consent_events", 4,
          {int_column("id", "INTEGER PRIMARY KEY", &ConsentEventRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &ConsentEventRow::uid),
           int_column("customer_id", "INTEGER NOT NULL REFERENCES customers(id)", &ConsentEventRow::customer_id),
           int_column("recorded_at", "INTEGER NOT NULL", &ConsentEventRow::recorded_at),
           erasable_column("event", "BLOB", &ConsentEventRow::event)},
          "", {"consent event {id}", "consent event altered", "consent event {id} does not match its signature", nullptr}),
      SignedTable<AccessRow>(
          "access_log", 7,
          {int_column("id", "INTEGER PRIMARY KEY", &AccessRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &AccessRow::uid),
           int_column("document_id", "INTEGER NOT NULL REFERENCES documents(id)", &AccessRow::document_id),
           id_or_null_column("customer_id", "INTEGER REFERENCES customers(id)", &AccessRow::customer_id, Signed::absent),
           int_column("at", "INTEGER NOT NULL", &AccessRow::at),
           text_column("action", "TEXT NOT NULL", &AccessRow::action),
           erasable_column("reason", "BLOB", &AccessRow::reason)},
          "",
          {"access log entry {id}", "access log altered", "access log entry {id} does not match its signature", nullptr}),
      SignedTable<StationRow>(
          "stations", 8,
          {int_column("id", "INTEGER PRIMARY KEY", &StationRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &StationRow::uid),
           sealed_column("name", "BLOB NOT NULL", &StationRow::name),
           blob_column("sign_pk", "BLOB NOT NULL UNIQUE", &StationRow::sign_pk),
           int_column("added_at", "INTEGER NOT NULL", &StationRow::added_at)},
          "", {"station {id}", "station record altered", "station {id} does not match its signature", nullptr}),
      SignedTable<StationRevocationRow>(
          "station_revocations", 9,
          {int_column("id", "INTEGER PRIMARY KEY", &StationRevocationRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &StationRevocationRow::uid),
           int_column("station_id", "INTEGER NOT NULL UNIQUE REFERENCES stations(id)", &StationRevocationRow::station_id),
           int_column("revoked_at", "INTEGER NOT NULL", &StationRevocationRow::revoked_at)},
          "",
          {"station revocation {id}", "station record altered", "station revocation {id} does not match its signature",
           nullptr}),
      SignedTable<RestoreRow>(
          "restores", 10,
          {int_column("id", "INTEGER PRIMARY KEY", &RestoreRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &RestoreRow::uid),
           int_column("lost_tx", "INTEGER NOT NULL", &RestoreRow::lost_tx),
           blob_column("lost_digest", "BLOB NOT NULL", &RestoreRow::lost_digest),
           int_column("at", "INTEGER NOT NULL", &RestoreRow::at),
           sealed_column("reason", "BLOB NOT NULL", &RestoreRow::reason)},
          "", {"restore {id}", "restore record altered", "restore row {id} does not match its signature", nullptr}),
      SignedTable<ErasureRow>(
          "erasures", 11,
          {int_column("id", "INTEGER PRIMARY KEY", &ErasureRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &ErasureRow::uid),
           int_column("at", "INTEGER NOT NULL", &ErasureRow::at),
           blob_column("erased", "BLOB NOT NULL", &ErasureRow::erased),
           sealed_column("reason", "BLOB NOT NULL", &ErasureRow::reason)},
          "", {"erasure {id}", "erasure record altered", "erasure row {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<UpgradeRow>(
          "upgrades", 12,
          {int_column("id", "INTEGER PRIMARY KEY", &UpgradeRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &UpgradeRow::uid),
           int_column("from_format", "INTEGER NOT NULL", &UpgradeRow::from_format),
           int_column("old_seq", "INTEGER NOT NULL", &UpgradeRow::old_seq),
           blob_column("old_digest", "BLOB NOT NULL", &UpgradeRow::old_digest),
           int_column("at", "INTEGER NOT NULL", &UpgradeRow::at)},
          "", {"upgrade {id}", "upgrade record altered", "upgrade row {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<RequestRow>(
          "requests", 13,
          {int_column("id", "INTEGER PRIMARY KEY", &RequestRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &RequestRow::uid),
           int_column("customer_id", "INTEGER NOT NULL REFERENCES customers(id)", &RequestRow::customer_id),
           text_column("kind", "TEXT NOT NULL", &RequestRow::kind),
           text_column("received", "TEXT NOT NULL", &RequestRow::received),
           text_column("channel", "TEXT NOT NULL", &RequestRow::channel),
           int_column("at", "INTEGER NOT NULL", &RequestRow::at),
           erasable_column("details", "BLOB", &RequestRow::details)},
          "", {"request {id}", "request record altered", "request {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<RequestEventRow>(
          "request_events", 14,
          {int_column("id", "INTEGER PRIMARY KEY", &RequestEventRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &RequestEventRow::uid),
           int_column("request_id", "INTEGER NOT NULL REFERENCES requests(id)", &RequestEventRow::request_id),
           text_column("action", "TEXT NOT NULL", &RequestEventRow::action),
           int_column("at", "INTEGER NOT NULL", &RequestEventRow::at),
           erasable_column("details", "BLOB", &RequestEventRow::details)},
          "UNIQUE(request_id, action)",
          {"request event {id}", "request record altered", "request event {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<HoldRuleRow>(
          "hold_rules", 15,
          {int_column("id", "INTEGER PRIMARY KEY", &HoldRuleRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &HoldRuleRow::uid),
           text_column("kind", "TEXT NOT NULL", &HoldRuleRow::kind),
           int_column("years", "INTEGER NOT NULL", &HoldRuleRow::years),
           text_column("from_date", "TEXT NOT NULL", &HoldRuleRow::from),
           int_column("at", "INTEGER NOT NULL", &HoldRuleRow::at)},
          "", {"hold rule {id}", "hold record altered", "hold rule {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<HoldRow>(
          "holds", 16,
          {int_column("id", "INTEGER PRIMARY KEY", &HoldRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &HoldRow::uid),
           id_or_null_column("document_id", "INTEGER REFERENCES documents(id)", &HoldRow::document_id),
           id_or_null_column("customer_id", "INTEGER REFERENCES customers(id)", &HoldRow::customer_id),
           text_column("until", "TEXT NOT NULL", &HoldRow::until),
           int_column("at", "INTEGER NOT NULL", &HoldRow::at),
           erasable_column("reason", "BLOB", &HoldRow::reason)},
          "", {"hold {id}", "hold record altered", "hold {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<RestrictionRow>(
          "restrictions", 17,
          {int_column("id", "INTEGER PRIMARY KEY", &RestrictionRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &RestrictionRow::uid),
           id_or_null_column("customer_id", "INTEGER REFERENCES customers(id)", &RestrictionRow::customer_id),
           id_or_null_column("document_id", "INTEGER REFERENCES documents(id)", &RestrictionRow::document_id),
           text_column("until", "TEXT NOT NULL", &RestrictionRow::until),
           int_column("at", "INTEGER NOT NULL", &RestrictionRow::at)},
          "", {"restriction {id}", "hold record altered", "restriction {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<ReadRow>(
          "reads", 18,
          {int_column("id", "INTEGER PRIMARY KEY", &ReadRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &ReadRow::uid),
           int_column("at", "INTEGER NOT NULL", &ReadRow::at),
           text_column("action", "TEXT NOT NULL", &ReadRow::action),
           sealed_column("customers", "BLOB NOT NULL", &ReadRow::customers),
           erasable_column("reason", "BLOB", &ReadRow::reason)},
          "", {"read {id}", "read log altered", "read log entry {id} does not match its signature", nullptr},
          Since::format2),
      SignedTable<DocumentKindRow>(
          "document_kinds", 19,
          {int_column("id", "INTEGER PRIMARY KEY", &DocumentKindRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &DocumentKindRow::uid),
           int_column("document_id", "INTEGER NOT NULL REFERENCES documents(id)", &DocumentKindRow::document_id),
           text_column("kind", "TEXT NOT NULL", &DocumentKindRow::kind),
           int_column("at", "INTEGER NOT NULL", &DocumentKindRow::at),
           erasable_column("reason", "BLOB", &DocumentKindRow::reason)},
          "",
          {"document kind change {id}", "kind change altered",
           "the change of a document's kind does not match its signature", "document_id"},
          Since::format2),
      SignedTable<FormInstanceRow>(
          "form_instances", 20,
          {int_column("id", "INTEGER PRIMARY KEY", &FormInstanceRow::id),
           blob_column("uid", "BLOB NOT NULL UNIQUE", &FormInstanceRow::uid),
           blob_column("instance", "BLOB NOT NULL UNIQUE", &FormInstanceRow::instance),
           int_column("template", "INTEGER NOT NULL", &FormInstanceRow::template_version),
           text_column("language", "TEXT NOT NULL", &FormInstanceRow::language),
           id_or_null_column("customer_id", "INTEGER REFERENCES customers(id)", &FormInstanceRow::customer_id),
           int_column("at", "INTEGER NOT NULL", &FormInstanceRow::at)},
          "", {"form {id}", "form record altered", "printed form {id} does not match its signature", nullptr},
          Since::format2));
  return tables;
}

// The description of the table that holds `Row`.
template <typename Row>
const SignedTable<Row>& table_of() {
  return std::get<SignedTable<Row>>(signed_tables());
}

// Calls visit(table) for every signed table, in the order above.
template <typename Visit>
void for_each_signed_table(Visit&& visit) {
  std::apply([&](const auto&... table) { (visit(table), ...); }, signed_tables());
}


}  // namespace kaappi
