// consents.cpp — see consents.h.
#include "consent/consents.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <unordered_set>

#include "format/blob_format.h"
#include "base/dates.h"
#include "store/parallel_read.h"
#include "base/error.h"
#include "base/text_fold.h"

namespace kaappi {
namespace {

const char* const k_states[] = {"granted", "refused", "withdrawn", "retracted"};
constexpr std::string_view k_magic = "CE1";
constexpr size_t k_fixed_size = 3 + 1 + 1 + 10 + 8 + 8 + 1;

template <typename List>
int index_of(const List& list, const std::string& value) {
  int i = 0;
  for (const auto& item : list) {
    if (value == item) return i;
    ++i;
  }
  return -1;
}

int purpose_index(const std::string& id) {
  for (size_t i = 0; i < purposes().size(); ++i)
    if (id == purposes()[i].id) return static_cast<int>(i);
  return -1;
}

[[noreturn]] void bad_event(std::int64_t id) {
  fail(ErrorKind::corrupt, "consent event " + std::to_string(id) + " cannot be read; run kaappi verify");
}

constexpr std::uint8_t k_retracted = 3;

// The fixed part of an event: what states and lists need.
struct EventHead {
  std::int64_t id = 0, customer_id = 0, document = 0, corrects = 0;
  int purpose = 0;
  std::uint8_t state = 0;
  char effective[10] = {};
};

EventHead decode_event_head(std::string_view p, std::int64_t id) {
  if (p.size() < k_fixed_size + 8 || p.substr(0, 3) != k_magic) bad_event(id);
  auto u8 = [&](size_t at) { return static_cast<unsigned char>(p[at]); };
  auto u64 = [&](size_t at) { return static_cast<std::int64_t>(get_u64(reinterpret_cast<const std::uint8_t*>(p.data()) + at)); };
  if (u8(3) >= purposes().size() || u8(4) >= std::size(k_states) || u8(31) >= consent_sources().size()) bad_event(id);
  EventHead h;
  h.id = id;
  h.purpose = u8(3);
  h.state = u8(4);
  std::memcpy(h.effective, p.data() + 5, 10);
  h.document = u64(15);
  h.corrects = u64(23);
  return h;
}

ConsentEvent decode_consent_event(std::string_view p, std::int64_t id) {
  EventHead h = decode_event_head(p, id);
  ConsentEvent e;
  e.purpose = purposes()[static_cast<size_t>(h.purpose)].id;
  e.state = k_states[h.state];
  e.effective = std::string(h.effective, 10);
  if (h.document) e.document = h.document;
  if (h.corrects) e.corrects = h.corrects;
  e.source = consent_sources()[static_cast<unsigned char>(p[31])];
  size_t at = k_fixed_size;
  auto string = [&](std::string& out) {
    if (at + 4 > p.size()) bad_event(id);
    std::uint32_t n = get_u32(reinterpret_cast<const std::uint8_t*>(p.data()) + at);
    at += 4;
    if (n > p.size() - at) bad_event(id);
    out = std::string(p.substr(at, n));
    at += n;
  };
  string(e.note);
  string(e.recorded_by);
  if (at != p.size()) bad_event(id);
  return e;
}

bool printable_note(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
  return is_valid_utf8(s);
}

}  // namespace

const std::vector<Purpose>& purposes() {
  static const std::vector<Purpose> list = {
      {"email-marketing", "Sähköpostimarkkinointi", "E-postmarknadsföring", "E-mail marketing", false},
      {"sms-marketing", "Tekstiviestimarkkinointi", "SMS-marknadsföring", "SMS marketing", false},
      {"electronic-marketing", "Muu sähköinen suoramarkkinointi", "Annan elektronisk direktmarknadsföring",
       "Other electronic direct marketing", false},
      {"personal-data", "Henkilötietojen käyttö", "Användning av personuppgifter", "Use of personal data", false},
      {"research", "Tieteellinen tutkimus", "Vetenskaplig forskning", "Scientific research", false},
      {"development-contact", "Ei-tunnistavien tietojen keruu ja yhteydenotot palvelun kehittämiseksi",
       "Insamling av icke-identifierande uppgifter och kontakt för att utveckla tjänsten",
       "Non-identifying data collection and contact to develop the service", false},
      {"ban-direct-advertising", "Suoramainontakielto", "Förbud mot direktreklam", "Ban on direct advertising", true},
      {"ban-distance-selling", "Etämyyntikielto", "Förbud mot distansförsäljning", "Ban on distance selling", true},
      {"ban-direct-marketing", "Muun suoramarkkinoinnin kielto", "Förbud mot annan direktmarknadsföring",
       "Ban on other direct marketing", true},
  };
  return list;
}

const Purpose& find_purpose(const std::string& id) {
  int i = purpose_index(id);
  if (i >= 0) return purposes()[static_cast<size_t>(i)];
  std::string all;
  for (const auto& p : purposes()) all += std::string(all.empty() ? "" : ", ") + p.id;
  fail(ErrorKind::usage, "unknown purpose '" + id + "'; use one of: " + all);
}

std::vector<const Purpose*> bans_excluding(const Purpose& purpose) {
  std::vector<const Purpose*> out;
  static const std::set<std::string> marketing = {"email-marketing", "sms-marketing", "electronic-marketing"};
  if (!marketing.count(purpose.id)) return out;
  for (const auto& p : purposes())
    if (p.is_ban) out.push_back(&p);
  return out;
}

const std::vector<std::string>& consent_sources() {
  static const std::vector<std::string> list = {"signed-form", "email", "phone", "web-form", "other"};
  return list;
}

std::string encode_consent_event(const ConsentEvent& e) {
  Bytes out;
  put_bytes(out, as_bytes(k_magic));
  put_u8(out, static_cast<std::uint8_t>(purpose_index(e.purpose)));
  put_u8(out, static_cast<std::uint8_t>(index_of(k_states, e.state)));
  put_bytes(out, as_bytes(e.effective));
  put_u64(out, static_cast<std::uint64_t>(e.document.value_or(0)));
  put_u64(out, static_cast<std::uint64_t>(e.corrects.value_or(0)));
  put_u8(out, static_cast<std::uint8_t>(index_of(consent_sources(), e.source)));
  for (const std::string* s : {&e.note, &e.recorded_by}) {
    put_u32(out, static_cast<std::uint32_t>(s->size()));
    put_bytes(out, as_bytes(*s));
  }
  return std::string(out.begin(), out.end());
}

ConsentEvent open_consent_event(const FieldCipher& cipher, const ConsentEventRow& row) {
  ConsentEvent e = decode_consent_event(cipher.open("consent_events", "event", row.uid, row.event), row.id);
  e.id = row.id;
  e.customer_id = row.customer_id;
  e.recorded_at = row.recorded_at;
  return e;
}

ConsentEvent record_consent(Session& session, const Customer& customer, ConsentEvent e) {
  find_purpose(e.purpose);
  if (index_of(k_states, e.state) < 0)
    fail(ErrorKind::usage, Field{"state"} + " must be granted, refused or withdrawn, not '" + e.state + "'");
  if (e.state == "retracted" && !e.corrects)
    fail(ErrorKind::usage, "only a correction can retract: name the event it retracts");
  e.effective = parse_date(e.effective, Field{"effective"});
  if (e.source.empty() && e.document) e.source = "signed-form";
  if (e.source == "e-mail") e.source = "email";
  if (e.source.empty()) e.source = "other";
  if (index_of(consent_sources(), e.source) < 0)
    fail(ErrorKind::usage,
         Field{"source"} + " must be signed-form, email, phone, web-form or other, not '" + e.source + "'");
  if (e.source == "signed-form" && !e.document)
    fail(ErrorKind::usage, "a signed form is evidence only with its document: add " + Field{"document"} + " ID");
  if (e.note.size() > 4000 || !printable_note(e.note))
    fail(ErrorKind::usage, Field{"note"} + " must be printable text of at most 4000 bytes");
  if (e.document) {
    auto doc = session.index().document(*e.document);
    if (!doc) fail(ErrorKind::not_found, "no document " + std::to_string(*e.document) + " (see kaappi documents)");
    if (doc->owner() != customer.id)
      fail(ErrorKind::rejected, "document " + std::to_string(*e.document) +
                                    " belongs to another customer; nothing was changed");
  }
  auto events = consent_events(session, customer);
  if (e.corrects) {
    const ConsentEvent* target = nullptr;
    for (const auto& other : events) {
      if (other.id == *e.corrects) target = &other;
      if (other.corrects == e.corrects)
        fail(ErrorKind::rejected, "event " + std::to_string(*e.corrects) + " was already corrected by event " +
                                      std::to_string(other.id) + "; correct that one instead");
    }
    if (!target)
      fail(ErrorKind::not_found, "customer has no consent event " + std::to_string(*e.corrects) +
                                     " (see kaappi consent history)");
  }
  e.recorded_by = current_user();
  ConsentEventRow row;
  row.uid = random_bytes(k_uid_size);
  row.customer_id = customer.id;
  row.recorded_at = now_seconds();
  row.event = session.cipher().seal("consent_events", "event", row.uid, encode_consent_event(e));
  Index::Writer writer(session.index(), session.key().sign_sk);
  writer.insert_consent_event(row);
  writer.commit();
  session.archive().remember_head();
  e.id = row.id;
  e.customer_id = customer.id;
  e.recorded_at = row.recorded_at;
  return e;
}

std::vector<ConsentEvent> consent_events(Session& session, const Customer& customer) {
  std::vector<ConsentEvent> out;
  for (const auto& row : session.index().consent_events(customer.id))
    out.push_back(open_consent_event(session.cipher(), row));
  return out;
}

bool ConsentState::may_contact() const {
  return event && event->state == "granted" && excluded_by.empty();
}

std::vector<ConsentState> consent_states(const std::vector<ConsentEvent>& events, const std::string& as_of) {
  std::set<std::int64_t> corrected;
  for (const auto& e : events)
    if (e.corrects) corrected.insert(*e.corrects);
  std::vector<ConsentState> out;
  for (const auto& p : purposes()) {
    ConsentState s{&p, std::nullopt, {}};
    for (const auto& e : events) {  // in recording order
      if (e.purpose != p.id || e.effective > as_of || e.state == "retracted" || corrected.count(e.id)) continue;
      if (!s.event || e.effective >= s.event->effective) s.event = e;
    }
    out.push_back(s);
  }
  for (auto& s : out) {
    if (!s.event || s.event->state != "granted") continue;
    for (const Purpose* ban : bans_excluding(*s.purpose))
      for (const auto& b : out)
        if (b.purpose == ban && b.event && b.event->state == "granted") s.excluded_by.push_back(ban);
  }
  return out;
}

std::vector<ConsentListEntry> list_by_consent(Session& session, const Purpose& purpose, const std::string& state,
                                              const std::string& as_of) {
  if (state != "granted" && state != "refused" && state != "withdrawn" && state != "none")
    fail(ErrorKind::usage, Field{"state"} + " must be granted, refused, withdrawn or none, not '" + state + "'");
  // One pass over the events, keeping the fixed part of those of this
  // purpose and of the bans that can exclude it.
  const int wanted = purpose_index(purpose.id);
  std::vector<int> bans;
  for (const Purpose* b : bans_excluding(purpose)) bans.push_back(purpose_index(b->id));
  struct Part {
    std::vector<EventHead> heads;
    std::vector<std::int64_t> corrected;
  };
  Part parts[2];
  const FieldCipher& cipher = session.cipher();
  auto [first, last] = session.index().id_range(Index::Table::consent_events);
  read_in_two_parts(session.archive(), [&](const Index& index, int p) {
    auto [from, to] = half_of(first, last, p);
    Part& part = parts[p];
    index.each_consent_payload(
        [&](std::int64_t id, std::int64_t customer_id, const Bytes& uid, const Bytes& sealed) {
          EventHead h = decode_event_head(cipher.open("consent_events", "event", uid, sealed), id);
          h.customer_id = customer_id;
          if (h.corrects) part.corrected.push_back(h.corrects);
          if (h.purpose == wanted || std::find(bans.begin(), bans.end(), h.purpose) != bans.end())
            part.heads.push_back(h);
        },
        from, to);
  });
  Part& low = parts[0];
  Part& high = parts[1];
  std::vector<EventHead> heads = std::move(low.heads);
  heads.insert(heads.end(), high.heads.begin(), high.heads.end());
  std::unordered_set<std::int64_t> corrected(low.corrected.begin(), low.corrected.end());
  corrected.insert(high.corrected.begin(), high.corrected.end());
  std::stable_sort(heads.begin(), heads.end(),
                   [](const EventHead& a, const EventHead& b) { return a.customer_id < b.customer_id; });

  std::vector<std::int64_t> ids;
  std::map<std::int64_t, const EventHead*> deciding;
  std::unordered_set<std::int64_t> decided;  // customers with a counting event for the purpose
  for (size_t i = 0; i < heads.size();) {
    size_t j = i;
    while (j < heads.size() && heads[j].customer_id == heads[i].customer_id) ++j;
    // The counting event effective last on or before as_of (ties: recorded last).
    auto decide = [&](int p) -> const EventHead* {
      const EventHead* best = nullptr;
      for (size_t k = i; k < j; ++k) {
        const EventHead& h = heads[k];
        if (h.purpose != p || h.state == k_retracted || corrected.count(h.id) ||
            std::string_view(h.effective, 10) > as_of)
          continue;
        if (!best || std::string_view(h.effective, 10) >= std::string_view(best->effective, 10)) best = &h;
      }
      return best;
    };
    const EventHead* d = decide(wanted);
    std::int64_t customer = heads[i].customer_id;
    if (d) {
      decided.insert(customer);
      bool banned = false;
      for (int b : bans) {
        const EventHead* ban = decide(b);
        banned = banned || (ban && ban->state == 0);
      }
      if (k_states[d->state] == state && (state != "granted" || !banned)) {
        ids.push_back(customer);
        deciding[customer] = d;
      }
    }
    i = j;
  }
  if (state == "none") {
    for (const auto& row : session.index().customers())
      if (!decided.count(row.id)) ids.push_back(row.id);
    std::sort(ids.begin(), ids.end());
  }
  std::vector<ConsentListEntry> out;
  out.reserve(ids.size());
  std::vector<std::int64_t> event_ids;
  for (auto& c : customers_by_ids(session, ids)) {
    std::optional<ConsentEvent> event;
    if (auto it = deciding.find(c.id); it != deciding.end()) {
      const EventHead& h = *it->second;
      ConsentEvent e;
      e.id = h.id;
      e.customer_id = h.customer_id;
      e.purpose = purpose.id;
      e.state = k_states[h.state];
      e.effective = std::string(h.effective, 10);
      if (h.document) e.document = h.document;
      event = std::move(e);
    }
    out.push_back({std::move(c), std::move(event)});
  }
  return out;
}

}  // namespace kaappi
