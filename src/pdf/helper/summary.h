// summary.h — reads one untrusted PDF with Poppler into the bounded summary
// (docs/FORMAT.md, "PDF summary"; fields and limits in pdf/probe_protocol.h).
#pragma once

namespace kaappi::pdf_helper {

// Reads the PDF on standard input (after the bomb guard has passed it) and
// writes its summary to standard output; a refusal is one line on standard
// error. Returns the process's exit status, a probe::Status. Call once per
// process, inside the sandbox.
int probe_document();

}  // namespace kaappi::pdf_helper
