// cmd_customer_csv.cpp — kaappi customer import | export (CSV).
#include <unistd.h>

#include <iostream>
#include <optional>

#include "register/customer_csv.h"
#include "register/customer_restriction.h"
#include "base/file_io.h"
#include "cli/cli.h"
#include "rights/personal_reads.h"

namespace kaappi::cli {

void register_customer_csv(CLI::App& customer, Globals& g) {
  auto path = std::make_shared<std::string>();
  auto* import = customer.add_subcommand("import", "add customers from a CSV file (all rows or none)");
  import->add_option("FILE", *path, "CSV file: UTF-8, comma or semicolon separated, header row naming the fields")
      ->required();
  std::string columns;
  for (const auto& s : customer_fields()) columns += std::string(columns.empty() ? "" : ", ") + s.key;
  import->footer("Columns: " + columns + ", feedback (one \"YYYY-MM-DD text\" per line); number and name are "
                 "required.\nEvery bad row is reported with its line; if any row is bad nothing is imported.\n"
                 "Example:\n  kaappi customer import FILE.csv");
  import->callback([&g, path] {
    Session s(g.archive_path(), Access::write, g.unlock_options());
    std::size_t n = import_customer_csv(s, *path);
    if (g.json) print_json({{"imported", n}});
    else std::cout << "Imported " << n << (n == 1 ? " customer\n" : " customers\n");
  });

  struct ExportArgs {
    std::string output, separator = "comma", reason;
    bool bom = false, force = false;
  };
  auto a = std::make_shared<ExportArgs>();
  auto* exp = customer.add_subcommand("export", "write every customer record to a CSV file (plaintext: keep it safe)");
  exp->add_option("-o,--output", a->output, "CSV file to write (mode 0600), or - for standard output")->required();
  exp->add_option("--separator", a->separator, "comma (default), semicolon (Finnish Excel) or tab")
      ->check(CLI::IsMember({"comma", "semicolon", "tab"}));
  exp->add_flag("--bom", a->bom, "start with a UTF-8 byte-order mark (helps Excel)");
  exp->add_flag("--force", a->force, "replace an existing file");
  add_read_reason(exp, a->reason, default_read_reason("customer export"));
  exp->footer("The read is recorded in the access log once, naming every customer exported.\n"
              "Examples:\n  kaappi customer export -o asiakkaat.csv\n"
              "  kaappi customer export -o asiakkaat.csv --separator semicolon --bom --reason \"WHY\"");
  exp->callback([&g, a] {
    if (a->output != "-") check_output_file(a->output);
    if (a->output != "-" && !a->force && path_exists(a->output))
      fail(ErrorKind::rejected, a->output + " already exists; use --force to replace it");
    Session s(g.archive_path(), Access::log, g.unlock_options());
    CsvExportOptions options;
    options.separator = a->separator == "semicolon" ? ';' : a->separator == "tab" ? '\t' : ',';
    options.bom = a->bom;
    auto customers = list_customers(s);
    const std::size_t left_out = leave_out_restricted(s, customers);  // on no list
    std::string text = write_customer_csv(customers, options);
    // An output that cannot be written where named is refused before the read is recorded.
    std::optional<AtomicFile> out;
    if (a->output != "-") out.emplace(a->output, "", 0600, "export", PathRole::user_output);
    std::vector<std::int64_t> ids;
    for (const auto& c : customers) ids.push_back(c.id);
    record_read(s, "customer export", std::move(ids), a->reason);
    note_restricted_left_out(left_out);
    if (!out) {
      write_full(STDOUT_FILENO, reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), "standard output");
      return;
    }
    out->write(as_bytes(text));
    out->commit(a->force ? Overwrite::yes : Overwrite::no);
    if (g.json) print_json({{"exported", customers.size()}, {"file", a->output}});
    else if (!g.quiet) std::cout << "Exported " << customers.size() << " customers to " << a->output << "\n";
  });
}

}  // namespace kaappi::cli
