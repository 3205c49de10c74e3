// cmd_upgrade.cpp — kaappi upgrade: bring an archive made by an older kaappi
// to the current index layout.
#include <iostream>

#include "cli/cli.h"

namespace kaappi::cli {

void register_upgrade(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("upgrade", "upgrade an archive made by an older kaappi");
  cmd->footer(
      "Example:\n  kaappi upgrade\n"
      "Runs every step from the archive's index layout to the current one in one transaction, holding the\n"
      "archive's lock. From format 1 it needs the key: it checks every format-1 signature and that the\n"
      "archive continues the head this machine saw, then signs the history anew as format 2: every blob is\n"
      "read and hashed anew (SHA-256), every sealed value sealed anew under format 2's keys; no document's\n"
      "content and no blob file changes. On a current archive it does nothing and asks for nothing.");
  cmd->callback([&g] {
    UpgradeReport r = upgrade_archive(g.archive_path(), g.unlock_options());
    if (g.json) {
      print_json({{"from_version", r.from_version}, {"to_version", r.to_version}, {"changes", r.changes}});
    } else if (r.changes.empty()) {
      std::cout << "Archive " << printable(g.archive_path()) << " is current (schema version " << r.to_version
                << "); nothing to do.\n";
    } else {
      std::cout << "Upgraded archive " << printable(g.archive_path()) << " from schema version " << r.from_version
                << " to " << r.to_version << ":\n";
      for (const auto& change : r.changes) std::cout << "  " << change << "\n";
      std::cout << "No document's content and no blob file was changed.\n";
    }
  });
}

}  // namespace kaappi::cli
