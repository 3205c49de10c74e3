// no_core_dumps.h — a front end's process never leaves its memory on disk
// or to another process: decrypted names, e-mails, business IDs and keys
// would be in a core file or readable through /proc/PID/mem.
#pragma once

namespace kaappi::frontend {

// Sets RLIMIT_CORE to 0 (soft and hard, so it cannot be raised again) and
// PR_SET_DUMPABLE to 0 (no core file, /proc/PID of the process owned by root,
// no ptrace attach by the same user). run_main calls it first thing. Neither
// call can fail for these arguments.
void forbid_core_dumps();

}  // namespace kaappi::frontend
