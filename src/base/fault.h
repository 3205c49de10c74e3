// fault.h — named fault points for crash and error injection in tests.
//
// Every step of every durable write calls fault::point("name"). Normally this
// does nothing. When the environment variable KAAPPI_FAULT is set to
// "NAME[:ACTION][@N]", the Nth time (default first) the point NAME is reached,
// ACTION happens: "crash" (default) kills the process with SIGKILL, as a power
// cut or kill -9 would; "error" throws an I/O error; "enospc" throws the error
// a full disk gives; "sigint" and "sigterm" send the process that signal and
// go on (as Ctrl-C or a shutdown at that moment would); "stop" stops the
// process (SIGSTOP) until it is sent SIGCONT, so a test can change files
// at that very point (another process swapping a file in). Tests use it to stop the real binaries after each step.
// The list of points is in docs/FORMAT.md ("Write ordering").
#pragma once

#include <string_view>

namespace kaappi::fault {

void point(std::string_view name);

}  // namespace kaappi::fault
