// form_print.h — kaappi form print: customer-information forms for
// customers (and blank ones) in one A4 PDF (export/form_pdf.h draws it), each
// form a signed form_instances row (forms/form_instances.h), the read of the
// names printed logged (rights/personal_reads.h). Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/file_io.h"
#include "export/register_texts.h"
#include "store/session.h"

namespace kaappi {

struct FormPrintOptions {
  std::vector<std::string> customers;  // numbers; one form each, in this order
  int blank = 0;                       // blank forms after them
  std::string language = "fi";
  std::string output;                  // the PDF's path
  Overwrite overwrite = Overwrite::no;
  std::string reason;                  // of the read of the customers' names (empty: the default)
};

struct PrintedForm {
  std::string customer;  // number; empty for a blank form
  std::string label;     // the short id printed in its footer
  std::int64_t row_id = 0;
};

// What needs no archive: the language, a count, the output (a folder, or an
// existing file without overwrite); ErrorKind::usage / rejected.
void check_form_print_request(const FormPrintOptions& options);

// Prints the forms into options.output (0600, appearing only when whole):
// every customer must exist and be neither erased nor restricted
// (ErrorKind::not_found / rejected, nothing written). Records the read of
// their names, then the form_instances rows in one signed write, then names
// the file.
std::vector<PrintedForm> print_forms(Session& session, const FormPrintOptions& options, const RegisterTexts& texts);

}  // namespace kaappi
