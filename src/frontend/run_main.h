// run_main.h — how a front end (kaappi, kaappi-scan) runs: the one place
// where whatever went wrong becomes one sentence on stderr and an exit code
// (base/exit_codes.h), and where --version is answered.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>

namespace kaappi::frontend {

struct FrontEnd {
  std::string program;  // "kaappi": names the program in --version and starts every message
  // How this command line names the library's inputs (kaappi::Field):
  // "state" -> "--state". A field not here shows by its own name.
  std::map<std::string, std::string> flags;
};

// Forbids core dumps (no_core_dumps.h), initialises libsodium, adds --version ("PROGRAM VERSION") to `app`, parses
// argv (subcommand callbacks run there), then returns run()'s exit code.
// Help and --version print on stdout and return 0. A parse error, a
// kaappi::Error (its fields named as `flags` says) or any other exception
// prints "PROGRAM: ..." on stderr (made printable: printable.h) and returns
// its exit code; nothing escapes.
// A parse error or a usage error ends with the failing command's help
// ("(see kaappi consent set --help)"); see usage_error.h.
int run_main(const FrontEnd& front_end, CLI::App& app, int argc, char** argv, const std::function<int()>& run);

}  // namespace kaappi::frontend
