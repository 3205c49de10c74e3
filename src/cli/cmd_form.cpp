// cmd_form.cpp — kaappi form print: consent forms to print, one per customer
// (and blank ones), whose scans file themselves by their QR codes
// (forms/form_instances.h; docs/FORMS.md).
#include <iostream>

#include "cli/cli.h"
#include "export/form_print.h"
#include "rights/personal_reads.h"

namespace kaappi::cli {

void register_form(CLI::App& app, Globals& g) {
  auto* form = app.add_subcommand("form", "printed consent forms whose scans file themselves");
  form->require_subcommand(1);

  struct Args {
    FormPrintOptions options;
    bool force = false;
  };
  auto a = std::make_shared<Args>();
  auto* print = form->add_subcommand("print", "write customer-information forms to print, into one A4 PDF");
  print->add_option("--customer", a->options.customers, "a customer's number; give it once per customer (one form each)");
  print->add_option("--blank", a->options.blank, "this many blank forms, not yet tied to a customer, after them");
  print->add_option("--lang", a->options.language, "the forms' language: fi, sv or en (default fi)");
  print->add_option("-o,--output", a->options.output, "the PDF to write (made mode 0600)")->required();
  print->add_flag("-f,--force", a->force, "replace an existing output file");
  add_read_reason(print, a->options.reason, default_read_reason("form print"));
  print->footer(
      "Each form is two pages: the consents and bans as boxes to tick, with the date and signature\n"
      "lines, then the register's short notice (from the setting register_texts, as inspect). Every\n"
      "page carries corner marks and a QR code: the form's random id, its template and page, and a\n"
      "code only this archive's key makes, never a name or number. When its scan is imported or\n"
      "ingested it is filed to its customer as a consent-form by itself.\n"
      "Examples:\n"
      "  kaappi form print --customer NUMBER -o FORM.pdf\n"
      "  kaappi form print --customer NUMBER --customer NUMBER --lang sv -o FORMS.pdf\n"
      "  kaappi form print --blank N -o BLANK.pdf");
  print->callback([&g, a] {
    FormPrintOptions& options = a->options;
    options.overwrite = a->force ? Overwrite::yes : Overwrite::no;
    check_form_print_request(options);
    const RegisterTexts texts = read_register_texts(g.setting("register_texts").value, KAAPPI_REGISTER_TEXTS_TEMPLATE);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    std::vector<PrintedForm> printed = print_forms(s, options, texts);
    if (g.json) {
      nlohmann::json forms = nlohmann::json::array();
      for (const PrintedForm& p : printed)
        forms.push_back({{"form", p.row_id},
                         {"label", p.label},
                         {"customer", p.customer.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.customer)}});
      print_json({{"output", options.output}, {"language", options.language}, {"forms", forms}});
      return;
    }
    size_t blank = 0;
    for (const PrintedForm& p : printed) {
      if (p.customer.empty()) ++blank;
      else if (!g.quiet) std::cerr << "form " << p.label << " for customer " << printable(p.customer) << "\n";
    }
    if (blank > 0 && !g.quiet) std::cerr << blank << " blank form" << (blank == 1 ? "" : "s") << "\n";
    std::cerr << "wrote " << printed.size() << " form" << (printed.size() == 1 ? "" : "s") << " to "
              << printable(options.output) << "\n";
  });
}

}  // namespace kaappi::cli
