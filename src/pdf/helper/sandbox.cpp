// sandbox.cpp — see sandbox.h.
#include "pdf/helper/sandbox.h"

#include <seccomp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "base/error.h"
#include "base/fault.h"
#include "pdf/probe_protocol.h"

namespace kaappi::pdf_helper {
namespace {

// Adds a rule that makes each of `calls` fail with EPERM, and loads the
// filter. Returns 0 or the errno of seccomp_init or seccomp_load. A rule that
// cannot be added (a call this architecture does not have) is left out.
template <size_t N>
int install_denials(std::string_view fault_point, const int (&calls)[N]) {
  try {
    fault::point(fault_point);  // tests: KAAPPI_FAULT=pdf.seccomp:error
  } catch (const Error&) {
    return EIO;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return ENOMEM;
  for (int call : calls) seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), call, 0);
  int rc = seccomp_load(ctx);
  seccomp_release(ctx);
  return rc < 0 ? -rc : 0;
}

}  // namespace

int install_helper_filter() {
  const int denied[] = {
      SCMP_SYS(socket),   SCMP_SYS(connect),    SCMP_SYS(bind),     SCMP_SYS(listen),   SCMP_SYS(accept),
      SCMP_SYS(accept4),  SCMP_SYS(sendto),     SCMP_SYS(execve),   SCMP_SYS(execveat), SCMP_SYS(fork),
      SCMP_SYS(vfork),    SCMP_SYS(ptrace),     SCMP_SYS(unlink),   SCMP_SYS(unlinkat), SCMP_SYS(rename),
      SCMP_SYS(renameat), SCMP_SYS(renameat2),  SCMP_SYS(mkdir),    SCMP_SYS(mkdirat),  SCMP_SYS(rmdir),
      SCMP_SYS(chmod),    SCMP_SYS(fchmod),     SCMP_SYS(fchmodat), SCMP_SYS(chown),    SCMP_SYS(fchown),
      SCMP_SYS(truncate), SCMP_SYS(ftruncate),  SCMP_SYS(link),     SCMP_SYS(linkat),   SCMP_SYS(symlink),
      SCMP_SYS(symlinkat), SCMP_SYS(kill),      SCMP_SYS(tkill),    SCMP_SYS(setuid),   SCMP_SYS(setgid),
  };
  return install_denials("pdf.seccomp", denied);
}

int forbid_fork() {
  const int denied[] = {SCMP_SYS(clone), SCMP_SYS(clone3), SCMP_SYS(fork), SCMP_SYS(vfork)};
  return install_denials("pdf.nofork", denied);
}

int refuse_without_sandbox(int error) {
  std::fprintf(stderr, "%s%s\n", probe::k_sandbox_message, std::strerror(error));
  return static_cast<int>(probe::Status::sandbox_refused);
}

}  // namespace kaappi::pdf_helper
