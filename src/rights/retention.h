// retention.h — how long documents must be kept whatever their person asks
// (docs/REGISTER.md, "Retention"): a rule per document kind (the Finnish
// Accounting Act 1336/1997, ch. 2 §10: six years from the end of the year for
// contracts and other accounting material, by default) and manual holds of
// one document or of everything of one customer until a date, with a reason.
// An erasure that meets a hold keeps what it holds (rights/erasure.h).
//
// Rules and holds are signed rows (hold_rules, holds; docs/FORMAT.md); a
// hold's reason is sealed under the archive's field key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "register/customers.h"
#include "store/session.h"

namespace kaappi {

// Where a rule's years run from: the end of the year the document was
// taken in (the Accounting Act's way), or the day it was.
const std::vector<std::string>& hold_rule_starts();  // end-of-year, imported
// The most years a rule or a hold may run.
constexpr std::int64_t k_max_hold_years = 100;

struct HoldRule {
  std::string kind;
  std::int64_t years = 0;  // 0: no rule
  std::string from = "end-of-year";
  bool is_default = true;  // kaappi's default, not set by the key holder
  std::int64_t set_at = 0;
};

// The rule of a document kind when none was set (contract: 6 years from the end of the year).
HoldRule default_hold_rule(const std::string& kind);

struct Hold {
  std::int64_t id = 0;
  std::int64_t document_id = 0;  // 0: a customer's hold
  std::int64_t customer_id = 0;  // 0: a document's hold
  std::string customer_number;   // the customer's (of the document's owner for a document's hold); empty when erased
  std::string until;
  std::int64_t at = 0;
  std::string by, reason;  // empty when erased
};

// What keeps something: the day its hold ends and why (a sentence, no personal data).
struct Keeping {
  std::string until;
  std::string why;
};

// Rules and holds as they stand, read once: what each document and customer is held by.
class Retention {
 public:
  explicit Retention(Session& session);
  // The rule in force for every document kind, in document_kinds()'s order.
  std::vector<HoldRule> rules() const;
  const HoldRule& rule(const std::string& kind) const;
  const std::vector<Hold>& holds() const { return m_holds; }
  // What holds the document (its kind's rule, a hold of it or of its
  // customer) on `today`, latest-ending first; empty: nothing.
  std::vector<Keeping> keeping_document(const DocumentRow& document, const std::string& today) const;
  // The holds of everything of the customer on `today`.
  std::vector<Keeping> keeping_customer(std::int64_t customer_id, const std::string& today) const;

 private:
  std::vector<HoldRule> m_rules;
  std::vector<Hold> m_holds;
};

// The checks that need no archive (ErrorKind::usage).
void check_hold_rule(const std::string& kind, std::int64_t years, const std::string& from);
void check_new_hold(const std::string& until, const std::string& reason, const std::string& today);

HoldRule set_hold_rule(Session& session, const std::string& kind, std::int64_t years, const std::string& from);
// A hold of one document (ErrorKind::not_found when there is none; an erased one is rejected).
Hold add_document_hold(Session& session, std::int64_t document_id, const std::string& until, const std::string& reason);
Hold add_customer_hold(Session& session, const Customer& customer, const std::string& until, const std::string& reason);

}  // namespace kaappi
