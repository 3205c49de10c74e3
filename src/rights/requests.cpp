// requests.cpp — see requests.h.
#include "rights/requests.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "base/error.h"
#include "format/blob_format.h"
#include "store/erasure.h"

namespace kaappi {
namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

void check_one_of(const std::string& value, const std::vector<std::string>& names, const Message& what) {
  if (std::find(names.begin(), names.end(), value) != names.end()) return;
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  fail(ErrorKind::usage, what + " must be one of " + list + ", not '" + value + "'");
}

std::string json_text(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// The JSON a request's or its event's sealed details hold (ErrorKind::corrupt when it is not an object).
nlohmann::json open_details(const ValueSealer& sealer, std::string_view table, ByteView uid, ByteView sealed,
                            const std::string& row) {
  nlohmann::json j = nlohmann::json::parse(sealer.open(table, "details", uid, sealed), nullptr, false);
  if (!j.is_object()) fail(ErrorKind::corrupt, row + ": its details are not what kaappi seals; run kaappi verify");
  return j;
}

std::string text_of(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A request as its rows and today make it. `sealer` is null when its customer's key is gone.
Request make_request(const RequestRow& row, const std::vector<const RequestEventRow*>& events,
                     const ValueSealer* sealer, const std::string& customer_number, const std::string& today,
                     std::optional<std::int64_t> customer_erased_at) {
  Request r;
  r.id = row.id;
  r.customer_id = row.customer_id;
  r.customer_number = customer_number;
  r.customer_erased = sealer == nullptr;
  r.kind = row.kind;
  r.received = row.received;
  r.channel = row.channel;
  r.recorded_at = row.at;
  if (sealer && !row.details.empty()) {
    nlohmann::json d = open_details(*sealer, "requests", row.uid, row.details, "request " + std::to_string(row.id));
    r.recorded_by = text_of(d, "by");
    r.note = text_of(d, "note");
  }
  for (const RequestEventRow* e : events) {
    nlohmann::json d = nlohmann::json::object();
    if (sealer && !e->details.empty())
      d = open_details(*sealer, "request_events", e->uid, e->details, "request event " + std::to_string(e->id));
    if (e->action == "extended") {
      r.extended = true;
      r.extended_at = e->at;
      r.extended_by = text_of(d, "by");
      r.extension_reason = text_of(d, "reason");
    } else if (e->action == "closed") {
      r.closed_at = e->at;
      r.closed_by = text_of(d, "by");
      r.closing.handed_over_in_person = d.value("in_person", false);
      r.closing.identity_checked_with = text_of(d, "identity_checked_with");
      r.closing.handed_over_by = text_of(d, "handed_over_by");
      if (auto fee = d.find("fee_cents"); fee != d.end() && fee->is_number_integer())
        r.closing.fee_cents = fee->get<std::int64_t>();
      r.closing.reason = text_of(d, "reason");
    } else if (e->action == "inspected") {
      r.inspected_at = e->at;
      r.inspected_by = text_of(d, "by");
      r.inspection.fee = text_of(d, "fee");
      r.inspection.lang = text_of(d, "lang");
      if (auto p = d.find("previous"); p != d.end() && p->is_array())
        for (const auto& date : *p)
          if (date.is_string()) r.inspection.previous.push_back(date.get<std::string>());
      if (auto docs = d.find("documents"); docs != d.end() && docs->is_array())
        for (const auto& id : *docs)
          if (id.is_number_integer()) r.inspection.documents.push_back(id.get<std::int64_t>());
    }
  }
  // An erased person's request still open is answered by the erasure:
  // closed then (nothing of theirs is left to hand over or correct).
  if (!r.closed_at && customer_erased_at) {
    r.closed_at = *customer_erased_at;
    r.closed_by_erasure = true;
  }
  r.deadline = add_months(r.received, r.extended ? 3 : 1);
  r.days_left = days_between(today, r.deadline);
  if (r.closed_at)
    r.state = DeadlineState::closed;
  else if (r.days_left < 0)
    r.state = DeadlineState::passed;
  else if (r.days_left <= k_deadline_near_days)
    r.state = DeadlineState::near;
  return r;
}

// The sealer of a customer's values and their number; nullopt when their key is gone.
struct CustomerAccess {
  std::optional<ValueSealer> sealer;
  std::string number;
  std::optional<std::int64_t> erased_at;  // when their key was erased
};
CustomerAccess customer_access(Session& session, std::int64_t customer_id) {
  CustomerAccess out;
  try {
    out.sealer.emplace(session.customer_values(customer_id));
    if (auto c = customer_by_id(session, customer_id)) out.number = c->number();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    out.sealer.reset();
    out.number.clear();
    auto key = session.index().customer_key(customer_id);
    auto erasure = key ? erasure_of(session.index(), "customer_keys", key->id, "wrapped") : std::nullopt;
    out.erased_at = erasure ? erasure->at : session.now();
  }
  return out;
}

std::vector<Request> load_requests(Session& session, const std::vector<RequestRow>& rows) {
  std::map<std::int64_t, std::vector<RequestEventRow>> events;
  if (!rows.empty())
    for (auto& e : session.index().request_events()) events[e.request_id].push_back(std::move(e));
  std::map<std::int64_t, CustomerAccess> customers;
  const std::string today = date_of(session.now());
  std::vector<Request> out;
  for (const RequestRow& row : rows) {
    auto c = customers.find(row.customer_id);
    if (c == customers.end()) c = customers.emplace(row.customer_id, customer_access(session, row.customer_id)).first;
    std::vector<const RequestEventRow*> own;
    for (const auto& e : events[row.id]) own.push_back(&e);
    out.push_back(make_request(row, own, c->second.sealer ? &*c->second.sealer : nullptr, c->second.number, today,
                               c->second.erased_at));
  }
  return out;
}

Request open_request(Session& session, std::int64_t id) {
  auto row = session.index().request(id);
  if (!row) fail(ErrorKind::not_found, "no request " + std::to_string(id) + " (see kaappi request list)");
  return load_requests(session, {*row}).front();
}

void refuse_unless_open(const Request& r, const std::string& what) {
  if (r.customer_erased)
    fail(ErrorKind::rejected, "request " + std::to_string(r.id) + "'s customer was erased, so it cannot be " + what +
                                  "; nothing was changed");
  if (r.closed_at)
    fail(ErrorKind::rejected, "request " + std::to_string(r.id) + " was closed on " + date_of(*r.closed_at) +
                                  ", so it cannot be " + what + "; nothing was changed");
}

RequestEventRow add_event(Session& session, const Request& r, const std::string& action, nlohmann::json details) {
  details["by"] = session.actor().name;
  RequestEventRow row;
  row.uid = random_bytes(k_uid_size);
  row.request_id = r.id;
  row.action = action;
  row.at = session.now();
  row.details = session.customer_values(r.customer_id).seal("request_events", "details", row.uid, json_text(details));
  session.write([&](Index::Writer& w) { w.insert_request_event(row); });
  return row;
}

}  // namespace

const std::vector<std::string>& request_kinds() {
  static const std::vector<std::string> kinds{"inspection", "rectification", "erasure", "objection"};
  return kinds;
}

const std::vector<std::string>& request_channels() {
  static const std::vector<std::string> channels{"in-person", "letter", "email", "phone"};
  return channels;
}

const std::vector<std::string>& identity_documents() {
  static const std::vector<std::string> documents{"passport", "id-card", "driving-licence", "known-person"};
  return documents;
}

void check_new_request(const NewRequest& request, const std::string& today) {
  check_one_of(request.kind, request_kinds(), Field{"kind"});
  check_one_of(request.channel, request_channels(), Field{"channel"});
  parse_date(request.received, Field{"received"});
  if (request.received > today)
    fail(ErrorKind::usage, Field{"received"} + " " + request.received + " is later than today (" + today + ")");
}

void check_request_closing(const RequestClosing& closing) {
  if (closing.handed_over_in_person) {
    if (closing.identity_checked_with.empty())
      fail(ErrorKind::usage, "say how the person's identity was checked: " + Field{"identity_checked_with"} +
                                 " KIND (the kind of document, never its number)");
    check_one_of(closing.identity_checked_with, identity_documents(), Field{"identity_checked_with"});
    if (blank(closing.handed_over_by))
      fail(ErrorKind::usage, "say who handed the copy over: " + Field{"by"} + " NAME");
    if (!blank(closing.reason))
      fail(ErrorKind::usage, "a request is closed either by a handover in person or with a reason, not both: give " +
                                 Field{"handed_over_in_person"} + " or " + Field{"reason"});
  } else {
    if (!closing.identity_checked_with.empty() || !closing.handed_over_by.empty())
      fail(ErrorKind::usage, Field{"identity_checked_with"} + " and " + Field{"by"} + " record a handover: give " +
                                 Field{"handed_over_in_person"} + " too");
    if (blank(closing.reason))
      fail(ErrorKind::usage, "a request not handed over in person is closed with a reason: " + Field{"reason"} +
                                 " TEXT (kaappi never sends personal data by e-mail)");
  }
  if (closing.fee_cents && *closing.fee_cents < 0) fail(ErrorKind::usage, Field{"fee"} + " cannot be negative");
}

void check_extension_reason(const std::string& reason) {
  if (blank(reason))
    fail(ErrorKind::usage, "say why the request needs more time: " + Field{"reason"} +
                               " TEXT (the person must be told the reason)");
}

Request add_request(Session& session, const Customer& customer, const NewRequest& request) {
  check_new_request(request, date_of(session.now()));
  RequestRow row;
  row.uid = random_bytes(k_uid_size);
  row.customer_id = customer.id;
  row.kind = request.kind;
  row.received = request.received;
  row.channel = request.channel;
  row.at = session.now();
  nlohmann::json details{{"by", session.actor().name}};
  if (!blank(request.note)) details["note"] = request.note;
  row.details = session.customer_values(customer.id).seal("requests", "details", row.uid, json_text(details));
  session.write([&](Index::Writer& w) { w.insert_request(row); });
  return open_request(session, row.id);
}

std::vector<Request> list_requests(Session& session, std::optional<std::int64_t> customer_id, bool open_only) {
  std::vector<Request> all = load_requests(session, session.index().requests(customer_id));
  if (open_only) std::erase_if(all, [](const Request& r) { return r.closed_at.has_value(); });
  return all;
}

Request find_request(Session& session, std::int64_t id) { return open_request(session, id); }

Request extend_request(Session& session, std::int64_t id, const std::string& reason) {
  check_extension_reason(reason);
  Request r = open_request(session, id);
  refuse_unless_open(r, "extended");
  if (r.extended)
    fail(ErrorKind::rejected, "request " + std::to_string(id) + " was extended already (on " + date_of(r.extended_at) +
                                  "); a deadline is extended once, by two months; nothing was changed");
  if (r.state == DeadlineState::passed)
    fail(ErrorKind::rejected, "request " + std::to_string(id) + "'s deadline " + r.deadline +
                                  " has passed: an extension must be given within the first month; nothing was changed");
  add_event(session, r, "extended", {{"reason", reason}});
  return open_request(session, id);
}

Request close_request(Session& session, std::int64_t id, const RequestClosing& closing) {
  check_request_closing(closing);
  Request r = open_request(session, id);
  refuse_unless_open(r, "closed");
  // A fee is charged only for an inspection copy the fee rule charged for
  // (rights/inspection.h; the decision was recorded when the copy was made).
  if (closing.fee_cents && *closing.fee_cents > 0 && r.inspection.fee != "charged")
    fail(ErrorKind::rejected,
         "request " + std::to_string(id) + " cannot be charged for: " +
             (r.kind != "inspection" ? "only an inspection copy can be, and this is a request of " + r.kind
              : !r.inspected_at      ? std::string("its copy has not been made yet (kaappi inspect decides the fee)")
                                     : "its copy was made free of charge on " + date_of(*r.inspected_at) +
                                           " (the fee rule's decision)") +
             "; nothing was changed");
  nlohmann::json details{{"in_person", closing.handed_over_in_person}};
  if (closing.handed_over_in_person) {
    details["identity_checked_with"] = closing.identity_checked_with;
    details["handed_over_by"] = closing.handed_over_by;
  }
  if (closing.fee_cents) details["fee_cents"] = *closing.fee_cents;
  if (!blank(closing.reason)) details["reason"] = closing.reason;
  add_event(session, r, "closed", details);
  return open_request(session, id);
}

Request mark_inspected(Session& session, std::int64_t id, const InspectionRecord& record) {
  Request r = open_request(session, id);
  refuse_unless_open(r, "inspected");
  if (r.kind != "inspection")
    fail(ErrorKind::rejected, "request " + std::to_string(id) + " is a request of " + r.kind +
                                  ", not of inspection; nothing was changed");
  if (r.inspected_at)
    fail(ErrorKind::rejected, "request " + std::to_string(id) + "'s copy was made already (on " +
                                  date_of(*r.inspected_at) + "); nothing was changed");
  add_event(session, r, "inspected",
            {{"fee", record.fee}, {"previous", record.previous}, {"lang", record.lang}, {"documents", record.documents}});
  return open_request(session, id);
}

std::string format_fee(std::int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100), static_cast<long long>(cents % 100));
  return buf;
}

std::int64_t parse_fee(const std::string& text, const Message& what) {
  auto bad = [&] { fail(ErrorKind::usage, what + " must be an amount in euros like 15 or 12.50, not '" + text + "'"); };
  std::size_t sep = text.find_first_of(".,");
  const std::string whole = text.substr(0, sep);
  const std::string part = sep == std::string::npos ? "" : text.substr(sep + 1);
  auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 7 || !digits(whole) || part.size() > 2 || !digits(part) ||
      (sep != std::string::npos && part.empty()))
    bad();
  std::int64_t cents = std::stoll(whole) * 100;
  if (part.size() == 1) cents += (part[0] - '0') * 10;
  if (part.size() == 2) cents += std::stoll(part);
  return cents;
}

}  // namespace kaappi
