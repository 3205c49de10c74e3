// erasure.h — kaappi erase customer|document (docs/REGISTER.md, "Erasure"):
// which values make up one person or one document, what a retention hold
// keeps of them, and the erasure itself — crypto-shredding through format
// 2's mechanism (store/erasure.h): the customer's key (or the document's
// sealed key) and every sealed value of theirs set NULL under one signed
// erasures row, what a hold kept recorded as restricted in the same
// transaction, the WAL emptied, then the erased documents' blob files
// removed. The erasures row names no person: its sealed reason holds who
// erased and why, and as its subject the blind-index tag of the erased
// customer's number, so that `customer show NUMBER` can still say that the
// number's customer was erased, and when.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "register/customers.h"
#include "rights/retention.h"
#include "store/erasure.h"
#include "store/session.h"

namespace kaappi {

struct ErasurePlan {
  std::int64_t customer_id = 0;  // the customer erased, or the document's customer (0: none)
  std::int64_t document_id = 0;  // a document's erasure (0: a customer's)
  std::string subject;           // sealed with the erasure (the customer's number tag, hex)
  std::vector<ErasureTarget> targets;
  std::vector<DocumentRow> documents;  // erased: their blob files are removed
  struct Kept {
    std::int64_t document_id = 0;  // 0: the customer's own values (a hold of the customer)
    std::vector<Keeping> why;      // latest-ending first
    std::string until() const { return why.empty() ? "" : why.front().until; }
  };
  std::vector<Kept> kept;
  // What goes, counted for the summary.
  std::int64_t versions = 0, consent_events = 0, reads = 0, requests = 0;
  // Consent events of the customer that cite an erased document as their proof.
  std::vector<std::int64_t> citing_events;
  bool customer_values_erased() const { return document_id == 0 && (kept.empty() || kept.front().document_id != 0); }
};

// What erasing the customer would do (nothing changed).
ErasurePlan plan_customer_erasure(Session& session, const Customer& customer);
// What erasing one document would do (ErrorKind::not_found: no such
// document; ErrorKind::rejected: erased already).
ErasurePlan plan_document_erasure(Session& session, std::int64_t document_id);

struct ErasureOutcome {
  std::optional<ErasureRow> erasure;          // none when a hold kept everything
  std::vector<std::int64_t> blobs_left;       // erased documents whose blob file could not be removed
  std::vector<std::int64_t> blobs_removed;
  std::vector<std::string> problems;          // why a blob was left, one sentence each
};

// Checks that need no archive (a reason: ErrorKind::usage).
void check_erasure_reason(const std::string& reason);
// Carries `plan` out in one signed transaction (ErrorKind::rejected, nothing
// changed, when there is nothing to do), then removes the erased documents'
// blob files. Throws ErrorKind::partial when the WAL could not be emptied.
ErasureOutcome carry_out_erasure(Session& session, const ErasurePlan& plan, const std::string& reason);

// Kept by a hold after an erasure was asked, and no longer held: what
// kaappi retention due lists, to be erased now.
struct DueErasure {
  std::int64_t customer_id = 0;  // 0: an unassigned document
  std::string customer_number;   // empty when the customer's own values were erased
  std::int64_t document_id = 0;  // 0: the customer's own values
  std::int64_t restricted_at = 0;
  std::string held_until;        // the day the hold ended
};
// `all`: every restricted item still kept, held or not (each with `still_held`).
struct RestrictedItem : DueErasure {
  bool still_held = false;
};
std::vector<RestrictedItem> restricted_items(Session& session);

}  // namespace kaappi
