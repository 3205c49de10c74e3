// cmd_consent_csv.cpp — kaappi consent import (CSV).
#include <iostream>

#include "base/word_list.h"
#include "cli/cli.h"
#include "consent/consent_csv.h"

namespace kaappi::cli {

void register_consent_csv(CLI::App& consent, Globals& g) {
  auto path = std::make_shared<std::string>();
  auto* import = consent.add_subcommand("import", "record consent events from a CSV file (all rows or none)");
  import->add_option("FILE", *path, "CSV file: UTF-8, comma or semicolon separated, header row naming the columns")
      ->required();
  import->footer("Columns (in any order): " + comma_list(consent_csv_columns()) +
                 ".\ncustomer (the customer's number), purpose and state are required. Each row records what\n"
                 "kaappi consent set would with the same values and checks, see its --help: purpose is one of\n"
                 "its purposes or bans, state " + or_list(recordable_consent_states()) +
                 ", document the id of that customer's signed form.\n"
                 "An empty cell is a value not given: effective is then the day of the import; source is\n"
                 "signed-form with a document and other without. Rows are recorded in file order (of two\n"
                 "events effective the same day, the later row counts). Every bad row is reported with its\n"
                 "line; if any row is bad nothing is recorded.\n"
                 "Example:\n  kaappi consent import FILE.csv");
  import->callback([&g, path] {
    Session s(g.archive_path(), Access::write, g.unlock_options());
    std::size_t n = import_consent_csv(s, *path);
    if (g.json) print_json({{"imported", n}});
    else std::cout << "Recorded " << n << (n == 1 ? " consent event\n" : " consent events\n");
  });
}

}  // namespace kaappi::cli
