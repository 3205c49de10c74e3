// customer_recognition.h — which customer a scan names, read from the PDF
// helper's summary (its text layer and metadata). Import and ingest file a
// scan by it when no customer was given and no printed form's code decided
// (forms/scan_filing.h, the stronger rule in front of it).
#pragma once

#include <string>
#include <vector>

#include "store/session.h"

namespace kaappi {

// What a scan names after a label ("Asiakasnumero: 1001", "Kundnummer",
// "Customer number", ...): the customers that exist, and the numbers that
// are no customer's, each once, in order (at most k_max_named_numbers
// different numbers are looked at). Never a guess from an unlabelled number.
struct NamedCustomers {
  std::vector<std::string> customers;  // numbers of existing customers
  std::vector<std::string> unknown;    // labelled numbers no customer has
  // The scan's customer: the one it names, or empty when it names none or
  // several numbers (also when only one of them is a customer's: the form
  // may be another's, added later).
  std::string the_one() const {
    return customers.size() == 1 && unknown.empty() ? customers.front() : std::string();
  }
};

inline constexpr size_t k_max_named_numbers = 20;

NamedCustomers customers_named_in(Session& session, const std::string& pdf_json);

}  // namespace kaappi
