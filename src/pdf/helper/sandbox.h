// sandbox.h — the helper's seccomp filters. The other half of its sandbox,
// the rlimits (address space, CPU seconds, no file writes, no core dumps, few
// descriptors), is set by the client before the helper starts, from limits
// only the client knows (pdf/pdf_probe.cpp, start_server), so that they hold
// from the helper's first instruction.
//
// Without its filter the helper reads no PDF: a filter that cannot be
// installed is reported (refuse_without_sandbox) and nothing is read.
#pragma once

namespace kaappi::pdf_helper {

// The whole helper: no networking, no starting programs, no changing files,
// no signalling other processes. Returns 0, or the errno why the filter could
// not be installed. Fault point pdf.seccomp.
int install_helper_filter();

// A document's process: no new processes or threads either. Returns 0 or the
// errno. Fault point pdf.nofork.
int forbid_fork();

// Says on stderr that the filter could not be installed (`error` is its
// errno) and returns the exit status for it (probe::Status::sandbox_refused).
int refuse_without_sandbox(int error);

}  // namespace kaappi::pdf_helper
