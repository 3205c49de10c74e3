// requests.h — a data subject's requests (register description, section 9;
// GDPR art. 12(3)): inspection, rectification, erasure or objection, each
// recorded when it arrives (kaappi request add), answered within one month
// of receipt, a deadline that may be extended once by two further months
// within that first month (request extend), and closed once (request close):
// handed over in person after the person's identity was checked — the kind
// of document shown, never its number — or closed otherwise with a reason.
//
// Each is a signed row (requests, request_events; docs/FORMAT.md) whose
// note, reasons and handover are sealed under the customer's key, so an
// erasure of the person leaves the request's kind and dates, not its words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "register/customers.h"
#include "store/session.h"

namespace kaappi {

// The names the rows store, in the order help lists them.
const std::vector<std::string>& request_kinds();      // inspection, rectification, erasure, objection
const std::vector<std::string>& request_channels();   // in-person, letter, email, phone
const std::vector<std::string>& identity_documents();  // passport, id-card, driving-licence, known-person

// Days before its deadline from which an open request is "near" it.
constexpr std::int64_t k_deadline_near_days = 7;

struct NewRequest {
  std::string kind;
  std::string received;  // YYYY-MM-DD, not later than today
  std::string channel = "in-person";
  std::string note;  // optional, sealed
};

// How a request was closed.
struct RequestClosing {
  bool handed_over_in_person = false;
  std::string identity_checked_with;  // one of identity_documents(); with a handover only
  std::string handed_over_by;         // who handed it over; with a handover only
  std::optional<std::int64_t> fee_cents;
  std::string reason;  // required when not handed over in person
};

enum class DeadlineState { closed, open, near, passed };

// An inspection request's copy, when it was made (kaappi inspect; the
// request_events action "inspected", once per request): the fee decision and
// what the copy held.
struct InspectionRecord {
  std::string fee;                    // "free" or "charged"
  std::vector<std::string> previous;  // the dates of the person's earlier inspections within the year
  std::string lang;                   // fi, sv or en
  std::vector<std::int64_t> documents;  // the documents copied
};

struct Request {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::string customer_number;  // empty when the customer was erased
  bool customer_erased = false;
  std::string kind, received, channel;
  std::int64_t recorded_at = 0;
  std::string recorded_by, note;  // empty when erased
  std::string deadline;           // YYYY-MM-DD
  bool extended = false;
  std::int64_t extended_at = 0;
  std::string extended_by, extension_reason;
  std::optional<std::int64_t> closed_at;
  bool closed_by_erasure = false;  // still open when its customer was erased: closed by that erasure
  std::string closed_by;
  RequestClosing closing;
  std::optional<std::int64_t> inspected_at;  // an inspection request whose copy was made
  std::string inspected_by;
  InspectionRecord inspection;
  DeadlineState state = DeadlineState::open;
  std::int64_t days_left = 0;  // to the deadline from today (negative: passed); open requests
};

// The checks that need no archive (ErrorKind::usage): a known kind and
// channel, a date not later than `today`. Front ends call them before the passphrase.
void check_new_request(const NewRequest& request, const std::string& today);
void check_request_closing(const RequestClosing& closing);
void check_extension_reason(const std::string& reason);

// Records a request of `customer`.
Request add_request(Session& session, const Customer& customer, const NewRequest& request);
// Every request (of one customer), oldest first; `open_only`: those not yet closed.
std::vector<Request> list_requests(Session& session, std::optional<std::int64_t> customer_id = {},
                                   bool open_only = false);
// One request (ErrorKind::not_found when there is none with that id).
Request find_request(Session& session, std::int64_t id);
// Extends an open request's deadline by two months, once, within its first
// month (ErrorKind::rejected otherwise, nothing changed).
Request extend_request(Session& session, std::int64_t id, const std::string& reason);
// Closes an open request (ErrorKind::rejected when it is closed already, or
// when a fee is given for anything but an inspection copy the fee rule
// charged for).
Request close_request(Session& session, std::int64_t id, const RequestClosing& closing);

// Records that an open inspection request's copy was made (ErrorKind::rejected
// when it is closed or its copy was made already). rights/inspection.h decides the fee.
Request mark_inspected(Session& session, std::int64_t id, const InspectionRecord& record);

// "15.00" for 1500 cents; parse_fee reads "15", "15.5", "15,50" (EUR, at
// most two decimals, not negative; ErrorKind::usage naming `what`).
std::string format_fee(std::int64_t cents);
std::int64_t parse_fee(const std::string& text, const Message& what);

}  // namespace kaappi
