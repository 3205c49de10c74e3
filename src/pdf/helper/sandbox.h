// sandbox.h — the helper's seccomp filters. The other half of its sandbox,
// the rlimits (address space, CPU seconds, no file writes, no core dumps, few
// descriptors), is set by the client before the helper starts, from limits
// only the client knows (pdf/pdf_probe.cpp, start_server), so that they hold
// from the helper's first instruction.
//
// The filters are allowlists: only the system calls the helper needs pass;
// any other call kills the process (SECCOMP_RET_KILL_PROCESS, the status
// shows SIGSYS), and so does a call of another ABI (32-bit x86, x32). Files
// may be opened only read-only: open/openat with O_WRONLY, O_RDWR, O_CREAT,
// O_TRUNC, O_APPEND or O_TMPFILE fail with EPERM (so that a library that
// tries to write a cache fails gracefully), and nothing that changes, links,
// removes or renames a file is allowed at all.
//
// Without its filter the helper reads no PDF: a filter that cannot be
// installed is reported (refuse_without_sandbox) and nothing is read.
#pragma once

namespace kaappi::pdf_helper {

// Whose filter: a document's process (reads one PDF: memory, read-only files,
// its output), or the fork server (that, and forking a document's process,
// waiting for it, receiving requests, installing the document's filter).
// Filters stack, so a document's process forked by the server is held to the
// document's allowlist.
enum class Role { document, server };

// The helper's own filter, installed first thing: `server` for
// `kaappi-pdf-probe --server`, `document` when it reads one PDF from stdin.
// Returns 0, or the errno why the filter could not be installed. Fault point
// pdf.seccomp.
int install_helper_filter(Role role);

// A document's process forked by the server: the document's allowlist (no new
// processes or threads). Returns 0 or the errno. Fault point pdf.nofork.
int forbid_fork();

// Says on stderr that the filter could not be installed (`error` is its
// errno) and returns the exit status for it (probe::Status::sandbox_refused).
int refuse_without_sandbox(int error);

}  // namespace kaappi::pdf_helper
