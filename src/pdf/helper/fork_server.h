// fork_server.h — `kaappi-pdf-probe --server`: one process per document.
//
// Standard input is a Unix socket (the protocol is in pdf/probe_protocol.h).
// Each request carries the PDF and where its stdout and stderr go; the server
// forks one child per request, which reads the document inside a no-fork
// filter under the limits it inherits (each child gets the full CPU budget of
// its own). Loading Poppler's libraries once instead of once per document
// makes bulk imports fast.
#pragma once

namespace kaappi::pdf_helper {

// Sends the hello and serves requests until the client closes the socket.
// `sandbox_error` is the errno of the helper's seccomp filter (0: in place);
// without the filter the server says so in its hello and serves nothing.
// Returns the helper's exit status.
int serve(int sock, int sandbox_error);

}  // namespace kaappi::pdf_helper
