// consent_event.cpp — see consent_event.h.
#include "consent/consent_event.h"

#include <cstring>

#include "base/bytes.h"
#include "base/error.h"
#include "consent/purposes.h"

namespace kaappi {
namespace {

// "CE1" ‖ u8 purpose ‖ u8 state ‖ effective[10] ‖ u64 document ‖ u64 corrects ‖ u8 source
constexpr std::string_view k_magic = "CE1";
constexpr size_t k_head_size = 3 + 1 + 1 + 10 + 8 + 8 + 1;

template <typename List>
int index_of(const List& list, const std::string& value) {
  int i = 0;
  for (const auto& item : list) {
    if (value == item) return i;
    ++i;
  }
  return -1;
}

[[noreturn]] void bad_event(std::int64_t id) {
  fail(ErrorKind::corrupt, "consent event " + std::to_string(id) + " cannot be read; run kaappi verify");
}

}  // namespace

const std::vector<std::string>& consent_event_states() {
  static const std::vector<std::string> list = {"granted", "refused", "withdrawn", "retracted"};
  return list;
}

const std::vector<std::string>& recordable_consent_states() {
  static const std::vector<std::string> list = {"granted", "refused", "withdrawn"};
  return list;
}

const std::vector<std::string>& consent_sources() {
  static const std::vector<std::string> list = {"signed-form", "email", "phone", "web-form", "other"};
  return list;
}

bool ConsentEvent::counts() const { return state != "retracted" && !corrected_by; }

ConsentEventHead head_of(const ConsentEvent& e) {
  ConsentEventHead h;
  h.id = e.id;
  h.customer_id = e.customer_id;
  h.document = e.document.value_or(0);
  h.corrects = e.corrects.value_or(0);
  h.purpose = purpose_index(e.purpose);
  int state = index_of(consent_event_states(), e.state);
  if (h.purpose < 0 || state < 0 || e.effective.size() != sizeof h.effective)
    fail(ErrorKind::internal, "consent event " + std::to_string(e.id) + " has no known purpose, state or date");
  h.state = static_cast<EventState>(state);
  std::memcpy(h.effective, e.effective.data(), sizeof h.effective);
  h.corrected = e.corrected_by.has_value();
  return h;
}

std::string encode_consent_event(const ConsentEvent& e) {
  Bytes out;
  put_bytes(out, as_bytes(k_magic));
  put_u8(out, static_cast<std::uint8_t>(purpose_index(e.purpose)));
  put_u8(out, static_cast<std::uint8_t>(index_of(consent_event_states(), e.state)));
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

ConsentEventHead decode_consent_event_head(std::string_view p, std::int64_t id) {
  if (p.size() < k_head_size + 8 || p.substr(0, 3) != k_magic) bad_event(id);
  auto u8 = [&](size_t at) { return static_cast<unsigned char>(p[at]); };
  auto u64 = [&](size_t at) {
    return static_cast<std::int64_t>(get_u64(reinterpret_cast<const std::uint8_t*>(p.data()) + at));
  };
  if (u8(3) >= purposes().size() || u8(4) >= consent_event_states().size() || u8(31) >= consent_sources().size())
    bad_event(id);
  ConsentEventHead h;
  h.id = id;
  h.purpose = u8(3);
  h.state = static_cast<EventState>(u8(4));
  std::memcpy(h.effective, p.data() + 5, sizeof h.effective);
  h.document = u64(15);
  h.corrects = u64(23);
  return h;
}

ConsentEvent decode_consent_event(std::string_view p, std::int64_t id) {
  ConsentEventHead h = decode_consent_event_head(p, id);
  ConsentEvent e;
  e.id = id;
  e.purpose = purposes()[static_cast<size_t>(h.purpose)].id;
  e.state = consent_event_states()[static_cast<size_t>(h.state)];
  e.effective = std::string(h.effective_date());
  if (h.document) e.document = h.document;
  if (h.corrects) e.corrects = h.corrects;
  e.source = consent_sources()[static_cast<unsigned char>(p[31])];
  size_t at = k_head_size;
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

ConsentEvent open_consent_event(const ValueSealer& customer, const ConsentEventRow& row) {
  ConsentEvent e = decode_consent_event(customer.open("consent_events", "event", row.uid, row.event), row.id);
  e.customer_id = row.customer_id;
  e.recorded_at = row.recorded_at;
  return e;
}

}  // namespace kaappi
