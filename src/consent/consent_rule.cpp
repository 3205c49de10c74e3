// consent_rule.cpp — see consent_rule.h.
#include "consent/consent_rule.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace kaappi {
namespace {

// The counting event of purpose index `purpose` effective last on or before
// as_of (ties: recorded last).
const ConsentEventHead* deciding_event(std::span<const ConsentEventHead> events, int purpose, std::string_view as_of) {
  const ConsentEventHead* best = nullptr;
  for (const ConsentEventHead& h : events) {
    if (h.purpose != purpose || h.state == EventState::retracted || h.corrected || h.effective_date() > as_of)
      continue;
    if (!best || h.effective_date() >= best->effective_date()) best = &h;
  }
  return best;
}

}  // namespace

ConsentDecision decide_consent(std::span<const ConsentEventHead> events, const Purpose& purpose,
                               std::string_view as_of) {
  ConsentDecision d;
  d.event = deciding_event(events, purpose_index(purpose.id), as_of);
  if (!d.event || d.event->state != EventState::granted || !purpose.excluded_by_bans) return d;
  const auto& all = purposes();
  for (size_t b = 0; b < all.size(); ++b) {
    if (!all[b].is_ban) continue;
    const ConsentEventHead* ban = deciding_event(events, static_cast<int>(b), as_of);
    if (ban && ban->state == EventState::granted) d.excluded_by |= 1u << b;
  }
  return d;
}

void link_corrections(std::vector<ConsentEvent>& events) {
  std::unordered_map<std::int64_t, std::int64_t> corrected_by;
  for (const auto& e : events)
    if (e.corrects) corrected_by[*e.corrects] = e.id;
  for (auto& e : events) {
    auto it = corrected_by.find(e.id);
    e.corrected_by = it == corrected_by.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
  }
}

bool ConsentState::may_contact() const {
  return event && event->state == "granted" && excluded_by.empty() && !restricted_at;
}

std::vector<ConsentState> consent_states(const std::vector<ConsentEvent>& events, const std::string& as_of) {
  std::unordered_set<std::int64_t> corrected;
  for (const auto& e : events)
    if (e.corrects) corrected.insert(*e.corrects);
  std::vector<ConsentEventHead> heads;
  heads.reserve(events.size());
  for (const auto& e : events) {
    heads.push_back(head_of(e));
    heads.back().corrected = corrected.count(e.id) > 0;
  }
  std::vector<ConsentState> out;
  const auto& all = purposes();
  for (const auto& p : all) {
    ConsentDecision d = decide_consent(heads, p, as_of);
    ConsentState s{&p, std::nullopt, {}, std::nullopt};
    if (d.event) s.event = events[static_cast<size_t>(d.event - heads.data())];
    for (size_t b = 0; b < all.size(); ++b)
      if (d.excluded_by & (1u << b)) s.excluded_by.push_back(&all[b]);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<CustomerDecision> decide_for_each_customer(std::vector<ConsentEventHead>& heads, const Purpose& purpose,
                                                       std::string_view as_of) {
  const auto by_customer = [](const ConsentEventHead& a, const ConsentEventHead& b) {
    return a.customer_id < b.customer_id;
  };
  if (!std::is_sorted(heads.begin(), heads.end(), by_customer)) std::stable_sort(heads.begin(), heads.end(), by_customer);
  std::vector<CustomerDecision> out;
  for (size_t i = 0; i < heads.size();) {
    size_t j = i;
    while (j < heads.size() && heads[j].customer_id == heads[i].customer_id) ++j;
    out.push_back({heads[i].customer_id, decide_consent(std::span(heads).subspan(i, j - i), purpose, as_of)});
    i = j;
  }
  return out;
}

}  // namespace kaappi
