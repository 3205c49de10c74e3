// form_print.cpp — see form_print.h.
#include "export/form_print.h"

#include <algorithm>

#include "base/dates.h"
#include "base/error.h"
#include "base/languages.h"
#include "export/form_pdf.h"
#include "export/form_words.h"
#include "format/blob_format.h"
#include "forms/form_instances.h"
#include "pdf/form_layout.h"
#include "register/customer_restriction.h"
#include "register/customers.h"
#include "rights/personal_reads.h"

namespace kaappi {
namespace {

constexpr const char* k_read_action = "form print";

}  // namespace

void check_form_print_request(const FormPrintOptions& options) {
  const auto& langs = print_languages();
  if (std::find(langs.begin(), langs.end(), options.language) == langs.end())
    fail(ErrorKind::usage, "no forms in '" + options.language + "'; use fi, sv or en");
  if (options.blank < 0 || options.blank > 1000)
    fail(ErrorKind::usage, "a count of blank forms from 0 to 1000, not " + std::to_string(options.blank));
  if (options.customers.empty() && options.blank == 0)
    fail(ErrorKind::usage, "name a customer (" + Field{"customer"} + " N, once per form) or ask for blank forms (" +
                               Field{"blank"} + ")");
  if (options.customers.size() > 10000) fail(ErrorKind::usage, "at most 10000 customers' forms at once");
  if (options.output.empty()) fail(ErrorKind::usage, "name the PDF to write: " + Field{"output"} + " FILE");
  check_output_file(options.output);
  if (options.overwrite == Overwrite::no && path_exists(options.output))
    fail(ErrorKind::rejected, options.output + " already exists; use " + Field{"overwrite"} + " to replace it");
}

std::vector<PrintedForm> print_forms(Session& session, const FormPrintOptions& options, const RegisterTexts& texts) {
  check_form_print_request(options);
  const form::TemplateLayout& layout = *form::form_template(form::current_form_template());

  // Every customer first: nothing is recorded or written for a list with a missing one.
  std::vector<Customer> customers;
  std::vector<std::int64_t> ids;
  for (const std::string& number : options.customers) {
    std::optional<Customer> found = find_customer(session, number);
    if (!found) {
      if (auto at = customer_erased_at(session, number))
        fail(ErrorKind::not_found, "customer " + number + " was erased on " + date_of(*at) +
                                       ": no form is printed for them; nothing was written");
      fail(ErrorKind::not_found, "no customer " + number + "; nothing was written");
    }
    Customer c = std::move(*found);
    if (auto since = customer_restricted_at(session, c.id))
      fail(ErrorKind::rejected, "customer " + number + " is restricted since " + date_of(*since) +
                                    " (their erasure was asked while a hold keeps their record): no form is printed "
                                    "for them; nothing was written");
    ids.push_back(c.id);
    customers.push_back(std::move(c));
  }
  // An output that cannot be written where named is refused before the read is recorded.
  AtomicFile out(options.output, "", 0600, "form", PathRole::user_output);

  const SecretBuffer key = session.secrets().derive(ArchiveKey::form_code);
  std::vector<FormInstanceRow> rows;
  std::vector<FormToPrint> forms;
  std::vector<PrintedForm> printed;
  const size_t count = customers.size() + static_cast<size_t>(options.blank);
  for (size_t i = 0; i < count; ++i) {
    FormInstanceRow row;
    row.uid = random_bytes(k_uid_size);
    row.instance = random_bytes(form::k_instance_bytes);
    row.template_version = layout.version;
    row.language = options.language;
    row.customer_id = i < customers.size() ? customers[i].id : 0;
    FormToPrint f;
    f.language = options.language;
    if (i < customers.size()) {
      f.customer_number = customers[i].number();
      f.customer_name = customers[i].name();
    }
    f.form_label = form_label(row.instance);
    form::FormCode code;
    code.template_version = layout.version;
    std::copy(row.instance.begin(), row.instance.end(), code.instance.begin());
    for (size_t p = 1; p <= layout.pages.size(); ++p) {
      code.page = static_cast<int>(p);
      code.mac = form_code_mac(key, code);
      f.page_codes.push_back(form::encode_form_code(code));
    }
    printed.push_back({f.customer_number, f.form_label, 0});
    forms.push_back(std::move(f));
    rows.push_back(std::move(row));
  }
  const Bytes pdf = forms_pdf(layout, forms, texts);
  out.write(pdf);
  out.sync();

  record_read(session, k_read_action, ids, options.reason);
  session.write([&](Index::Writer& w) {
    for (FormInstanceRow& row : rows) {
      row.at = session.now();
      w.insert_form_instance(row);
    }
  });
  for (size_t i = 0; i < rows.size(); ++i) printed[i].row_id = rows[i].id;
  out.commit(options.overwrite);
  return printed;
}


}  // namespace kaappi
