// cmd_import.cpp — kaappi import FILE.pdf... [--customer N] [--kind K]: each file filed by forms/scan_filing.h.
#include <iostream>

#include "documents/documents.h"
#include "base/file_io.h"
#include "base/word_list.h"
#include "cli/cli.h"
#include "frontend/stop_on_signal.h"

namespace kaappi::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> files;
  std::string customer;
  std::string kind;  // "": not given
  std::uint64_t max_size_mb = 4096;
};

void run(Globals& g, const ImportArgs& a) {
  Session s(g.archive_path(), Access::write, g.unlock_options());
  std::optional<Customer> customer;
  if (!a.customer.empty()) customer = require_customer(s, a.customer);
  ImportOptions options;
  options.kind = a.kind;
  options.max_size = a.max_size_mb << 20;
  options.limits = ProbeLimits::from_environment();
  options.quiet = g.quiet;
  std::vector<ImportOutcome> outcomes;
  int stop_signal = 0;
  {  // Ctrl-C or SIGTERM: the file being written is finished, the rest not started
    frontend::StopOnSignal stop;
    options.stop = stop.request();
    outcomes = import_files(s, customer, a.files, options);
    stop_signal = stop.signal();
  }
  std::vector<ItemResult> results;
  std::size_t stored = 0, interrupted = 0;
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& o : outcomes) {
    const char* status = "stored";
    switch (o.status) {
      case ImportOutcome::Status::stored:
        ++stored;
        results.push_back(o.done_in_part ? ItemResult::done_in_part : ItemResult::done);
        if (!g.json) {
          std::cout << "stored   " << printable(o.file) << " as document " << o.document_id << " (" << o.pages
                    << (o.pages == 1 ? " page, " : " pages, ") << human_size(o.size) << ")"
                    << (o.stored_name == base_name(o.file) ? "" : ", named " + printable(o.stored_name) + " in the archive");
          if (o.filed.customer.empty())
            std::cout << ", unassigned: " << why_unassigned(o.filed) << " (kaappi assign " << o.document_id
                      << " --customer N)";
          else if (!filed_by_words(o.filed).empty())
            std::cout << " for customer " << printable(o.filed.customer) << filed_by_words(o.filed);
          std::cout << "\n";
        }
        for (const std::string& note : o.filed.notes)
          std::cerr << "kaappi: " << printable(o.file) << ": " << printable(note) << "\n";
        if (!o.message.empty()) std::cerr << "kaappi: " << printable(o.file) << ": " << printable(text_of(o.message)) << "\n";
        break;
      case ImportOutcome::Status::duplicate:
        status = "duplicate";
        results.push_back(ItemResult::done);
        if (!g.json) std::cout << "skipped  " << printable(o.file) << ": " << text_of(o.message) << "\n";
        break;
      case ImportOutcome::Status::rejected:
        status = "rejected";
        results.push_back(ItemResult::rejected);
        std::cerr << "kaappi: " << printable(text_of(o.message)) << "\n";
        break;
      case ImportOutcome::Status::not_found:
        status = "not-found";
        results.push_back(ItemResult::not_found);
        std::cerr << "kaappi: " << printable(text_of(o.message)) << "\n";
        break;
      case ImportOutcome::Status::failed:
        status = "failed";
        results.push_back(ItemResult::failed);
        std::cerr << "kaappi: " << printable(o.file) << " was not stored: " << printable(text_of(o.message)) << "\n";
        break;
      case ImportOutcome::Status::refused:
        status = "refused";
        results.push_back(ItemResult::refused);
        std::cerr << "kaappi: " << printable(o.file) << " was not stored: " << printable(text_of(o.message)) << "\n";
        break;
      case ImportOutcome::Status::interrupted:
        status = "interrupted";
        ++interrupted;
        results.push_back(ItemResult::not_started);
        if (!g.json) std::cout << "not stored (interrupted)  " << printable(o.file) << "\n";
        break;
    }
    nlohmann::json j = {{"file", o.file}, {"status", status}};
    if (o.document_id) j["document"] = o.document_id;
    if (o.status == ImportOutcome::Status::stored) {
      j["pages"] = o.pages;
      j["size"] = o.size;
      j["stored_name"] = o.stored_name;
      add_filing_json(j, o.filed);
    }
    if (!o.message.empty()) j["message"] = text_of(o.message);
    arr.push_back(j);
  }
  if (g.json) print_json({{"results", arr}});
  if (interrupted > 0)
    std::cerr << "kaappi: interrupted: " << stored << (stored == 1 ? " file" : " files") << " stored, " << interrupted
              << " not stored; run the same command again to store the rest (files already stored are skipped)\n";
  g.exit_code = exit_code_for_items(results, stop_signal);
}

}  // namespace

void register_import(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "encrypt and index scanned PDFs; prints the new document ids");
  cmd->add_option("FILE", a->files, "PDF files")->required();
  cmd->add_option("--customer", a->customer,
                  "customer number the documents belong to (default: each scan's printed form, or the number its "
                  "text names; else unassigned)");
  cmd->add_option("--kind", a->kind, or_list(document_kinds()) + " (default other; a printed form is a consent-form)")
      ->check(CLI::IsMember(document_kinds()));
  cmd->add_option("--max-size", a->max_size_mb, "largest PDF accepted, in MiB (default 4096)");
  cmd->footer(
      "Examples:\n"
      "  kaappi import FILE.pdf... --customer NUMBER --kind consent-form\n"
      "  kaappi import FOLDER/*.pdf --customer NUMBER --kind contract --json\n"
      "  kaappi import SCAN.pdf        # a form from kaappi form print files itself by its QR code\n"
      "A scan of a form printed by kaappi form print goes to the customer it was printed for, as a\n"
      "consent-form; one of another customer than --customer names is stored unassigned, naming both.\n"
      "Each file stands alone: the output says which were stored and which not (exit 6 if some were\n"
      "stored and some not; if none was: 4 refused, 5 a file named is not there, 1 the archive refused the\n"
      "write: altered or rolled back, run kaappi verify). Ctrl-C stops after the\n"
      "file being written: the output says which files were stored; the same command again stores the rest.");
  cmd->callback([&g, a] { run(g, *a); });
}

}  // namespace kaappi::cli
