// cmd_accept_restore.cpp — kaappi accept-restore --reason TEXT: the key
// holder accepts that the archive was restored from a backup on purpose.
#include <iostream>

#include "base/dates.h"
#include "cli/cli.h"

namespace kaappi::cli {

void register_accept_restore(CLI::App& app, Globals& g) {
  auto reason = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "accept-restore", "accept that the archive was restored from a backup on purpose (records a signed note)");
  cmd->add_option("--reason", *reason, "why it was restored; recorded, sealed, in the archive")->required();
  cmd->footer(
      "Example:\n  kaappi accept-restore --reason \"disk failed; restored last night's backup\"\n"
      "Only when this machine saw a newer (or another) history of the archive than it now has: the changes\n"
      "that the backup does not hold are given up. Every other machine that saw them re-anchors through the\n"
      "signed restore row and says so; verify shows it as a note.");
  cmd->callback([&g, reason] {
    Session::AcceptedRestore r = Session::accept_restore(g.archive_path(), g.unlock_options(), *reason);
    std::string lost = "change " + std::to_string(r.row.lost_seq) + " (digest " +
                       to_hex(r.row.lost_digest).substr(0, 8) + "…)";
    if (g.json) {
      print_json({{"restore", r.row.id},
                  {"seq", r.row.seq},
                  {"lost_seq", r.row.lost_seq},
                  {"lost_digest", to_hex(r.row.lost_digest)},
                  {"was", r.was == HistoryState::rolled_back ? "rolled back" : "forked"},
                  {"head", r.head_seq}});
      return;
    }
    std::cout << "Recorded restore row " << r.row.id << " (change " << r.row.seq << ", " << format_time(r.row.at)
              << "): the archive was " << (r.was == HistoryState::rolled_back ? "rolled back" : "forked")
              << "; " << lost << " that this machine saw is given up.\n"
              << "This machine now follows change " << r.head_seq << "; writes work again.\n";
  });
}

}  // namespace kaappi::cli
