// assignment.cpp — see documents.h (assign_document, set_document_kind).
#include "documents/documents.h"

#include "base/dates.h"
#include "base/error.h"
#include "register/customer_restriction.h"
#include "store/sealed_reason.h"

namespace kaappi {
namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string doc(std::int64_t id) { return "document " + std::to_string(id); }

// The document to correct: there, not erased, not restricted.
DocumentRow correctable(Session& session, std::int64_t id) {
  auto row = session.index().document(id);
  if (!row) fail(ErrorKind::not_found, "no " + doc(id) + " in this archive (see kaappi documents)");
  if (row->erased()) fail(ErrorKind::rejected, doc(id) + " was erased; nothing was changed");
  if (auto since = document_restricted_at(session, *row))
    fail(ErrorKind::rejected, doc(id) + " is restricted since " + date_of(*since) +
                                  " (its erasure, or its customer's, was asked while a hold keeps it): "
                                  "it is only kept, not moved nor given another kind; nothing was changed");
  return *row;
}

}  // namespace

AssignOutcome assign_document(Session& session, std::int64_t id, const Customer& customer, const std::string& reason) {
  DocumentRow row = correctable(session, id);
  AssignOutcome out;
  out.from = row.owner();
  if (out.from == customer.id)
    fail(ErrorKind::rejected, doc(id) + " already belongs to that customer; nothing was changed");
  if (auto since = customer_restricted_at(session, customer.id))
    fail(ErrorKind::rejected, "the customer is restricted since " + date_of(*since) +
                                  " (their erasure was asked while a hold keeps their record): nothing more is filed "
                                  "to them; nothing was changed");
  if (out.from != 0 && blank(reason))
    fail(ErrorKind::usage, doc(id) + " belongs to another customer: say why it is moved with " + Field{"reason"} +
                               " TEXT (kept, sealed, in its history); nothing was changed");
  Bytes content_hash;
  if (!from_hex(open_document_info(session, row).content_hash, content_hash))
    fail(ErrorKind::corrupt, doc(id) + " has unreadable metadata; run kaappi verify");
  const Bytes tag = session.content_tag(customer.id, content_hash);
  // Every twin is refused, whether its blob file is in place or not.
  const std::vector<DocumentRow> twins = session.index().documents_by_content(customer.id, tag);
  if (!twins.empty())
    fail(ErrorKind::rejected, "the customer already has this document (document " + std::to_string(twins.front().id) +
                                  "); nothing was changed");
  AssignmentRow a;
  a.uid = random_bytes(k_uid_size);
  a.document_id = id;
  a.customer_id = customer.id;
  a.at = session.now();
  a.content_tag = tag;
  // Under the document's metadata key: erased with the document, and with
  // either customer (rights/erasure.cpp); none given: an empty value.
  if (!blank(reason))
    a.reason = seal_reason(session.document_values(row), "document_assignments", a.uid,
                           SealedReason{session.actor().name, reason, {}});
  session.write([&](Index::Writer& writer) { writer.insert_assignment(a); });
  row.assigned_to = customer.id;
  row.assigned_tag = tag;
  out.row = row;
  return out;
}

void check_kind_change(const std::string& kind, const std::string& reason) {
  check_document_kind(kind);
  if (blank(reason))
    fail(ErrorKind::usage, "say why the kind is changed: " + Field{"reason"} + " TEXT (kept, sealed, in its history)");
}

KindOutcome set_document_kind(Session& session, std::int64_t id, const std::string& kind, const std::string& reason) {
  check_kind_change(kind, reason);
  DocumentRow row = correctable(session, id);
  KindOutcome out;
  out.from = row.current_kind();
  if (out.from == kind) fail(ErrorKind::rejected, doc(id) + " is already of kind " + kind + "; nothing was changed");
  DocumentKindRow k;
  k.uid = random_bytes(k_uid_size);
  k.document_id = id;
  k.kind = kind;
  k.at = session.now();
  k.reason = seal_reason(session.document_values(row), "document_kinds", k.uid,
                         SealedReason{session.actor().name, reason, {}});
  session.write([&](Index::Writer& writer) { writer.insert_kind_change(k); });
  row.changed_kind = kind;
  out.row = row;
  return out;
}

}  // namespace kaappi
