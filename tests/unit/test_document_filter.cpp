// test_document_filter.cpp — which documents a listing shows: not erased,
// owner, kind and the local date of import, both ends of the range
// inclusive; and the checks of a filter made before any archive is opened.
#include <ctime>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "documents/document_filter.h"
#include "support/error_kind.h"

using namespace kaappi;
using kaappi::test::error_kind_of;

namespace {

// Local time on `date` (YYYY-MM-DD) at hh:mm.
std::int64_t local_time(const std::string& date, int hour, int minute) {
  std::tm t{};
  t.tm_year = std::stoi(date.substr(0, 4)) - 1900;
  t.tm_mon = std::stoi(date.substr(5, 2)) - 1;
  t.tm_mday = std::stoi(date.substr(8, 2));
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&t));
}

DocumentRow row(std::int64_t customer, std::int64_t assigned_to, const std::string& kind, std::int64_t imported_at) {
  DocumentRow r;
  r.customer_id = customer;
  r.assigned_to = assigned_to;
  r.kind = kind;
  r.imported_at = imported_at;
  r.sealed_key = Bytes(72, 1);  // not erased
  return r;
}

std::string message_of(const DocumentFilter& filter) {
  try {
    checked_document_filter(filter);
  } catch (const Error& e) {
    return e.message().text({{"since", "--since"}, {"until", "--until"}, {"kind", "--kind"}});
  }
  return "";
}

}  // namespace

TEST_CASE("a document filter's dates are local days, both ends inclusive", "[document-filter]") {
  DocumentFilter f;
  f.since = "2026-03-01";
  f.until = "2026-03-31";
  CHECK_FALSE(f.matches(row(7, 0, "contract", local_time("2026-02-28", 23, 59))));
  CHECK(f.matches(row(7, 0, "contract", local_time("2026-03-01", 0, 0))));
  CHECK(f.matches(row(7, 0, "contract", local_time("2026-03-31", 23, 59))));
  CHECK_FALSE(f.matches(row(7, 0, "contract", local_time("2026-04-01", 0, 0))));
  f.until.clear();
  CHECK(f.matches(row(7, 0, "contract", local_time("2030-01-01", 12, 0))));
  f.since.clear();
  f.until = "2026-03-01";
  CHECK(f.matches(row(7, 0, "contract", local_time("1999-01-01", 12, 0))));
  CHECK_FALSE(f.matches(row(7, 0, "contract", local_time("2026-03-02", 0, 0))));
}

TEST_CASE("a document filter's owner and kind: an assigned scan is its customer's, an erased one is nobody's",
          "[document-filter]") {
  DocumentFilter all;
  const std::int64_t at = local_time("2026-05-05", 10, 0);
  CHECK(all.matches(row(0, 0, "other", at)));
  DocumentFilter mine;
  mine.customer = 7;
  CHECK(mine.matches(row(7, 0, "other", at)));
  CHECK(mine.matches(row(0, 7, "other", at)));
  CHECK_FALSE(mine.matches(row(8, 0, "other", at)));
  CHECK_FALSE(mine.matches(row(0, 0, "other", at)));
  DocumentFilter unassigned;
  unassigned.customer = 0;
  CHECK(unassigned.matches(row(0, 0, "other", at)));
  CHECK_FALSE(unassigned.matches(row(0, 7, "other", at)));
  DocumentRow erased = row(7, 0, "other", at);
  erased.sealed_key.clear();
  CHECK_FALSE(all.matches(erased));
  CHECK_FALSE(mine.matches(erased));
  mine.kind = "contract";
  CHECK_FALSE(mine.matches(row(7, 0, "other", at)));
  CHECK(mine.matches(row(7, 0, "contract", at)));
}

TEST_CASE("a document filter is checked without the archive: kind, dates, their order", "[document-filter]") {
  DocumentFilter f;
  CHECK(checked_document_filter(f).kind.empty());
  f.kind = "contract";
  f.since = "2026-01-31";
  f.until = "2026-01-31";
  CHECK(checked_document_filter(f).until == "2026-01-31");  // one day

  DocumentFilter bad = f;
  bad.kind = "Contract";
  CHECK(error_kind_of([&] { checked_document_filter(bad); }) == ErrorKind::usage);
  CHECK(message_of(bad) == "--kind must be consent-form, contract or other, not 'Contract'");
  bad = f;
  bad.since = "2026-02-29";  // not a leap year
  CHECK(message_of(bad) == "--since must be a date like 2026-01-31, not '2026-02-29'");
  bad = f;
  bad.until = "2026-1-31";
  CHECK(message_of(bad) == "--until must be a date like 2026-01-31, not '2026-1-31'");
  bad = f;
  bad.since = "2026-02-01";
  CHECK(error_kind_of([&] { checked_document_filter(bad); }) == ErrorKind::usage);
  CHECK(message_of(bad) ==
        "--since 2026-02-01 is after --until 2026-01-31: no day is in that range; give the earlier date first");
}

TEST_CASE("a document filter follows a move and a kind change: the latest assignment and kind decide",
          "[document-filter]") {
  const std::int64_t at = local_time("2026-05-05", 10, 0);
  DocumentRow moved = row(7, 8, "other", at);  // taken in with customer 7, moved to 8
  CHECK(moved.owner() == 8);
  DocumentFilter old_customer, new_customer;
  old_customer.customer = 7;
  new_customer.customer = 8;
  CHECK_FALSE(old_customer.matches(moved));
  CHECK(new_customer.matches(moved));
  moved.changed_kind = "contract";
  CHECK(moved.current_kind() == "contract");
  new_customer.kind = "contract";
  CHECK(new_customer.matches(moved));
  new_customer.kind = "other";
  CHECK_FALSE(new_customer.matches(moved));
}
