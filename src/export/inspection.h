// inspection.h — kaappi inspect: the copy of everything the register holds
// about one person, made for their open inspection request (register
// description, section 9; docs/INSPECTION.md).
//
// Into a new folder (or an empty one; mode 0700, a link refused) go
// data.json (inspection_json.h), report.pdf (inspection_report_pdf.h, in the
// chosen language) and a copy of each of the person's documents,
// document-ID.pdf (0600), each read through get_document so the access log
// records it (action "inspect", reason "inspection request ID" unless another
// is given), after the read of the person's data itself (the reads log); an erased
// document is listed as erased, with no copy. The fee decision
// (rights/inspection.h) is recorded last, as the request's "inspected"
// event. If anything fails, what was written is removed again (the reads
// stay in the access log: they happened).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "export/register_texts.h"
#include "register/customers.h"
#include "rights/inspection.h"
#include "store/session.h"

namespace kaappi {

struct InspectionOptions {
  std::int64_t request = 0;
  std::string directory;
  std::string lang = "fi";
  std::string reason;  // recorded in the access log; empty: "inspection request ID"
  int free_per_year = k_inspections_free_per_year;
};

struct InspectionResult {
  Request request;                      // as recorded, with its "inspected" event
  FeeDecision fee;
  std::vector<std::string> earlier;     // every earlier inspection's date
  std::vector<std::int64_t> documents;  // copied
  std::vector<std::int64_t> erased;     // listed as erased, not copied
  std::string data_path, report_path;
};

// The checks that need no archive (a known language, a new or empty
// folder); throws. Front ends call it, and read the register's texts, before
// asking for the passphrase.
void check_inspection_options(const InspectionOptions& options);
InspectionResult write_inspection(Session& session, const Customer& customer, const RegisterTexts& texts,
                                  const InspectionOptions& options);

}  // namespace kaappi
