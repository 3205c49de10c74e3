// summary.h — reads one untrusted PDF with Poppler into the bounded summary
// (docs/FORMAT.md, "PDF summary"; fields and limits in pdf/probe_protocol.h).
#pragma once

namespace kaappi::pdf_helper {

// Reads the PDF on standard input (after the bomb guard has passed it) and
// writes its summary to standard output; a refusal is one line on standard
// error. Returns the process's exit status, a probe::Status. Call once per
// process, inside the sandbox.
int probe_document();

// Loads, in the fork server before it forks, what Poppler, glibc's character
// conversion and the time zone set up on first use, so that each document's
// process inherits it instead of building it again. Reads no input.
void warm_up();

}  // namespace kaappi::pdf_helper
