// consents.cpp — see consents.h.
#include "consent/consents.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "base/dates.h"
#include "base/error.h"
#include "base/text_fold.h"
#include "base/word_list.h"
#include "documents/document_record.h"
#include "format/blob_format.h"
#include "register/customer_restriction.h"
#include "store/parallel_read.h"

namespace kaappi {
namespace {

bool is_one_of(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool printable_note(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
  return is_valid_utf8(s);
}

}  // namespace

ConsentEvent checked_consent_request(ConsentEvent e) {
  find_purpose(e.purpose);
  if (!is_one_of(consent_event_states(), e.state))
    fail(ErrorKind::usage, Field{"state"} + " must be " + or_list(recordable_consent_states()) + ", not '" + e.state + "'");
  if (e.state == "retracted" && !e.corrects)
    fail(ErrorKind::usage, "only a correction can retract: name the event it retracts");
  if (!e.effective.empty()) e.effective = parse_date(e.effective, Field{"effective"});
  if (e.source.empty() && e.document) e.source = "signed-form";
  if (e.source == "e-mail") e.source = "email";
  if (e.source.empty()) e.source = "other";
  if (!is_one_of(consent_sources(), e.source))
    fail(ErrorKind::usage, Field{"source"} + " must be " + or_list(consent_sources()) + ", not '" + e.source + "'");
  if (e.source == "signed-form" && !e.document)
    fail(ErrorKind::usage, "a signed form is evidence only with its document: add " + Field{"document"} + " ID");
  if (e.note.size() > 4000 || !printable_note(e.note))
    fail(ErrorKind::usage, Field{"note"} + " must be printable text of at most 4000 bytes");
  return e;
}

bool document_proves_for(const DocumentRow& document, std::int64_t customer_id) {
  return document.owner() == customer_id;
}

std::optional<std::int64_t> document_moved_away_at(Session& session, const DocumentRow& document,
                                                   std::int64_t customer_id) {
  if (document_proves_for(document, customer_id)) return std::nullopt;
  bool theirs = document.customer_id == customer_id;
  std::optional<std::int64_t> moved_at;
  for (const AssignmentRow& a : session.index().assignments(document.id)) {  // in signed order
    if (a.customer_id == customer_id) {
      theirs = true;
      moved_at.reset();
    } else if (theirs && !moved_at) {
      moved_at = a.at;
    }
  }
  return moved_at;
}

std::vector<ConsentEvent> consent_events_citing(Session& session, std::int64_t document_id) {
  Index& index = session.index();
  std::set<std::int64_t> holders;
  if (auto d = index.document(document_id); d && d->customer_id != 0) holders.insert(d->customer_id);
  for (const AssignmentRow& a : index.assignments(document_id)) holders.insert(a.customer_id);
  std::vector<ConsentEvent> out;
  for (std::int64_t customer_id : holders) {
    if (session.customer_erased(customer_id)) continue;  // their events went with them
    const ValueSealer sealer = session.customer_values(customer_id);
    for (const ConsentEventRow& e : index.consent_events(customer_id)) {
      if (e.event.empty()) continue;
      ConsentEvent event = open_consent_event(sealer, e);
      if (event.document == document_id) out.push_back(std::move(event));
    }
  }
  std::sort(out.begin(), out.end(), [](const ConsentEvent& a, const ConsentEvent& b) { return a.id < b.id; });
  return out;
}

void check_consent_document(Session& session, std::int64_t customer_id, std::int64_t document) {
  auto doc = session.index().document(document);
  if (!doc) fail(ErrorKind::not_found, "no document " + std::to_string(document) + " (see kaappi documents)");
  if (!document_proves_for(*doc, customer_id))
    fail(ErrorKind::rejected,
         "document " + std::to_string(document) + " belongs to another customer; nothing was changed");
  if (doc->erased())
    fail(ErrorKind::rejected, erased_document_words(session, *doc) + " and can prove nothing now; nothing was changed");
  if (auto since = document_restricted_at(session, *doc))
    fail(ErrorKind::rejected, "document " + std::to_string(document) + " is restricted since " + date_of(*since) +
                                  " (its erasure was asked and a retention hold keeps it): it is only kept and can "
                                  "prove nothing new; nothing was changed");
}

namespace {

// A restricted customer (register/customer_restriction.h) may be contacted
// for nothing: refused is any event that would let them be, `what` saying which.
void refuse_contact_if_restricted(Session& session, std::int64_t customer_id, const std::string& what) {
  if (auto since = customer_restricted_at(session, customer_id))
    fail(ErrorKind::rejected, "the customer is restricted since " + date_of(*since) +
                                  " (their erasure was asked and a retention hold keeps their record): " + what +
                                  "; nothing was changed");
}

}  // namespace

ConsentEventRow seal_consent_event(Session& session, std::int64_t customer_id, ConsentEvent& e) {
  const bool is_ban = find_purpose(e.purpose).is_ban;
  if ((e.state == "granted" && !is_ban) || (e.state == "withdrawn" && is_ban))
    refuse_contact_if_restricted(session, customer_id,
                                 "no consent to contact them can be recorded nor a ban of theirs lifted, only a "
                                 "refusal, a withdrawal of consent or a ban");
  if (e.effective.empty()) e.effective = date_of(session.now());
  e.recorded_by = session.actor().name;
  ConsentEventRow row;
  row.uid = random_bytes(k_uid_size);
  row.customer_id = customer_id;
  row.recorded_at = session.now();
  row.event = session.customer_values(customer_id).seal("consent_events", "event", row.uid, encode_consent_event(e));
  e.customer_id = customer_id;
  e.recorded_at = row.recorded_at;
  return row;
}

ConsentEvent record_consent(Session& session, const Customer& customer, ConsentEvent e) {
  e = checked_consent_request(std::move(e));
  if (e.document) check_consent_document(session, customer.id, *e.document);
  auto events = consent_events(session, customer);
  if (e.corrects) {
    auto target = std::find_if(events.begin(), events.end(), [&](const ConsentEvent& o) { return o.id == *e.corrects; });
    if (target != events.end() && target->corrected_by)
      fail(ErrorKind::rejected, "event " + std::to_string(*e.corrects) + " was already corrected by event " +
                                    std::to_string(*target->corrected_by) + "; correct that one instead");
    if (target == events.end())
      fail(ErrorKind::not_found, "customer has no consent event " + std::to_string(*e.corrects) +
                                     " (see kaappi consent history)");
    if (e.effective.empty()) e.effective = target->effective;  // a correction keeps the date it corrects
  }
  ConsentEventRow row = seal_consent_event(session, customer.id, e);
  session.write([&](Index::Writer& writer) { writer.insert_consent_event(row); });
  e.id = row.id;
  return e;
}

ConsentEvent retract_consent(Session& session, const Customer& customer, std::int64_t event_id,
                             const std::string& note) {
  auto events = consent_events(session, customer);
  auto target = std::find_if(events.begin(), events.end(), [&](const ConsentEvent& e) { return e.id == event_id; });
  if (target == events.end())
    fail(ErrorKind::not_found,
         "customer has no consent event " + std::to_string(event_id) + " (see kaappi consent history)");
  // Retracting a ban, or a refusal or withdrawal of consent, may let them be contacted again.
  const bool is_ban = find_purpose(target->purpose).is_ban;
  if (is_ban ? target->state == "granted" : target->state != "granted")
    refuse_contact_if_restricted(session, customer.id,
                                 "event " + std::to_string(event_id) + " (" + target->purpose + " " + target->state +
                                     ") is not retracted, which could let them be contacted again");
  ConsentEvent e;
  e.purpose = target->purpose;
  e.state = "retracted";
  e.effective = target->effective;
  e.corrects = event_id;
  e.source = "other";
  e.note = note;
  return record_consent(session, customer, e);
}

std::vector<ConsentEvent> consent_events(Session& session, const Customer& customer) {
  std::vector<ConsentEvent> out;
  const ValueSealer sealer = session.customer_values(customer.id);
  for (const auto& row : session.index().consent_events(customer.id)) out.push_back(open_consent_event(sealer, row));
  link_corrections(out);
  // An erased proving document is said; one moved to another customer since
  // is theirs, and what became of it is not this customer's to see.
  for (auto& e : out)
    if (e.document)
      if (auto doc = session.index().document(*e.document); doc && !document_moved_away_at(session, *doc, customer.id))
        e.document_erased_at = document_erased_at(session, *doc);
  return out;
}

std::vector<ConsentState> customer_consent_states(Session& session, const Customer& customer,
                                                  const std::vector<ConsentEvent>& events, const std::string& as_of) {
  std::vector<ConsentState> states = consent_states(events, as_of);
  if (auto since = customer_restricted_at(session, customer.id))
    for (auto& s : states) s.restricted_at = since;
  return states;
}

const std::vector<std::string>& listable_consent_states() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> l = recordable_consent_states();
    l.push_back("none");
    return l;
  }();
  return list;
}

std::vector<ConsentListEntry> list_by_consent(Session& session, const Purpose& purpose, const std::string& state,
                                              const std::string& as_of) {
  if (!is_one_of(listable_consent_states(), state))
    fail(ErrorKind::usage, Field{"state"} + " must be " + or_list(listable_consent_states()) + ", not '" + state + "'");
  // One pass over the events, decrypting only each event's head, keeping the
  // heads of this purpose and of the bans that can exclude it, and the ids
  // of every corrected event: half of the events on each core, each half's
  // heads sorted by customer there (recording order kept), then merged.
  const int wanted = purpose_index(purpose.id);
  std::vector<int> bans;
  for (const Purpose* b : bans_excluding(purpose)) bans.push_back(purpose_index(b->id));
  const auto by_customer = [](const ConsentEventHead& a, const ConsentEventHead& b) {
    return a.customer_id < b.customer_id;
  };
  struct Part {
    std::vector<ConsentEventHead> heads;
    std::vector<std::int64_t> corrected;
  };
  Part parts[2];
  session.hold_customer_keys();
  const IndexKeys& keys = session.keys();
  // A pair, not a structured binding: clang 14 (the fuzz build) cannot capture those.
  const auto event_ids = session.index().id_range<ConsentEventRow>();
  read_in_two_parts(session.archive(), [&](const Index& index, int p) {
    auto [from, to] = half_of(event_ids.first, event_ids.second, p);
    Part& part = parts[p];
    const CustomerKeyRing& ring = keys.customer_keys();
    ColumnOpener opener = format2_column_opener(keys.archive_id(), "consent_events", "event");
    index.each_consent_payload(
        [&](std::int64_t id, std::int64_t customer_id, ByteView uid, ByteView sealed) {
          if (sealed.empty() || !ring.holds(customer_id)) return;  // erased
          ConsentEventHead h = decode_consent_event_head(opener.open(ring.key(customer_id), uid, sealed), id);
          h.customer_id = customer_id;
          if (h.corrects) part.corrected.push_back(h.corrects);
          if (h.purpose == wanted || std::find(bans.begin(), bans.end(), h.purpose) != bans.end())
            part.heads.push_back(h);
        },
        from, to);
    std::stable_sort(part.heads.begin(), part.heads.end(), by_customer);
  });
  std::vector<ConsentEventHead> heads(parts[0].heads.size() + parts[1].heads.size());
  // Of a customer's heads, part 0's (recorded earlier) come first.
  std::merge(parts[0].heads.begin(), parts[0].heads.end(), parts[1].heads.begin(), parts[1].heads.end(), heads.begin(),
             by_customer);
  std::vector<ConsentEventHead>().swap(parts[0].heads);
  std::vector<ConsentEventHead>().swap(parts[1].heads);
  std::unordered_set<std::int64_t> corrected(parts[0].corrected.begin(), parts[0].corrected.end());
  corrected.insert(parts[1].corrected.begin(), parts[1].corrected.end());
  if (!corrected.empty())
    for (auto& h : heads) h.corrected = corrected.count(h.id) > 0;

  // Decisions come in customer order, so `ids` is sorted and `deciding`
  // (the deciding event of each) runs beside it.
  std::vector<std::int64_t> ids;
  std::vector<const ConsentEventHead*> deciding;
  std::vector<std::int64_t> decided;  // customers with a counting event for the purpose, sorted
  for (const CustomerDecision& c : decide_for_each_customer(heads, purpose, as_of)) {
    const ConsentEventHead* d = c.decision.event;
    if (!d) continue;
    decided.push_back(c.customer_id);
    if (consent_event_states()[static_cast<size_t>(d->state)] == state &&
        (state != "granted" || c.decision.excluded_by == 0)) {
      ids.push_back(c.customer_id);
      deciding.push_back(d);
    }
  }
  if (state == "none") {  // no deciding event: `deciding` stays empty
    for (const auto& row : session.index().customers())
      if (!std::binary_search(decided.begin(), decided.end(), row.id) && keys.customer_keys().holds(row.id))
        ids.push_back(row.id);  // not erased
    std::sort(ids.begin(), ids.end());
  }
  // A customer whose erasure was asked while a hold keeps their values is
  // restricted (rights/erasure.h): never on a list, marketing or other.
  const std::set<std::int64_t> restricted = restricted_customer_ids(session);
  std::vector<ConsentListEntry> out;
  out.reserve(ids.size());
  for (auto& c : customers_by_ids(session, ids)) {
    if (restricted.count(c.id)) continue;
    std::optional<ConsentEvent> event;
    auto it = std::lower_bound(ids.begin(), ids.end(), c.id);
    if (it != ids.end() && *it == c.id && static_cast<size_t>(it - ids.begin()) < deciding.size()) {
      const ConsentEventHead& h = *deciding[static_cast<size_t>(it - ids.begin())];
      ConsentEvent e;
      e.id = h.id;
      e.customer_id = h.customer_id;
      e.purpose = purpose.id;
      e.state = consent_event_states()[static_cast<size_t>(h.state)];
      e.effective = std::string(h.effective_date());
      if (h.document) e.document = h.document;
      event = std::move(e);
    }
    out.push_back({std::move(c), std::move(event)});
  }
  return out;
}

}  // namespace kaappi
