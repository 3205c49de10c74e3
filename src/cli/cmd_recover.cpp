// cmd_recover.cpp — kaappi recover: finish interrupted work now.
#include <cctype>
#include <iostream>

#include "cli/cli.h"

namespace kaappi::cli {

void register_recover(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("recover", "roll back imports interrupted by a crash (every command that writes also does this)");
  cmd->footer("Example:\n  kaappi recover\nNeeds no key: only the unfinished work that the archive itself recorded is removed.");
  cmd->callback([&g] {
    Archive archive(g.archive_path(), Access::write, SchemaPolicy::enforce, *g.observer);
    Archive::Recovery done = recover_interrupted_imports(archive);
    std::string said = describe_recovery(done);
    if (g.json) print_json({{"rolled_back", done.rolled_back}, {"intents_of_stored_documents", done.of_stored}});
    else if (said.empty()) std::cout << "Nothing to recover: no import was interrupted.\n";
    else std::cout << char(std::toupper(static_cast<unsigned char>(said[0]))) << said.substr(1) << ".\n";
  });
}

}  // namespace kaappi::cli
