// inspection.h — the rules of a data subject's inspection (register
// description, section 9): which request an inspection copy answers, and the
// fee rule — "free once a year; further inspections are charged at cost" by
// default, the number free in any twelve months configurable.
//
// A person's earlier inspections are their other inspection requests whose
// copy was made (kaappi inspect: the request's "inspected" event, its date)
// or, for a request answered before kaappi made copies, that was closed with
// a handover in person (the closing date). A request closed otherwise (the
// person withdrew it) is no inspection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "register/customers.h"
#include "rights/requests.h"
#include "store/session.h"

namespace kaappi {

// The default number of inspections free in twelve months.
constexpr int k_inspections_free_per_year = 1;

struct FeeDecision {
  bool free = true;
  std::vector<std::string> previous;  // earlier inspections within the twelve months, oldest first (YYYY-MM-DD)
  std::string since;                  // the first day of those twelve months
  int free_per_year = k_inspections_free_per_year;
  std::string fee() const { return free ? "free" : "charged"; }
};

// The fee rule alone: of the inspection dates `earlier` (any order, any age),
// those after `today` less twelve months count; the inspection is free while
// fewer than `free_per_year` count.
FeeDecision decide_inspection_fee(const std::vector<std::string>& earlier, const std::string& today, int free_per_year);

// "1" -> 1: a whole number from 0 to 365 (ErrorKind::usage naming `what`).
int parse_free_per_year(const std::string& text, const Message& what);

// The request an inspection of `customer` answers: request `id` exists
// (else ErrorKind::not_found), is of kind inspection, of that customer, open,
// and its copy not made yet (else ErrorKind::rejected, nothing changed).
Request inspection_request(Session& session, std::int64_t id, const Customer& customer);

// The dates of `customer`'s inspections other than `request`, oldest first
// (the rule above).
std::vector<std::string> earlier_inspections(Session& session, const Customer& customer, const Request& request);

}  // namespace kaappi
