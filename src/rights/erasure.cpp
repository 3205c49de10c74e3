// erasure.cpp — see erasure.h.
#include "rights/erasure.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "base/dates.h"
#include "base/error.h"
#include "base/file_io.h"
#include "consent/consent_event.h"
#include "consent/consents.h"
#include "documents/document_record.h"
#include "format/blob_format.h"
#include "rights/personal_reads.h"

namespace kaappi {
namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

const char* const k_version_columns[] = {"number", "name", "business_id", "email", "phone", "address", "details", "search"};

void target(ErasurePlan& plan, const char* table, std::int64_t row_id, const char* column, const Bytes& value) {
  if (!value.empty()) plan.targets.push_back({table, row_id, column});  // empty: NULL, erased already
}

// Each value once (a document's values and a customer's may name the same).
void drop_repeated_targets(ErasurePlan& plan) {
  std::set<std::tuple<std::string, std::int64_t, std::string>> seen;
  std::vector<ErasureTarget> kept;
  for (ErasureTarget& t : plan.targets)
    if (seen.insert({t.table, t.row_id, t.column}).second) kept.push_back(std::move(t));
  plan.targets = std::move(kept);
}

// The values of one document: its key, tag and metadata, its assignments'
// tags and reasons, its kind changes' reasons, the reasons of reads sealed under its own metadata key (no customer
// then), and the reasons of its holds that have ended.
void plan_document_values(Session& session, ErasurePlan& plan, const DocumentRow& d,
                          const std::vector<AccessRow>& reads, const std::vector<HoldRow>& holds,
                          const std::string& today) {
  target(plan, "documents", d.id, "sealed_key", d.sealed_key);
  target(plan, "documents", d.id, "content_tag", d.content_tag);
  target(plan, "documents", d.id, "meta", d.meta);
  for (const AssignmentRow& a : session.index().assignments(d.id)) {
    target(plan, "document_assignments", a.id, "content_tag", a.content_tag);
    target(plan, "document_assignments", a.id, "reason", a.reason);
  }
  for (const DocumentKindRow& k : session.index().kind_changes(d.id)) target(plan, "document_kinds", k.id, "reason", k.reason);
  // Reads sealed under the document's own key: without a customer, or after
  // its customer's erasure (while a hold kept it).
  for (const AccessRow& r : reads) {
    if (r.document_id != d.id || r.reason.empty()) continue;
    if (r.customer_id != 0 && !session.customer_erased(r.customer_id)) continue;
    target(plan, "access_log", r.id, "reason", r.reason);
    ++plan.reads;
  }
  for (const HoldRow& h : holds)
    if (h.document_id == d.id && h.until < today) target(plan, "holds", h.id, "reason", h.reason);
  plan.documents.push_back(d);
}

}  // namespace

void check_erasure_reason(const std::string& reason) {
  if (blank(reason))
    fail(ErrorKind::usage, "say why it is erased: " + Field{"reason"} +
                               " TEXT (kept, sealed, with the erasure; name no person in it)");
}

ErasurePlan plan_customer_erasure(Session& session, const Customer& customer) {
  Index& index = session.index();
  index.refuse_unless_rows_whole();
  const std::string today = date_of(session.now());
  Retention retention(session);
  ErasurePlan plan;
  plan.customer_id = customer.id;
  auto row = index.customer(customer.id);
  if (!row) fail(ErrorKind::not_found, "no customer with that number (see kaappi customer list)");
  plan.subject = number_erasure_subject(row->number_tag);

  std::vector<Keeping> customer_hold = retention.keeping_customer(customer.id, today);
  if (!customer_hold.empty()) {  // everything of theirs is held: nothing goes
    plan.kept.push_back({0, customer_hold});
    return plan;
  }
  const std::vector<AccessRow> reads = index.access_rows();
  const std::vector<HoldRow> holds = index.holds();
  std::set<std::int64_t> erased_documents;
  for (const DocumentRow& d : index.documents(customer.id)) {
    if (d.erased()) continue;
    std::vector<Keeping> why = retention.keeping_document(d, today);
    if (!why.empty()) {
      plan.kept.push_back({d.id, why});
      continue;
    }
    plan_document_values(session, plan, d, reads, holds, today);
    erased_documents.insert(d.id);
  }
  target(plan, "customers", customer.id, "number_tag", row->number_tag);
  if (auto key = index.customer_key(customer.id)) target(plan, "customer_keys", key->id, "wrapped", key->wrapped);
  for (const CustomerVersionRow& v : index.customer_versions(customer.id)) {
    const Bytes* values[] = {&v.number, &v.name, &v.business_id, &v.email, &v.phone, &v.address, &v.details, &v.search};
    for (std::size_t i = 0; i < std::size(k_version_columns); ++i)
      target(plan, "customer_versions", v.id, k_version_columns[i], *values[i]);
    ++plan.versions;
  }
  const ValueSealer sealer = session.customer_values(customer.id);
  for (const ConsentEventRow& e : index.consent_events(customer.id)) {
    if (e.event.empty()) continue;
    const ConsentEvent event = open_consent_event(sealer, e);
    if (event.document && erased_documents.count(*event.document)) plan.citing_events.push_back(e.id);
    target(plan, "consent_events", e.id, "event", e.event);
    ++plan.consent_events;
  }
  for (const AccessRow& r : reads)
    if (r.customer_id == customer.id && !r.reason.empty()) {
      target(plan, "access_log", r.id, "reason", r.reason);
      ++plan.reads;
    }
  // Reads of their data that named them alone: the reason is sealed under
  // their key (rights/personal_reads.h). The row stays: when, what, whom.
  for (const ReadRow& r : index.reads()) {
    if (r.reason.empty()) continue;
    const std::vector<std::int64_t> named = read_customers(session, r);
    if (named.size() == 1 && named.front() == customer.id) {
      target(plan, "reads", r.id, "reason", r.reason);
      ++plan.reads;
    }
  }
  std::set<std::int64_t> requests;
  for (const RequestRow& r : index.requests(customer.id)) {
    target(plan, "requests", r.id, "details", r.details);
    requests.insert(r.id);
    ++plan.requests;
  }
  for (const RequestEventRow& e : index.request_events())
    if (requests.count(e.request_id)) target(plan, "request_events", e.id, "details", e.details);
  for (const HoldRow& h : holds)
    if (h.customer_id == customer.id && h.until < today) target(plan, "holds", h.id, "reason", h.reason);
  // The moves of documents to or from them (the documents they hold now
  // went above; one moved away stays its new customer's): why it was moved
  // may speak of them. Their duplicate tags of documents moved away too.
  std::map<std::int64_t, std::int64_t> holder;  // document -> its customer so far
  for (const DocumentRow& d : index.documents()) holder[d.id] = d.customer_id;
  for (const AssignmentRow& a : index.assignments()) {
    std::int64_t& had = holder[a.document_id];
    if (had == customer.id || a.customer_id == customer.id) target(plan, "document_assignments", a.id, "reason", a.reason);
    if (a.customer_id == customer.id) target(plan, "document_assignments", a.id, "content_tag", a.content_tag);
    had = a.customer_id;
  }
  drop_repeated_targets(plan);
  return plan;
}

ErasurePlan plan_document_erasure(Session& session, std::int64_t document_id) {
  Index& index = session.index();
  index.refuse_unless_rows_whole();
  auto d = index.document(document_id);
  if (!d) fail(ErrorKind::not_found, "no document " + std::to_string(document_id) + " in this archive (see kaappi documents)");
  if (d->erased()) fail(ErrorKind::rejected, erased_document_words(session, *d) + "; nothing was changed");
  const std::string today = date_of(session.now());
  ErasurePlan plan;
  plan.document_id = document_id;
  plan.customer_id = d->owner();
  std::vector<Keeping> why = Retention(session).keeping_document(*d, today);
  if (!why.empty()) {
    plan.kept.push_back({document_id, why});
    return plan;
  }
  plan_document_values(session, plan, *d, index.access_rows(), index.holds(), today);
  drop_repeated_targets(plan);
  // The events of every customer who held it (those of an erased one went with them).
  for (const ConsentEvent& e : consent_events_citing(session, document_id)) plan.citing_events.push_back(e.id);
  return plan;
}

ErasureOutcome carry_out_erasure(Session& session, const ErasurePlan& plan, const std::string& reason) {
  check_erasure_reason(reason);
  std::vector<RestrictionRow> restrictions;
  for (const ErasurePlan::Kept& k : plan.kept) {
    RestrictionRow r;
    r.uid = random_bytes(k_uid_size);
    r.customer_id = plan.customer_id;
    r.document_id = k.document_id;
    r.until = k.until();
    r.at = session.now();
    restrictions.push_back(r);
  }
  if (plan.targets.empty() && restrictions.empty())
    fail(ErrorKind::rejected, "there is nothing left to erase; nothing was changed");
  ErasureOutcome out;
  if (!plan.targets.empty()) out.erasure = new_erasure_row(session, reason, plan.subject);
  session.write([&](Index::Writer& w) {
    // Nothing erased can come back: no rule, hold or restriction may be
    // hidden from the plan by a row deleted outside kaappi.
    session.index().refuse_unless_rows_whole();
    if (out.erasure) w.erase(plan.targets, *out.erasure);
    for (RestrictionRow& r : restrictions) w.insert_restriction(r);
  });
  if (out.erasure) empty_wal_after_erasure(session);
  // The blobs go once the keys that open them are gone: a blob left behind
  // can no longer be opened, and verify notes it.
  std::map<std::string, std::vector<const DocumentRow*>> by_folder;
  for (const DocumentRow& d : plan.documents) {
    const std::string path = session.archive().blob_path(d.uid);
    by_folder[path.substr(0, path.rfind('/'))].push_back(&d);
  }
  for (const auto& [folder, documents] : by_folder) {
    try {
      Dir dir = Dir::open(folder);
      for (const DocumentRow* d : documents) {
        const std::string path = session.archive().blob_path(d->uid);
        dir.remove(path.substr(path.rfind('/') + 1));
        out.blobs_removed.push_back(d->id);
      }
      dir.sync();
    } catch (const Error& e) {
      for (const DocumentRow* d : documents)
        if (std::find(out.blobs_removed.begin(), out.blobs_removed.end(), d->id) == out.blobs_removed.end())
          out.blobs_left.push_back(d->id);
      out.problems.push_back(e.what());
    }
  }
  return out;
}

std::vector<RestrictedItem> restricted_items(Session& session) {
  Index& index = session.index();
  const std::string today = date_of(session.now());
  Retention retention(session);
  std::map<std::pair<std::int64_t, std::int64_t>, RestrictedItem> items;  // by (customer, document)
  for (const RestrictionRow& r : index.restrictions()) {
    RestrictedItem item;
    item.customer_id = r.customer_id;
    item.document_id = r.document_id;
    item.restricted_at = r.at;
    if (r.document_id != 0) {
      auto d = index.document(r.document_id);
      if (!d || d->erased()) continue;  // erased since
      auto why = retention.keeping_document(*d, today);
      item.still_held = !why.empty();
      item.held_until = why.empty() ? r.until : why.front().until;
    } else {
      if (session.customer_erased(r.customer_id)) continue;  // erased since
      auto why = retention.keeping_customer(r.customer_id, today);
      item.still_held = !why.empty();
      item.held_until = why.empty() ? r.until : why.front().until;
    }
    if (item.customer_id != 0) {
      try {
        if (auto c = customer_by_id(session, item.customer_id)) item.customer_number = c->number();
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
      }
    }
    items[{r.customer_id, r.document_id}] = item;
  }
  std::vector<RestrictedItem> out;
  for (auto& [key, item] : items) out.push_back(std::move(item));
  return out;
}

}  // namespace kaappi
