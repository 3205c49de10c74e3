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
//   envelope (blob uid and blob hash) another document was, unless its row
//   names that one as its twin (import and ingest store one again, and say
//   so, only while no document holding it has its blob file in place); such
//   copies are listed as notes (verify cannot know whether a file was in
//   place then). Each access log row names the customer the document had
//   when it was read (moves counted). No assignment gives a document the
//   customer it already had.
// - with the key (the events' corrections, which sealed_fields_check reads
//   as it opens them): each event is corrected (or retracted) at most once,
//   by a later event of the same customer.
//
// Runs on verify's thread; the access log is streamed on both cores
// (verify/table_stream.h), never held whole.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/document_history.h"
#include "verify/verifier.h"

namespace kaappi {

struct VerifyContext;

// The problem a Twice is, or nullopt when it is excused: the second
// document's row names the first as its twin (`twin_of`: import or ingest
// found it, and its blob file was not in place, so it rightly stored the
// second). An assignment is never excused: assign refuses every twin.
std::optional<Problem> twice_problem(const DocumentHistory::Twice& twice, std::int64_t twin_of);

// The problem an assignment to the customer the document already had is.
Problem unchanged_problem(const DocumentHistory::Unchanged& unchanged);

// The notes on the documents stored again beside another holding the same
// content or envelope (the Twices twice_problem excuses), one per document
// named as a twin: kaappi stores such a copy only when no document holding it
// has its blob file in place, which verify cannot check after the fact; the
// key holder sees the copies, and those stored while an earlier copy stood.
std::vector<std::string> copies_notes(std::vector<DocumentHistory::Twice> stored_again);

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
