// personal_reads.h — every read of personal data, logged (docs/REGISTER.md,
// "Reads of personal data"): a command that shows customers' data (customer
// show, history, list, export, consent show, history, list, proof, documents
// with names, inspect; and request list, hold list and document history,
// whose notes and reasons may speak of a person) records one signed `reads` row per run before the data
// leaves — when, which command, the customers it showed (their ids, sealed
// under the field key: never in plaintext, never one row per customer), who
// and why (sealed under that customer's key when the row names one, so that
// their erasure erases it, else under the field key). A command that showed
// no customer records nothing. Reading the log back gives each entry with the
// customers as ids; an erased reason reads as erased.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/session.h"

namespace kaappi {

// The reason recorded when none is given, one per action (the one rule;
// "inspect" gets the request's: default_inspect_reason).
std::string default_read_reason(const std::string& action);
std::string default_inspect_reason(std::int64_t request);

// Records that `action` showed `customers` (ids; repeats counted once) for
// `reason` (empty: the action's default), in one signed write. Nothing when
// `customers` is empty. Returns the row written.
std::optional<ReadRow> record_read(Session& session, const std::string& action, std::vector<std::int64_t> customers,
                                   const std::string& reason);

// The customers a reads row names, opened under the field key (ErrorKind::corrupt when it does not open).
std::vector<std::int64_t> read_customers(const Session& session, const ReadRow& row);

struct PersonalRead {
  std::int64_t id = 0;
  std::int64_t seq = 0;
  std::int64_t at = 0;
  std::string action;
  std::vector<std::int64_t> customers;  // ids, ascending
  std::string by, reason;
  bool erased = false;  // who and why were erased with the one customer it names
};

// The reads log in id (= time) order; with `customer`, only the entries
// that name that customer.
std::vector<PersonalRead> personal_reads(Session& session, std::optional<std::int64_t> customer = {});

// kaappi access-log: the reads of documents (documents.h, access_log) and
// the reads rows together, in time order. With `document`, only that
// document's reads (ErrorKind::not_found: no such document); with
// `customer`, the reads of their documents (theirs when read, or without a
// customer then and theirs now — never a read while the document was
// another customer's) and the reads rows that name them.
struct AccessLogEntry {
  std::int64_t seq = 0;                  // its row's place in the signed history: the order
  std::optional<std::int64_t> document;  // a read of a document
  std::vector<std::int64_t> customers;   // whose data it showed (a document's read: its customer then, if any)
  std::int64_t at = 0;
  std::string action, by, reason;
  bool erased = false;  // who and why were erased
};
std::vector<AccessLogEntry> access_log_entries(Session& session, std::optional<std::int64_t> document,
                                               std::optional<std::int64_t> customer);

// The numbers of these customers (nullopt: erased since, or their number is
// gone), for showing the entries.
std::map<std::int64_t, std::optional<std::string>> customer_numbers(Session& session,
                                                                    const std::vector<std::int64_t>& ids);

}  // namespace kaappi
