// cmd_upgrade.cpp — kaappi upgrade: bring an archive made by an older kaappi
// to the current index layout.
#include <iostream>

#include "cli/cli.h"

namespace kaappi::cli {

void register_upgrade(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("upgrade", "upgrade an archive made by an older kaappi (no key needed)");
  cmd->footer(
      "Example:\n  kaappi upgrade\n"
      "Runs every step from the archive's index layout to the current one in one transaction, holding the\n"
      "archive's lock; no signed row and no document changes. On a current archive it does nothing.");
  cmd->callback([&g] {
    UpgradeReport r = Archive::upgrade(g.archive_path(), *g.observer);
    if (g.json) {
      print_json({{"from_version", r.from_version}, {"to_version", r.to_version}, {"changes", r.changes}});
    } else if (r.changes.empty()) {
      std::cout << "Archive " << printable(g.archive_path()) << " is current (schema version " << r.to_version
                << "); nothing to do.\n";
    } else {
      std::cout << "Upgraded archive " << printable(g.archive_path()) << " from schema version " << r.from_version
                << " to " << r.to_version << ":\n";
      for (const auto& change : r.changes) std::cout << "  " << change << "\n";
      std::cout << "No signed row, document or key was changed.\n";
    }
  });
}

}  // namespace kaappi::cli
