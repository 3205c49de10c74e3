// sandbox.cpp — see sandbox.h.
//
// The lists below are what the helper was seen to call (strace -f of
// `kaappi import` and of `kaappi-pdf-probe < FILE.pdf` on scans, contracts,
// blank, zero-page, truncated, bomb and encrypted PDFs, printed forms and
// pages with fonts that are not embedded), plus calls of the
// same kind that glibc may use instead (stat for newfstatat, ...) and that
// neither change anything outside the process nor reach another process.
#include "pdf/helper/sandbox.h"

#include <fcntl.h>
#include <seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include "base/error.h"
#include "base/fault.h"
#include "pdf/probe_protocol.h"

namespace kaappi::pdf_helper {
namespace {

// Calls allowed whatever their arguments.
constexpr int k_document_calls[] = {
    // reading and closing what is open, and the output pipes
    SCMP_SYS(read), SCMP_SYS(readv), SCMP_SYS(pread64), SCMP_SYS(preadv), SCMP_SYS(write), SCMP_SYS(writev),
    SCMP_SYS(lseek), SCMP_SYS(close), SCMP_SYS(fcntl), SCMP_SYS(dup), SCMP_SYS(dup2), SCMP_SYS(dup3),
    // looking at files (Poppler's data folders, glibc's locale and gconv files)
    SCMP_SYS(fstat), SCMP_SYS(stat), SCMP_SYS(lstat), SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(getdents64),
    SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2),
    SCMP_SYS(getcwd),
    // rendering a page (the form reader): fontconfig, finding a font the PDF
    // names without embedding it, asks which file system its files are on
    // and advises the kernel how it will read them
    SCMP_SYS(fstatfs), SCMP_SYS(statfs), SCMP_SYS(fadvise64),
    // memory
    SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect), SCMP_SYS(madvise),
    // the process's own signals, locks and facts
    SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack),
    SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(getpid), SCMP_SYS(getppid), SCMP_SYS(gettid),
    SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(uname), SCMP_SYS(getrlimit),
    SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(time),
    SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep), SCMP_SYS(sched_yield), SCMP_SYS(getrandom),
    SCMP_SYS(exit), SCMP_SYS(exit_group),
};

// The fork server's, besides the document's: receiving requests, forking a
// document's process (see fork_calls), waiting for it.
constexpr int k_server_calls[] = {SCMP_SYS(recvmsg), SCMP_SYS(wait4), SCMP_SYS(seccomp)};

// Open flags that would let a file be written, created or truncated (glibc's
// O_TMPFILE includes O_DIRECTORY, which reading Poppler's data folders uses).
constexpr scmp_datum_t k_writing_flags[] = {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_TMPFILE & ~O_DIRECTORY};

// glibc's fork(): a new process, never a thread or a shared address space.
constexpr scmp_datum_t k_fork_flags = CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD;

struct FilterDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Filter = std::unique_ptr<void, FilterDeleter>;

// Adds one rule. A call this architecture does not have (libseccomp gives it
// a negative pseudo number) is left out: not allowing it is the safe side.
// With `cmp`, the rule holds only for calls whose argument compares so.
int add(const Filter& filter, uint32_t action, int call, const scmp_arg_cmp* cmp = nullptr) {
  if (call < 0) return 0;
  int rc = cmp == nullptr ? seccomp_rule_add(filter.get(), action, call, 0)
                          : seccomp_rule_add(filter.get(), action, call, 1, *cmp);
  return rc < 0 ? -rc : 0;
}

// open/openat: read-only opens pass; an open that could write, create or
// truncate fails with EPERM. `flags_arg` is the index of the flags argument.
int add_read_only_open(const Filter& filter, int call, unsigned flags_arg) {
  scmp_datum_t all = 0;
  for (scmp_datum_t flag : k_writing_flags) {
    all |= flag;
    scmp_arg_cmp has_flag{flags_arg, SCMP_CMP_MASKED_EQ, flag, flag};
    if (int e = add(filter, SCMP_ACT_ERRNO(EPERM), call, &has_flag)) return e;
  }
  scmp_arg_cmp read_only{flags_arg, SCMP_CMP_MASKED_EQ, all, 0};
  return add(filter, SCMP_ACT_ALLOW, call, &read_only);
}

int build(const Filter& filter, Role role) {
  // Another ABI's calls (32-bit x86 by int 0x80, x32 by its call-number bit)
  // would get past a filter written for this one: they kill.
  if (int rc = seccomp_attr_set(filter.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS); rc < 0) return -rc;
  for (int call : k_document_calls)
    if (int e = add(filter, SCMP_ACT_ALLOW, call)) return e;
  if (int e = add_read_only_open(filter, SCMP_SYS(open), 1)) return e;
  if (int e = add_read_only_open(filter, SCMP_SYS(openat), 2)) return e;
  // isatty (stdio asks about its streams); no other terminal control, such as
  // pushing input into the user's terminal (TIOCSTI).
  scmp_arg_cmp is_tcgets{1, SCMP_CMP_EQ, TCGETS, 0}, not_tcgets{1, SCMP_CMP_NE, TCGETS, 0};
  if (int e = add(filter, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), &is_tcgets)) return e;
  if (int e = add(filter, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), &not_tcgets)) return e;
  if (role == Role::document) return 0;
  for (int call : k_server_calls)
    if (int e = add(filter, SCMP_ACT_ALLOW, call)) return e;
  scmp_arg_cmp is_fork{0, SCMP_CMP_EQ, k_fork_flags, 0};
  if (int e = add(filter, SCMP_ACT_ALLOW, SCMP_SYS(clone), &is_fork)) return e;
  // libseccomp sets no_new_privs before it loads the document's filter; a
  // document's process asks to be killed when the server dies.
  scmp_arg_cmp is_no_new_privs{0, SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS, 0};
  if (int e = add(filter, SCMP_ACT_ALLOW, SCMP_SYS(prctl), &is_no_new_privs)) return e;
  scmp_arg_cmp is_death_signal{0, SCMP_CMP_EQ, PR_SET_PDEATHSIG, 0};
  return add(filter, SCMP_ACT_ALLOW, SCMP_SYS(prctl), &is_death_signal);
}

// Builds and loads the allowlist of `role`. Returns 0 or the errno.
int install(std::string_view fault_point, Role role) {
  try {
    fault::point(fault_point);  // tests: KAAPPI_FAULT=pdf.seccomp:error
  } catch (const Error&) {
    return EIO;
  }
  Filter filter(seccomp_init(SCMP_ACT_KILL_PROCESS));
  if (filter == nullptr) return ENOMEM;
  if (int e = build(filter, role)) return e;
  int rc = seccomp_load(filter.get());
  return rc < 0 ? -rc : 0;
}

}  // namespace

int install_helper_filter(Role role) { return install("pdf.seccomp", role); }

int forbid_fork() { return install("pdf.nofork", Role::document); }

int refuse_without_sandbox(int error) {
  std::fprintf(stderr, "%s%s\n", probe::k_sandbox_message, std::strerror(error));
  return static_cast<int>(probe::Status::sandbox_refused);
}

}  // namespace kaappi::pdf_helper
