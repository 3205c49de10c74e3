// assignment.cpp — see documents.h (assign_document).
#include "documents/documents.h"

#include "base/error.h"

namespace kaappi {

DocumentRow assign_document(Session& session, std::int64_t id, const Customer& customer) {
  auto row = session.index().document(id);
  if (!row) fail(ErrorKind::not_found, "no document " + std::to_string(id) + " in this archive (see kaappi documents)");
  if (row->owner() != 0)
    fail(ErrorKind::rejected, "document " + std::to_string(id) + " already belongs to a customer; nothing was changed");
  Bytes content_hash;
  if (!from_hex(open_document_info(session, *row).content_hash, content_hash))
    fail(ErrorKind::corrupt, "document " + std::to_string(id) + " has unreadable metadata; run kaappi verify");
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
  session.write([&](Index::Writer& writer) { writer.insert_assignment(a); });
  row->assigned_to = customer.id;
  row->assigned_tag = tag;
  return *row;
}

}  // namespace kaappi
