// test_requests.cpp — a data subject's requests (rights/requests.h): the
// deadline one month from receipt (the month's last day when it has no such
// day), the one extension by two months within the first month, closing once
// (in person with the identity document's kind, or with a reason), what an
// erasure of the person leaves, and verify clean throughout. In-process,
// with the fixture's manual clock (2026-03-01 12:00 UTC).
#include <catch2/catch.hpp>

#include "base/dates.h"
#include "base/error.h"
#include "rights/requests.h"
#include "store/erasure.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"
#include "verify/verifier.h"

using namespace kaappi;

namespace {

NewRequest request_of(const std::string& kind, const std::string& received, const std::string& note = "") {
  NewRequest r;
  r.kind = kind;
  r.received = received;
  r.channel = "letter";
  r.note = note;
  return r;
}

RequestClosing in_person(const std::string& identity, const std::string& by) {
  RequestClosing c;
  c.handed_over_in_person = true;
  c.identity_checked_with = identity;
  c.handed_over_by = by;
  return c;
}

std::size_t problems_of(test::ArchiveFixture& fx, bool full) {
  fx.reopen();
  Session& s = fx.session();
  VerifyOptions options;
  options.quiet = true;
  VerifyReport r = verify_archive(s.archive(), s.archive().public_key(), full ? &s : nullptr, options);
  for (const auto& p : r.problems) UNSCOPED_INFO(p.problem + ": " + p.detail);
  return r.problems.size();
}

}  // namespace

TEST_CASE("a deadline is one month from receipt, ending on the month's last day when it has no such day", "[requests]") {
  CHECK(add_months("2026-02-27", 1) == "2026-03-27");
  CHECK(add_months("2026-01-31", 1) == "2026-02-28");
  CHECK(add_months("2024-01-31", 1) == "2024-02-29");
  CHECK(add_months("2026-11-30", 3) == "2027-02-28");
  CHECK(add_months("2026-12-15", 1) == "2027-01-15");
  CHECK(add_months("2026-10-31", 3) == "2027-01-31");
  CHECK(days_between("2026-03-01", "2026-03-05") == 4);
  CHECK(days_between("2026-03-01", "2026-02-28") == -1);
  CHECK(days_between("2024-02-28", "2024-03-01") == 2);
  CHECK(days_between("2026-12-31", "2027-01-01") == 1);
}

TEST_CASE("fees are euros with at most two decimals", "[requests]") {
  CHECK(parse_fee("15", "fee") == 1500);
  CHECK(parse_fee("12.5", "fee") == 1250);
  CHECK(parse_fee("12,50", "fee") == 1250);
  CHECK(parse_fee("0", "fee") == 0);
  CHECK(format_fee(1250) == "12.50");
  CHECK(format_fee(7) == "0.07");
  for (const char* bad : {"", "-5", "1.234", "12.", ".5", "abc", "1e3", "12 EUR", "99999999"})
    CHECK(test::error_kind_of([&] { parse_fee(bad, "fee"); }) == ErrorKind::usage);
}

TEST_CASE("requests are recorded with their deadline and state, refused when the input is wrong", "[requests]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Session& s = fx.session();

  Request open = add_request(s, anna, request_of("inspection", "2026-02-27", "asked at the counter"));
  CHECK(open.deadline == "2026-03-27");
  CHECK(open.days_left == 26);
  CHECK(open.state == DeadlineState::open);
  CHECK(open.note == "asked at the counter");
  CHECK(open.customer_number == "1001");
  CHECK(open.channel == "letter");

  Request near = add_request(s, anna, request_of("rectification", "2026-02-05"));
  CHECK(near.deadline == "2026-03-05");
  CHECK(near.state == DeadlineState::near);
  Request passed = add_request(s, anna, request_of("erasure", "2026-01-31"));
  CHECK(passed.deadline == "2026-02-28");
  CHECK(passed.days_left == -1);
  CHECK(passed.state == DeadlineState::passed);

  // What needs no archive is refused before it (and by the library too).
  CHECK(test::error_kind_of([&] { add_request(s, anna, request_of("complaint", "2026-02-27")); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { add_request(s, anna, request_of("inspection", "2026-03-02")); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { add_request(s, anna, request_of("inspection", "2026-02-30")); }) == ErrorKind::usage);
  NewRequest bad_channel = request_of("inspection", "2026-02-27");
  bad_channel.channel = "fax";
  CHECK(test::error_kind_of([&] { add_request(s, anna, bad_channel); }) == ErrorKind::usage);
  CHECK(list_requests(s).size() == 3);

  // The clock moves on: the state follows today.
  fx.clock().advance(27 * 86400);  // 2026-03-28
  CHECK(find_request(s, open.id).state == DeadlineState::passed);
  CHECK(list_requests(s, anna.id, true).size() == 3);
  CHECK(problems_of(fx, false) == 0);
  CHECK(problems_of(fx, true) == 0);
}

TEST_CASE("a deadline is extended once within the first month and a request is closed once", "[requests]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Session& s = fx.session();
  Request r = add_request(s, anna, request_of("inspection", "2026-02-20"));

  CHECK(test::error_kind_of([&] { extend_request(s, r.id, " "); }) == ErrorKind::usage);
  Request extended = extend_request(s, r.id, "many documents to collect");
  CHECK(extended.extended);
  CHECK(extended.deadline == "2026-05-20");
  CHECK(extended.extension_reason == "many documents to collect");
  CHECK(test::error_kind_of([&] { extend_request(s, r.id, "again"); }) == ErrorKind::rejected);

  Request late = add_request(s, anna, request_of("objection", "2026-01-15"));
  CHECK(test::error_kind_of([&] { extend_request(s, late.id, "too late"); }) == ErrorKind::rejected);
  CHECK(test::error_kind_of([&] { extend_request(s, 999, "no such"); }) == ErrorKind::not_found);

  // Closing: a handover names the identity document's kind and who handed it over; otherwise a reason.
  CHECK(test::error_kind_of([&] { close_request(s, r.id, RequestClosing{}); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { close_request(s, r.id, in_person("", "Maija")); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { close_request(s, r.id, in_person("AB1234567", "Maija")); }) == ErrorKind::usage);
  CHECK(test::error_kind_of([&] { close_request(s, r.id, in_person("passport", " ")); }) == ErrorKind::usage);
  RequestClosing no_handover;
  no_handover.identity_checked_with = "passport";
  no_handover.reason = "x";
  CHECK(test::error_kind_of([&] { close_request(s, r.id, no_handover); }) == ErrorKind::usage);
  CHECK(list_requests(s, {}, true).size() == 2);  // nothing was closed

  RequestClosing both = in_person("passport", "Maija");
  both.reason = "and a reason";
  CHECK(test::error_kind_of([&] { close_request(s, r.id, both); }) == ErrorKind::usage);
  // A fee only for a copy the fee rule charged for.
  RequestClosing handed = in_person("id-card", "Maija Myyjä");
  handed.fee_cents = 1500;
  CHECK(test::error_kind_of([&] { close_request(s, r.id, handed); }) == ErrorKind::rejected);  // no copy yet
  RequestClosing fee_otherwise;
  fee_otherwise.reason = "x";
  fee_otherwise.fee_cents = 500;
  CHECK(test::error_kind_of([&] { close_request(s, late.id, fee_otherwise); }) == ErrorKind::rejected);  // an objection
  Request free_copy = add_request(s, anna, request_of("inspection", "2026-02-21"));
  mark_inspected(s, free_copy.id, InspectionRecord{"free", {}, "fi", {}});
  CHECK(test::error_kind_of([&] { close_request(s, free_copy.id, handed); }) == ErrorKind::rejected);
  handed.fee_cents = 0;  // no fee: a free copy's handover
  CHECK_FALSE(close_request(s, free_copy.id, handed).closing.fee_cents.value_or(1));
  handed.fee_cents = 1500;
  mark_inspected(s, r.id, InspectionRecord{"charged", {"2026-02-21"}, "fi", {}});
  Request closed = close_request(s, r.id, handed);
  REQUIRE(closed.closed_at);
  CHECK(closed.state == DeadlineState::closed);
  CHECK(closed.closing.handed_over_in_person);
  CHECK(closed.closing.identity_checked_with == "id-card");
  CHECK(closed.closing.handed_over_by == "Maija Myyjä");
  CHECK(closed.closing.fee_cents == 1500);
  CHECK(test::error_kind_of([&] { close_request(s, r.id, in_person("passport", "Maija")); }) == ErrorKind::rejected);
  CHECK(test::error_kind_of([&] { extend_request(s, r.id, "after closing"); }) == ErrorKind::rejected);

  RequestClosing otherwise;
  otherwise.reason = "withdrawn by the person";
  CHECK(close_request(s, late.id, otherwise).closing.reason == "withdrawn by the person");
  CHECK(list_requests(s, {}, true).empty());
  CHECK(list_requests(s).size() == 3);
  CHECK(problems_of(fx, false) == 0);
  CHECK(problems_of(fx, true) == 0);
}

TEST_CASE("an erased person's requests keep their kind and dates but not their words and verify stays clean", "[requests]") {
  test::ArchiveFixture fx;
  Customer anna = fx.add_customer("1001", "Anna Asiakas");
  Customer other = fx.add_customer("1002", "Toinen Oy");
  Session& s = fx.session();
  Request r = add_request(s, anna, request_of("erasure", "2026-02-27", "wants everything gone"));
  extend_request(s, r.id, "a contract must be kept");
  Request kept = add_request(s, other, request_of("inspection", "2026-02-27", "their own note"));

  const RequestRow row = *s.index().request(r.id);
  std::vector<ErasureTarget> targets{{"customer_keys", s.index().customer_key(anna.id)->id, "wrapped"},
                                     {"requests", row.id, "details"}};
  for (const RequestEventRow& e : s.index().request_events())
    if (e.request_id == r.id) targets.push_back({"request_events", e.id, "details"});
  erase_values(s, targets, "the person asked to be forgotten");

  fx.reopen();
  Session& after = fx.session();
  Request gone = find_request(after, r.id);
  CHECK(gone.customer_erased);
  CHECK(gone.customer_number.empty());
  CHECK(gone.note.empty());
  CHECK(gone.extension_reason.empty());
  CHECK(gone.kind == "erasure");
  CHECK(gone.received == "2026-02-27");
  CHECK(gone.extended);
  CHECK(test::error_kind_of([&] { close_request(after, r.id, RequestClosing{false, "", "", {}, "done"}); }) ==
        ErrorKind::rejected);
  CHECK(find_request(after, kept.id).note == "their own note");
  CHECK(problems_of(fx, false) == 0);
  CHECK(problems_of(fx, true) == 0);
}
