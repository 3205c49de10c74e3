// cmd_inspect.cpp — kaappi inspect: a person's inspection copy for their
// open inspection request (export/inspection.h), the fee decided by
// rights/inspection.h.
#include <iostream>

#include "cli/cli.h"
#include "export/inspection.h"
#include "export/request_json.h"
#include "rights/inspection.h"
#include "rights/personal_reads.h"

namespace kaappi::cli {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string ids_text(const std::vector<std::int64_t>& ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.push_back(std::to_string(id));
  return joined(out);
}

}  // namespace

void register_inspect(CLI::App& app, Globals& g) {
  struct Args {
    std::string number;
    InspectionOptions options;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("inspect", "a person's inspection copy for their request: data.json, a readable "
                                            "report.pdf and their documents, into a new folder");
  cmd->add_option("NUMBER", a->number, "customer number")->required();
  cmd->add_option("-o,--output", a->options.directory, "new (or empty) folder to write, made mode 0700")->required();
  cmd->add_option("--request", a->options.request,
                  "the person's open inspection request it answers (see kaappi request list --open)")
      ->required();
  cmd->add_option("--lang", a->options.lang, "the report's language: fi, sv or en (default fi)");
  add_read_reason(cmd, a->options.reason, default_read_reason("inspect") + " ID");
  cmd->footer("The register's texts (controller, purposes, recipients, retention, rights, the supervisory\n"
              "authority) are read from the file the setting register_texts names (default\n"
              "~/.config/kaappi/register-texts; template " KAAPPI_REGISTER_TEXTS_TEMPLATE ").\n"
              "The first inspection in 12 months is free, further ones are charged at cost (setting\n"
              "inspection_free_per_year). Hand the copy over in person only, then close the request.\n"
              "The read of the person's data and of each document is recorded in the access log.\n"
              "Example:\n  kaappi inspect NUMBER -o FOLDER --request ID --lang sv");
  cmd->callback([&g, a] {
    InspectionOptions& options = a->options;
    check_inspection_options(options);
    const auto free_setting = g.setting("inspection_free_per_year");
    options.free_per_year = parse_free_per_year(free_setting.value, Field{"inspection_free_per_year"});
    const RegisterTexts texts = read_register_texts(g.setting("register_texts").value, KAAPPI_REGISTER_TEXTS_TEMPLATE);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = require_customer(s, a->number);
    InspectionResult r = write_inspection(s, c, texts, options);
    if (g.json) {
      print_json({{"request", request_json(r.request)},
                  {"fee", {{"decision", r.fee.fee()},
                           {"free_per_year", r.fee.free_per_year},
                           {"since", r.fee.since},
                           {"previous", r.fee.previous},
                           {"earlier_inspections", r.earlier}}},
                  {"folder", options.directory},
                  {"documents", r.documents},
                  {"erased", r.erased}});
      return;
    }
    std::cout << "Earlier inspections of customer " << printable(a->number) << ": "
              << (r.earlier.empty() ? "none" : joined(r.earlier)) << "\n";
    std::cout << "This inspection (request " << options.request << ") is "
              << (r.fee.free ? "free" : "charged at cost") << ": " << r.fee.previous.size()
              << " earlier within 12 months (since " << r.fee.since << "), " << r.fee.free_per_year
              << " free in 12 months\n";
    std::cout << "Wrote " << printable(options.directory) << ": data.json, report.pdf (" << options.lang << ")";
    if (!r.documents.empty())
      std::cout << ", " << r.documents.size() << (r.documents.size() == 1 ? " document" : " documents") << " ("
                << ids_text(r.documents) << ")";
    std::cout << "\n";
    if (!r.erased.empty()) std::cout << "Erased, listed but not copied: documents " << ids_text(r.erased) << "\n";
    std::cout << "Hand it over in person only, after checking identity; then: kaappi request close "
              << options.request << " --handed-over-in-person --identity-checked-with KIND --by NAME"
              << (r.fee.free ? "" : " --fee EUR") << "\n";
  });
}

}  // namespace kaappi::cli
