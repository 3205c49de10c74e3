// document_filter.h — which documents a listing shows: one customer's or the
// unassigned ones, one kind, those imported within a range of dates. The one
// rule of `documents`' filters; a customer's own view lists through it too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/index_rows.h"

namespace kaappi {

struct DocumentFilter {
  // The customer's id, 0 for the documents taken in without a customer, none for all.
  std::optional<std::int64_t> customer;
  std::string kind;   // "" for every kind
  std::string since;  // YYYY-MM-DD, "" for no lower bound; inclusive
  std::string until;  // YYYY-MM-DD, "" for no upper bound; inclusive

  // Whether `row` is shown: not erased (nothing of it can be shown), its
  // owner, its kind, and the local date of its import (as format_time and the
  // date options read dates) within the range.
  bool matches(const DocumentRow& row) const;
};

// The filter's kind, dates and range checked without the archive (a kind of
// document_kinds(), real calendar dates, since not after until); throws
// ErrorKind::usage naming the input (Field "kind", "since", "until"). The
// dates come back as parse_date gives them. Front ends call it before asking
// for the passphrase.
DocumentFilter checked_document_filter(DocumentFilter filter);

}  // namespace kaappi
