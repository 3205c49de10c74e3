// document_filter.cpp — see document_filter.h.
#include "documents/document_filter.h"

#include "base/dates.h"
#include "documents/document_record.h"

namespace kaappi {

bool DocumentFilter::matches(const DocumentRow& row) const {
  if (row.erased()) return false;
  if (customer && row.owner() != *customer) return false;
  if (!kind.empty() && row.current_kind() != kind) return false;
  if (since.empty() && until.empty()) return true;
  const std::string imported = date_of(row.imported_at);  // YYYY-MM-DD: compared as text
  return (since.empty() || imported >= since) && (until.empty() || imported <= until);
}

DocumentFilter checked_document_filter(DocumentFilter filter) {
  if (!filter.kind.empty()) check_document_kind(filter.kind);
  if (!filter.since.empty()) filter.since = parse_date(filter.since, Field{"since"});
  if (!filter.until.empty()) filter.until = parse_date(filter.until, Field{"until"});
  if (!filter.since.empty() && !filter.until.empty() && filter.since > filter.until)
    fail(ErrorKind::usage, Field{"since"} + " " + filter.since + " is after " + Field{"until"} + " " + filter.until +
                               ": no day is in that range; give the earlier date first");
  return filter;
}

}  // namespace kaappi
