// document_changes.cpp — see documents.h (document_changes).
#include <algorithm>
#include <map>

#include "base/error.h"
#include "documents/documents.h"
#include "store/erasure.h"
#include "store/sealed_reason.h"

namespace kaappi {
namespace {

class Customers {
 public:
  explicit Customers(Session& session) : m_session(session) {}
  CustomerRef ref(std::int64_t id) {
    CustomerRef out;
    out.id = id;
    if (id == 0) return out;
    auto found = m_known.find(id);
    if (found != m_known.end()) return found->second;
    if (m_session.customer_erased(id)) {
      out.erased = true;
    } else {
      try {
        if (auto c = customer_by_id(m_session, id)) out.number = c->number();
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        out.erased = true;
      }
    }
    m_known.emplace(id, out);
    return out;
  }

 private:
  Session& m_session;
  std::map<std::int64_t, CustomerRef> m_known;
};

}  // namespace

const char* change_name(DocumentChange::What what) {
  switch (what) {
    case DocumentChange::What::imported: return "imported";
    case DocumentChange::What::assigned: return "assigned";
    case DocumentChange::What::moved: return "moved";
    case DocumentChange::What::kind_changed: return "kind-changed";
    case DocumentChange::What::erased: return "erased";
  }
  return "";
}

std::vector<DocumentChange> document_changes(Session& session, std::int64_t id) {
  Index& index = session.index();
  auto row = index.document(id);
  if (!row) fail(ErrorKind::not_found, "no document " + std::to_string(id) + " in this archive (see kaappi documents)");
  Customers customers(session);
  std::optional<ValueSealer> sealer;
  if (!row->erased()) sealer.emplace(session.document_values(*row));
  // Who and why, under the document's key; not when none was given or it is gone.
  auto open = [&](DocumentChange& c, const char* table, const Bytes& uid, const Bytes& sealed, const std::string& name) {
    if (sealed.empty() || !sealer) {
      c.reason_erased = !sealed.empty();  // the document's key is gone
      return;
    }
    SealedReason r = open_reason(*sealer, table, uid, sealed, name);
    c.by = r.by;
    c.reason = r.reason;
  };

  std::vector<DocumentChange> out;
  DocumentChange imported;
  imported.what = DocumentChange::What::imported;
  imported.seq = row->seq;
  imported.at = row->imported_at;
  imported.customer = customers.ref(row->customer_id);
  imported.kind = row->kind;
  if (!row->erased()) {
    DocumentInfo info = open_document_info(session, *row);
    imported.by = info.imported_by;
    imported.station = info.station;
  }
  out.push_back(imported);

  std::int64_t holder = row->customer_id;
  for (const AssignmentRow& a : index.assignments(id)) {
    DocumentChange c;
    c.what = holder == 0 ? DocumentChange::What::assigned : DocumentChange::What::moved;
    c.seq = a.seq;
    c.at = a.at;
    c.customer = customers.ref(a.customer_id);
    c.from_customer = customers.ref(holder);
    open(c, "document_assignments", a.uid, a.reason, "document assignment " + std::to_string(a.id));
    if (a.reason.empty() && erasure_of(index, "document_assignments", a.id, "reason")) c.reason_erased = true;  // with a customer
    holder = a.customer_id;
    out.push_back(c);
  }
  std::string kind = row->kind;
  for (const DocumentKindRow& k : index.kind_changes(id)) {
    DocumentChange c;
    c.what = DocumentChange::What::kind_changed;
    c.seq = k.seq;
    c.at = k.at;
    c.kind = k.kind;
    c.from_kind = kind;
    open(c, "document_kinds", k.uid, k.reason, "document kind change " + std::to_string(k.id));
    if (k.reason.empty()) c.reason_erased = true;  // NULL only when erased
    kind = k.kind;
    out.push_back(c);
  }
  if (row->erased())
    if (auto e = erasure_of(index, "documents", id, "sealed_key")) {
      DocumentChange c;
      c.what = DocumentChange::What::erased;
      c.seq = e->seq;
      c.at = e->at;
      try {
        ErasureReason r = open_erasure_reason(session.keys().field(), *e);
        c.by = r.by;
        c.reason = r.reason;
      } catch (const Error& err) {
        if (err.kind() != ErrorKind::corrupt) throw;
      }
      out.push_back(c);
    }
  std::stable_sort(out.begin(), out.end(), [](const DocumentChange& a, const DocumentChange& b) { return a.seq < b.seq; });
  return out;
}

}  // namespace kaappi
