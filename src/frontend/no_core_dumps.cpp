// no_core_dumps.cpp — see no_core_dumps.h.
#include "frontend/no_core_dumps.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace kaappi::frontend {

void forbid_core_dumps() {
  rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

}  // namespace kaappi::frontend
