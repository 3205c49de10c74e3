// cmd_recover.cpp — kaappi recover: finish interrupted work now.
#include <iostream>

#include "cli/cli.h"

namespace kaappi::cli {

void register_recover(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("recover", "roll back imports interrupted by a crash (every command that writes also does this)");
  cmd->footer("Example:\n  kaappi recover\nNeeds no key: only the unfinished work that the archive itself recorded is removed.");
  cmd->callback([&g] {
    Archive archive(g.archive_path(), Access::write, SchemaPolicy::enforce, *g.observer);
    int rolled_back = recover_interrupted_imports(archive);
    if (g.json) print_json({{"rolled_back", rolled_back}});
    else if (rolled_back == 0) std::cout << "Nothing to recover.\n";
    else std::cout << "Rolled back " << rolled_back << " interrupted import(s); nothing reported as stored was lost.\n";
  });
}

}  // namespace kaappi::cli
