// main.cpp — the kaappi command: global options and subcommands, run by
// frontend/run_main (where errors become a message and an exit code).
#include <iostream>

#include "base/peak_memory.h"
#include "base/timing_report.h"
#include "cli/cli.h"
#include "frontend/run_main.h"

namespace {
// For benchmarks: KAAPPI_REPORT_PEAK_RSS=1 prints this process's peak
// resident memory (not the PDF helper's) on stderr: while deriving the key,
// and for the rest of the command; KAAPPI_REPORT_TIMING=1 the time the
// command took after the key was unlocked.
struct PeakRssReport {
  ~PeakRssReport() {
    if (auto peak = kaappi::peak_memory::take_report("after the key was derived"))
      std::cerr << "kaappi: " << *peak << "\n";
    if (auto time = kaappi::timing_report::summary()) std::cerr << "kaappi: " << *time << "\n";
  }
};
}  // namespace

int main(int argc, char** argv) {
  using namespace kaappi;
  PeakRssReport peak_rss_report;
  cli::Globals g;
  CLI::App app{"kaappi — an encrypted archive for signed consent forms and contracts.\n"
               "Scanned PDFs are stored encrypted, linked to customer records, readable only with the key.",
               "kaappi"};
  app.fallthrough();
  app.require_subcommand(1);
  // KAAPPI_ARCHIVE and KAAPPI_KEY are read by Globals::setting, not by CLI11:
  // it decides each value (option, environment, settings file, default) and says where it came from.
  app.add_option("--archive", g.archive,
                 "archive folder (else KAAPPI_ARCHIVE, else 'archive' in ~/.config/kaappi/config; "
                 "default ~/.local/share/kaappi/archive)");
  app.add_option("--key", g.key,
                 "key file (else KAAPPI_KEY, else 'key' in ~/.config/kaappi/config; default ~/.config/kaappi/kaappi.key)");
  app.add_option("--passphrase-file", g.passphrase_file, "read the passphrase from the first line of FILE")
      ->envname("KAAPPI_PASSPHRASE_FILE");
  app.add_flag("--json", g.json, "machine-readable output: one JSON document on stdout");
  app.add_flag("-q,--quiet", g.quiet, "no progress bars");
  app.add_flag_callback("-v,--verbose", [&g] { g.show_details(); }, "say how the command went about it (e.g. that it used the unlock agent)");
  app.add_flag("--no-agent", g.no_agent, "ask for the passphrase even when the unlock agent holds the key")
      ->envname("KAAPPI_NO_AGENT");
  app.footer(
      "Exit codes: 0 ok, 1 verify found problems, 2 usage, 3 wrong passphrase or key, 4 input rejected,\n"
      "5 not found, 6 done in part (the message says what), 7 the archive needs kaappi upgrade,\n"
      "70 internal error. Run 'kaappi COMMAND --help' for each command.\n"
      "Settings (archive, key, inbox, public_key, backup) may be written in ~/.config/kaappi/config\n"
      "(or the file KAAPPI_CONFIG names); options and environment variables override it: kaappi config show.");
  // The settings file is read once the command line is parsed (--help and
  // --version answered), before any command runs: a broken file stops every command.
  // kaappi lock wipes the unlocked key whatever the settings file holds: it reads none.
  app.parse_complete_callback([&g, &app] {
    for (const CLI::App* sub : app.get_subcommands())
      if (sub->get_name() == "lock") return;
    g.read_config();
  });

  cli::register_init(app, g);
  cli::register_key(app, g);
  cli::register_customer(app, g);
  cli::register_import(app, g);
  cli::register_documents(app, g);
  cli::register_access_log(app, g);
  cli::register_get(app, g);
  cli::register_consent(app, g);
  cli::register_verify(app, g);
  cli::register_backup(app, g);
  cli::register_recover(app, g);
  cli::register_station(app, g);
  cli::register_ingest(app, g);
  cli::register_assign(app, g);
  cli::register_document(app, g);
  cli::register_upgrade(app, g);
  cli::register_accept_restore(app, g);
  cli::register_agent(app, g);
  cli::register_config(app, g);
  cli::register_request(app, g);
  cli::register_hold(app, g);
  cli::register_retention(app, g);
  cli::register_erase(app, g);
  cli::register_inspect(app, g);
  cli::register_form(app, g);
  cli::register_review(app, g);

  frontend::FrontEnd front_end{"kaappi", cli::flag_names()};
  return frontend::run_main(front_end, app, argc, argv, [&g] { return g.exit_code; });
}

namespace kaappi::cli {

// How the library's inputs (kaappi::Field) read in kaappi's messages.
const std::map<std::string, std::string>& flag_names() {
  static const std::map<std::string, std::string> names = {
      {"archive", "--archive"},
      {"key", "--key"},
      {"passphrase_file", "--passphrase-file"},
      {"generation", "--generation"},
      {"start_over", "--start-over"},
      {"output", "-o"},
      {"overwrite", "--force"},
      {"reason", "--reason"},
      {"other_archive", "--other-archive"},
      {"kind", "--kind"},
      {"since", "--since"},
      {"until", "--until"},
      {"email", "--email"},
      {"search", "--search"},
      {"state", "--state"},
      {"source", "--source"},
      {"document", "--document"},
      {"note", "--note"},
      {"effective", "--effective"},
      {"from_json", "--from-json"},
      {"max_size", "--max-size"},
      {"public_key", "--public-key"},
      {"station_public_key", "KEY"},
      {"channel", "--channel"},
      {"received", "--received"},
      {"identity_checked_with", "--identity-checked-with"},
      {"handed_over_in_person", "--handed-over-in-person"},
      {"by", "--by"},
      {"fee", "--fee"},
      {"customer", "--customer"},
      {"years", "--years"},
      {"from", "--from"},
      {"until", "--until"},
      {"lang", "--lang"},
      {"blank", "--blank"},
      {"signed", "--signed"},
      {"except", "--except"},
      {"inspection_free_per_year", "the setting inspection_free_per_year"}};
  return names;
}

std::string text_of(const Message& message) { return message.text(flag_names()); }

}  // namespace kaappi::cli
