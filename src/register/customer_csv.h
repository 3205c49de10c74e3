// customer_csv.h — customer records to and from CSV (kaappi customer
// import | export).
//
// The header row names the fields by their keys (customer_fields(); case
// and '_' for '-' do not matter) plus "feedback", whose cell holds one entry
// per line as "YYYY-MM-DD text". Export adds the read-only columns version,
// created, changed and changed-by, which import skips, so an export imports
// back as the same records. A value that a spreadsheet would run as a
// formula (starting with =, @, or + or - followed by more than a number) is
// written with a leading ' that import removes again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "register/customers.h"

namespace kaappi {

struct CustomerCsv {
  std::vector<CustomerRecord> records;
  std::vector<std::size_t> lines;   // the line each record starts on
  std::vector<std::string> errors;  // "line 4, field 'email': ..."
};

// Parses and checks every row; problems are collected, not thrown (except
// for a file that is not CSV at all).
CustomerCsv read_customer_csv(std::string_view text);

// Checks the file, then stores every record in one transaction. Throws
// ErrorKind::rejected listing every bad row when any row is bad (nothing is
// stored). Returns the number of customers added.
std::size_t import_customer_csv(Session& session, const std::string& path);

struct CsvExportOptions {
  char separator = ',';
  bool bom = false;
};
std::string write_customer_csv(const std::vector<Customer>& customers, const CsvExportOptions& options);

}  // namespace kaappi
