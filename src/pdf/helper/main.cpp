// kaappi-pdf-probe — reads one untrusted PDF and prints a bounded summary.
//
// This program links Poppler and no key code. Every document is read by its
// own process, under CPU, wall-clock, memory and file-size limits, so a crash
// or hang in the parser cannot touch the archive, nor another document.
//
//   kaappi-pdf-probe < FILE.pdf   reads one PDF from standard input.
//   kaappi-pdf-probe --server     (kaappi's way) standard input is a Unix
//       socket; see fork_server.h and pdf/probe_protocol.h.
//
// Its parts: sandbox (seccomp allowlists; refuses to run without them),
// escape_attempts (test-only: tries what the sandbox forbids), bomb_guard
// (decompression bombs refused before Poppler), summary (Poppler → the
// summary), fork_server. Output (stdout): one JSON object, see docs/FORMAT.md
// ("PDF summary"). Exit statuses: probe::Status in pdf/probe_protocol.h.
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "pdf/helper/escape_attempts.h"
#include "pdf/helper/fork_server.h"
#include "pdf/helper/sandbox.h"
#include "pdf/helper/summary.h"
#include "pdf/probe_protocol.h"

using namespace kaappi;

int main(int argc, char** argv) {
  bool server = argc == 2 && std::strcmp(argv[1], probe::k_server_flag) == 0;
  if (argc != 1 && !server) {
    std::fprintf(stderr, "usage: %s < FILE.pdf | %s %s\n", probe::k_program, probe::k_program, probe::k_server_flag);
    return static_cast<int>(probe::Status::usage);
  }
  using pdf_helper::Role;
  int sandbox_error = pdf_helper::install_helper_filter(server ? Role::server : Role::document);
  if (server) return pdf_helper::serve(STDIN_FILENO, sandbox_error);
  if (sandbox_error != 0) return pdf_helper::refuse_without_sandbox(sandbox_error);
  pdf_helper::attempt_escape_if_asked();
  return pdf_helper::probe_document();
}
