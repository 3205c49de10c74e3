// escape_attempts.h — TEST-ONLY: proves the sandbox by breaking out of it.
//
// When KAAPPI_FAULT names one of the fault points `pdf.escape.NAME` (with the
// action `error`, e.g. KAAPPI_FAULT=pdf.escape.unlink:error), a document's
// process tries that forbidden thing once its seccomp filter is in place,
// aimed at the PDF it was given (the file behind its standard input): open it
// for writing (open-write, open-rdwr), truncate it through a read-only open
// (open-truncate), create a file beside it (open-create, creat, mkdir), change
// it (truncate, chmod, unlink, rename, link, symlink), or reach outside the
// process (socket, execve, ptrace, signal, fork; x32: unlink through the x32
// ABI). The kill of the filter ends the process there (SIGSYS); a
// refusal (the opens: EPERM) is said on stderr ("NAME refused: why") and the
// document is then read as usual; a forbidden thing that got through is said
// on stderr ("sandbox escape: NAME succeeded") and the process exits with
// probe::Status::escaped. tests/e2e/test_pdf_sandbox.cpp expects every one
// killed or refused.
//
// It runs only after the filter is installed and only does things the
// filter must stop, so it cannot weaken the sandbox; KAAPPI_FAULT is the
// fault-injection switch of all kaappi programs, never set in normal use.
#pragma once

namespace kaappi::pdf_helper {

// Tries the forbidden thing KAAPPI_FAULT asks for, if any (see above).
// Returns normally unless it got through or was killed.
void attempt_escape_if_asked();

}  // namespace kaappi::pdf_helper
