// document_history.h — the documents and their assignments replayed in
// sequence order (the order their rows were signed): which customer held
// each document when, and each time a document was added or assigned while
// another held what it holds (docs/FORMAT.md, "Index" and "Rows a command
// decides on"). A document's customer is that of its latest assignment (of
// a scan taken in without one, or a move of a mis-filed one), else its own;
// its duplicate tag likewise. Used by
// verify (verify/decision_check.h) and by the upgrade from format 1, which
// marks the twins format 1 stored (store/format2_documents.h).
//
// Pure: it reads nothing. One thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "store/index_rows.h"

namespace kaappi {

// The document with this id among `documents` (in id order), if any.
const DocumentRow* find_document(const std::vector<DocumentRow>& documents, std::int64_t id);

// The one rule of `twin_of` (docs/FORMAT.md, "Index"): of the documents that
// hold what a document stored again holds (the same content for its
// customer, or the same envelope), the one it names: the lowest id. The
// writers (documents/document_copies.h) name it, and the replay below
// expects it (Twice::first). `ids` is not empty.
std::int64_t twin_for(const std::vector<std::int64_t>& ids);

class DocumentHistory {
 public:
  // A document added or assigned while another one held what it holds.
  struct Twice {
    enum class Same { content, envelope };
    Same same = Same::content;
    std::int64_t first = 0;     // the document that held it (twin_for of those that held it)
    std::int64_t second = 0;    // the one added or assigned then
    std::int64_t holders = 1;   // how many documents held it then
    std::int64_t customer = 0;  // whose (0: unassigned); for Same::envelope, the second one's
    bool assigned = false;      // the second came by an assignment
  };

  // An assignment that gave a document the customer it already had (assign
  // refuses that).
  struct Unchanged {
    std::int64_t assignment = 0;
    std::int64_t document = 0;
    std::int64_t customer = 0;
  };

  // `documents` in id order (Index::documents), kept by reference: it must
  // outlive this. Rows that name no document are left out (verify's link
  // check reports them), as are assignments before their document.
  DocumentHistory(const std::vector<DocumentRow>& documents, const std::vector<AssignmentRow>& assignments);

  // The customer (0: none) document `id` had just before the row with
  // sequence number `seq` was added: that of its latest assignment with a
  // lower seq, else its own. nullopt when there is no such document or
  // it was added after that row.
  std::optional<std::int64_t> customer_before(std::int64_t id, std::int64_t seq) const;

  // Every time a document was added or assigned while another held the
  // same duplicate tag for the same customer (an erased tag holds nothing),
  // or was added from the same envelope (blob uid and blob hash) as another.
  const std::vector<Twice>& twice() const { return m_twice; }
  const std::vector<Unchanged>& unchanged() const { return m_unchanged; }

  // The document with this id, if any.
  const DocumentRow* document(std::int64_t id) const { return find_document(m_documents, id); }

 private:
  struct Change {
    std::int64_t document = 0;
    std::int64_t seq = 0;
    std::int64_t customer = 0;
  };
  const std::vector<DocumentRow>& m_documents;
  std::vector<Change> m_assignments;  // by document, then seq
  std::vector<Twice> m_twice;
  std::vector<Unchanged> m_unchanged;
};

}  // namespace kaappi
