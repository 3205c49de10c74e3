// pdf_input.cpp — see pdf_input.h.
#include "pdf/pdf_input.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <string_view>

#include "base/error.h"
#include "base/file_io.h"
#include "base/file_kind.h"

namespace kaappi {

std::uint64_t check_pdf_input(int fd, std::uint64_t max_size) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("cannot read the file");
  if (!S_ISREG(st.st_mode)) fail(ErrorKind::rejected, wrong_kind("it", st.st_mode, "a regular file"));
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) fail_errno("cannot read the file");
  if (st.st_size == 0) fail(ErrorKind::rejected, "the file is empty");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_size)
    fail(ErrorKind::rejected, "it is larger than the limit of " + std::to_string(max_size >> 20) + " MiB (" +
                                  Field{"max_size"} + ")");
  std::uint8_t head[1024];
  size_t n = read_full(fd, head, sizeof head, "the file");
  if (std::string_view(reinterpret_cast<const char*>(head), n).find("%PDF-") == std::string_view::npos)
    fail(ErrorKind::rejected, "it is not a PDF");
  return size;
}

}  // namespace kaappi
