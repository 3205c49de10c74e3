// cmd_accept_restore.cpp — kaappi accept-restore --reason TEXT: the key
// holder accepts that the archive was restored from a backup on purpose; with
// --other-archive, that the archive folder now holds another archive made
// with the same key.
#include <iostream>

#include "base/dates.h"
#include "cli/cli.h"

namespace kaappi::cli {
namespace {

void accept_other_archive(Globals& g) {
  Session::AcceptedArchive r = Session::accept_other_archive(g.archive_path(), g.unlock_options());
  if (g.json) {
    print_json({{"previous_archive", to_hex(r.previous_archive)},
                {"archive", to_hex(r.archive_id)},
                {"head", r.head_tx}});
    return;
  }
  std::cout << "Archive folder " << printable(g.archive_path()) << " now holds archive " << to_hex(r.archive_id)
            << " for this machine, in place of archive " << to_hex(r.previous_archive)
            << ". Nothing was written to the archive.\n"
            << "This machine now follows change " << r.head_tx << " there; writes work again.\n";
}

}  // namespace

void register_accept_restore(CLI::App& app, Globals& g) {
  auto reason = std::make_shared<std::string>();
  auto other = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "accept-restore", "accept that the archive was restored from a backup on purpose (records a signed note)");
  auto* reason_opt = cmd->add_option("--reason", *reason, "why it was restored; recorded, sealed, in the archive");
  cmd->add_flag("--other-archive", *other,
                "accept that the archive folder now holds another archive made with the same key (nothing is "
                "recorded in the archive; this machine follows the new one there)")
      ->excludes(reason_opt);
  cmd->footer(
      "Example:\n  kaappi accept-restore --reason \"WHY\"\n"
      "Only when this machine saw a newer (or another) history of the archive than it now has: the changes\n"
      "that the backup does not hold are given up. Every other machine that saw them re-anchors through the\n"
      "signed restore row and says so; verify shows it as a note.\n"
      "  kaappi accept-restore --other-archive\n"
      "Only when the archive folder held another archive when this machine last used it (an archive made\n"
      "with the same key, kaappi init --reuse-key, was put in its place). Each machine that used the old\n"
      "one there accepts it for itself.");
  cmd->callback([&g, reason, other] {
    if (*other) {
      accept_other_archive(g);
      return;
    }
    Session::AcceptedRestore r = Session::accept_restore(g.archive_path(), g.unlock_options(), *reason);
    std::string lost = "change " + std::to_string(r.row.lost_tx) + " (digest " +
                       to_hex(r.row.lost_digest).substr(0, 8) + "…)";
    if (g.json) {
      print_json({{"restore", r.row.id},
                  {"change", r.head_tx},
                  {"lost_change", r.row.lost_tx},
                  {"lost_digest", to_hex(r.row.lost_digest)},
                  {"was", r.was == HistoryState::rolled_back ? "rolled back" : "forked"},
                  {"head", r.head_tx}});
      return;
    }
    std::cout << "Recorded restore row " << r.row.id << " (change " << r.head_tx << ", " << format_time(r.row.at)
              << "): the archive was " << (r.was == HistoryState::rolled_back ? "rolled back" : "forked")
              << "; " << lost << " that this machine saw is given up.\n"
              << "This machine now follows change " << r.head_tx << "; writes work again.\n";
  });
}

}  // namespace kaappi::cli
