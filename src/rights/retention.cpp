// retention.cpp — see retention.h.
#include "rights/retention.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "base/error.h"
#include "documents/document_record.h"
#include "format/blob_format.h"
#include "store/sealed_reason.h"

namespace kaappi {
namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string year_end(std::int64_t seconds, std::int64_t years) {
  const std::string date = date_of(seconds);
  return std::to_string(std::stoi(date.substr(0, 4)) + years) + "-12-31";
}

// The day a rule stops holding a document taken in at `imported_at`.
std::string rule_until(const HoldRule& rule, std::int64_t imported_at) {
  if (rule.from == "imported") return add_months(date_of(imported_at), static_cast<int>(rule.years * 12));
  return year_end(imported_at, rule.years);
}

std::string customer_number_of(Session& session, std::int64_t customer_id) {
  try {
    if (auto c = customer_by_id(session, customer_id)) return c->number();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
  }
  return "";
}

void sort_latest_first(std::vector<Keeping>& out) {
  std::stable_sort(out.begin(), out.end(), [](const Keeping& a, const Keeping& b) { return a.until > b.until; });
}

}  // namespace

const std::vector<std::string>& hold_rule_starts() {
  static const std::vector<std::string> starts{"end-of-year", "imported"};
  return starts;
}

HoldRule default_hold_rule(const std::string& kind) {
  HoldRule r;
  r.kind = kind;
  if (kind == "contract") r.years = 6;
  return r;
}

Retention::Retention(Session& session) {
  std::map<std::string, HoldRule> set;
  for (const HoldRuleRow& row : session.index().hold_rules())
    set[row.kind] = HoldRule{row.kind, row.years, row.from, false, row.at};
  for (const std::string& kind : document_kinds()) {
    auto found = set.find(kind);
    m_rules.push_back(found != set.end() ? found->second : default_hold_rule(kind));
  }
  std::map<std::int64_t, std::string> numbers;
  auto number = [&](std::int64_t customer_id) {
    auto it = numbers.find(customer_id);
    if (it == numbers.end()) it = numbers.emplace(customer_id, customer_number_of(session, customer_id)).first;
    return it->second;
  };
  for (const HoldRow& row : session.index().holds()) {
    Hold h;
    h.id = row.id;
    h.document_id = row.document_id;
    h.customer_id = row.customer_id;
    h.until = row.until;
    h.at = row.at;
    if (row.document_id != 0)
      if (auto d = session.index().document(row.document_id); d && d->owner() != 0) h.customer_number = number(d->owner());
    if (row.customer_id != 0) h.customer_number = number(row.customer_id);
    if (!row.reason.empty()) {
      SealedReason r = open_reason(session.keys().field(), "holds", row.uid, row.reason, "hold " + std::to_string(row.id));
      h.by = r.by;
      h.reason = r.reason;
    }
    m_holds.push_back(std::move(h));
  }
}

std::vector<HoldRule> Retention::rules() const { return m_rules; }

const HoldRule& Retention::rule(const std::string& kind) const {
  for (const HoldRule& r : m_rules)
    if (r.kind == kind) return r;
  static const HoldRule none;
  return none;
}

std::vector<Keeping> Retention::keeping_document(const DocumentRow& document, const std::string& today) const {
  std::vector<Keeping> out;
  const HoldRule& r = rule(document.current_kind());
  if (r.years > 0) {
    const std::string until = rule_until(r, document.imported_at);
    if (until >= today)
      out.push_back({until, "the retention rule of " + document.current_kind() + " documents (" + std::to_string(r.years) +
                                " years from " + (r.from == "imported" ? "the import" : "the end of the year") + ")"});
  }
  for (const Hold& h : m_holds) {
    if (h.until < today) continue;
    if (h.document_id == document.id)
      out.push_back({h.until, "hold " + std::to_string(h.id) + " of document " + std::to_string(document.id)});
    else if (h.customer_id != 0 && h.customer_id == document.owner())
      out.push_back({h.until, "hold " + std::to_string(h.id) + " of the customer"});
  }
  sort_latest_first(out);
  return out;
}

std::vector<Keeping> Retention::keeping_customer(std::int64_t customer_id, const std::string& today) const {
  std::vector<Keeping> out;
  for (const Hold& h : m_holds)
    if (h.customer_id == customer_id && h.until >= today)
      out.push_back({h.until, "hold " + std::to_string(h.id) + " of the customer"});
  sort_latest_first(out);
  return out;
}

void check_hold_rule(const std::string& kind, std::int64_t years, const std::string& from) {
  const auto& kinds = document_kinds();
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
    fail(ErrorKind::usage, "KIND must be one of consent-form, contract, other, not '" + kind + "'");
  if (years < 0 || years > k_max_hold_years)
    fail(ErrorKind::usage, Field{"years"} + " must be from 0 (no rule) to " + std::to_string(k_max_hold_years));
  const auto& starts = hold_rule_starts();
  if (std::find(starts.begin(), starts.end(), from) == starts.end())
    fail(ErrorKind::usage, Field{"from"} + " must be end-of-year or imported, not '" + from + "'");
}

void check_new_hold(const std::string& until, const std::string& reason, const std::string& today) {
  parse_date(until, Field{"until"});
  if (until < today) fail(ErrorKind::usage, Field{"until"} + " " + until + " has passed (today is " + today + ")");
  if (until > add_months(today, static_cast<int>(k_max_hold_years * 12)))
    fail(ErrorKind::usage, Field{"until"} + " is more than " + std::to_string(k_max_hold_years) + " years away");
  if (blank(reason))
    fail(ErrorKind::usage, "say why it is held: " + Field{"reason"} + " TEXT (kept, sealed, with the hold)");
}

HoldRule set_hold_rule(Session& session, const std::string& kind, std::int64_t years, const std::string& from) {
  check_hold_rule(kind, years, from);
  HoldRuleRow row;
  row.uid = random_bytes(k_uid_size);
  row.kind = kind;
  row.years = years;
  row.from = from;
  row.at = session.now();
  session.write([&](Index::Writer& w) { w.insert_hold_rule(row); });
  return HoldRule{kind, years, from, false, row.at};
}

namespace {

Hold insert_hold(Session& session, HoldRow row, const std::string& reason) {
  row.uid = random_bytes(k_uid_size);
  row.at = session.now();
  row.reason = seal_reason(session.keys().field(), "holds", row.uid, SealedReason{session.actor().name, reason, ""});
  session.write([&](Index::Writer& w) { w.insert_hold(row); });
  const Retention retention(session);
  for (const Hold& h : retention.holds())
    if (h.id == row.id) return h;
  fail(ErrorKind::corrupt, "the hold was saved but cannot be read back; run kaappi verify");
}

}  // namespace

Hold add_document_hold(Session& session, std::int64_t document_id, const std::string& until, const std::string& reason) {
  check_new_hold(until, reason, date_of(session.now()));
  auto d = session.index().document(document_id);
  if (!d) fail(ErrorKind::not_found, "no document " + std::to_string(document_id) + " in this archive (see kaappi documents)");
  if (d->erased())
    fail(ErrorKind::rejected, "document " + std::to_string(document_id) + " was erased; there is nothing to hold");
  HoldRow row;
  row.document_id = document_id;
  row.until = until;
  return insert_hold(session, row, reason);
}

Hold add_customer_hold(Session& session, const Customer& customer, const std::string& until, const std::string& reason) {
  check_new_hold(until, reason, date_of(session.now()));
  HoldRow row;
  row.customer_id = customer.id;
  row.until = until;
  return insert_hold(session, row, reason);
}

}  // namespace kaappi
