// pdf_input.h — the one check of a file offered as a PDF, before the PDF
// helper reads it. kaappi import and kaappi-scan both use it, so a file one
// refuses the other refuses too, for the same reason.
#pragma once

#include <cstdint>

namespace kaappi {

// Checks an open file: a regular file (open it with O_NONBLOCK, so that a
// FIFO planted as a PDF cannot stall the open; the check clears it), not empty, at most max_size bytes,
// with "%PDF-" in its first 1024 bytes (read from the current offset).
// Returns its size. Throws ErrorKind::rejected with the reason alone ("it is
// not a PDF", "it is a folder, not a regular file"), for the caller to put
// after the file's name; the size limit's reason names the input max_size (a
// Field).
std::uint64_t check_pdf_input(int fd, std::uint64_t max_size);

}  // namespace kaappi
