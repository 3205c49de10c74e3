// decision_check.h — what verify checks of the decisions commands made on a
// row's absence (docs/FORMAT.md, "Rows a command decides on"). A command
// that writes checks every row it reads, but not a row it did not find:
// someone with write access to the folder can hide a row from a lookup by
// changing the column it is looked up by, let the key holder run an
// ordinary command, and put the row back. What such a decision leaves is
// checked here, by replaying the signed rows in sequence order:
//
// - keyless: no document is added (import, ingest) or assigned while
//   another one of the same customer (or, without a customer, another
//   unassigned one) holds the same duplicate tag, nor taken in from the
//   envelope (blob uid and blob hash) another document was; import and
//   ingest store one again only while the first one's blob file is not in
//   place, so a pair is excused while it is not. Each access log row names
//   the customer the document had when it was read.
// - with the key (the events' corrections, which sealed_fields_check reads
//   as it opens them): each event is corrected (or retracted) at most once,
//   by a later event of the same customer.
//
// One thread; the access log is streamed (both cores), never held.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "store/index_rows.h"
#include "verify/verifier.h"

namespace kaappi {

struct VerifyContext;

// The documents and their assignments replayed in sequence order.
class DocumentHistory {
 public:
  // A document added or assigned while another one held what it holds.
  struct Twice {
    enum class Same { content, envelope };
    Same same = Same::content;
    std::int64_t first = 0;     // the document that held it (the lowest id: the one a lookup finds)
    std::int64_t second = 0;    // the one added or assigned then
    std::int64_t customer = 0;  // whose (0: unassigned); for Same::envelope, the second one's
    bool assigned = false;      // the second came by an assignment (assign refuses every twin)
  };

  // `documents` in id order (Index::documents), kept by reference: it must
  // outlive this. Rows that name no document are left out (verify's link
  // check reports them).
  DocumentHistory(const std::vector<DocumentRow>& documents, const std::vector<AssignmentRow>& assignments);

  // The customer (0: none) document `id` had just before the row with
  // sequence number `seq` was added: that of its latest assignment with a
  // lower seq, else its own. nullopt when there is no such document or it
  // was added after that row.
  std::optional<std::int64_t> customer_before(std::int64_t id, std::int64_t seq) const;

  // Every time a document was added or assigned while another held the
  // same duplicate tag for the same customer, or was added from the same
  // envelope (blob uid and blob hash) as another; erased tags hold nothing.
  const std::vector<Twice>& twice() const { return m_twice; }

  // The document with this id, if any.
  const DocumentRow* document(std::int64_t id) const;

 private:
  struct Change {
    std::int64_t document = 0;
    std::int64_t seq = 0;
    std::int64_t customer = 0;
  };
  const std::vector<DocumentRow>& m_documents;
  std::vector<Change> m_assignments;  // by document, then seq
  std::vector<Twice> m_twice;
};

// The problem a Twice is, or nullopt when it is excused: the first
// document's blob file was not in place (`first_in_place` false), so import
// or ingest rightly stored the second.
std::optional<Problem> twice_problem(const DocumentHistory::Twice& twice, bool first_in_place);

// The problem when an access log row does not name the customer its
// document had when it was read.
std::optional<Problem> access_problem(const DocumentHistory& history, const AccessRow& row);

// A consent event that corrects (or retracts) another, as its sealed event says.
struct Correction {
  std::int64_t event = 0;
  std::int64_t customer = 0;
  std::int64_t corrects = 0;
};

// The problems of the corrections: an event corrected more than once, or a
// correction of an event that is not an earlier one of the same customer.
// `customers`: the customer of each event a correction names (an event not
// in it does not exist).
std::vector<Problem> correction_problems(std::vector<Correction> corrections,
                                         const std::map<std::int64_t, std::int64_t>& customers);

// Keyless: the documents stored twice and the access log's customers (c.documents already read).
void check_decisions(VerifyContext& c);
// With the key: the corrections gathered as the consent events were opened.
void check_corrections(VerifyContext& c, std::vector<Correction> corrections);

}  // namespace kaappi
