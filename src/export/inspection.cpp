// inspection.cpp — see inspection.h.
#include "export/inspection.h"

#include <algorithm>
#include <set>

#include "base/dates.h"
#include "base/error.h"
#include "base/languages.h"
#include "documents/documents.h"
#include "export/inspection_json.h"
#include "export/inspection_report_pdf.h"
#include "export/output_folder.h"
#include "register/customer_restriction.h"

namespace kaappi {
void check_inspection_options(const InspectionOptions& options) {
  const auto& langs = print_languages();
  if (std::find(langs.begin(), langs.end(), options.lang) == langs.end())
    fail(ErrorKind::usage, Field{"lang"} + " must be fi, sv or en, not '" + options.lang + "'");
  check_output_folder(options.directory, "name the folder for the inspection copy: " + Field{"output"} + " DIR");
}

InspectionResult write_inspection(Session& session, const Customer& customer, const RegisterTexts& texts,
                                  const InspectionOptions& options) {
  check_inspection_options(options);
  InspectionData data;
  data.request = inspection_request(session, options.request, customer);
  const std::string today = date_of(session.now());
  data.earlier = earlier_inspections(session, customer, data.request);
  data.fee = decide_inspection_fee(data.earlier, today, options.free_per_year);

  OutputFolder out(options.directory);
  InspectionResult result;
  const std::string reason = options.reason.empty() ? default_inspect_reason(options.request) : options.reason;
  // The read of the person's data is logged before anything of theirs is written.
  record_read(session, "inspect", {customer.id}, reason);
  GetOptions get;
  get.reason = reason;
  get.quiet = true;
  get.action = "inspect";
  for (const DocumentRow& row : session.index().documents(customer.id)) {
    InspectedDocument doc;
    doc.row = row;
    if (row.erased()) {
      result.erased.push_back(row.id);
      data.documents.push_back(doc);
      continue;
    }
    doc.file = "document-" + std::to_string(row.id) + ".pdf";
    get.output = out.path(doc.file);
    out.add(doc.file);
    get_document(session, row.id, get);
    doc.sha256 = sha256_of_file(get.output);
    doc.info = open_document_info(session, *session.index().document(row.id));
    result.documents.push_back(row.id);
    data.documents.push_back(std::move(doc));
  }

  data.reads = access_log_entries(session, std::nullopt, customer.id);

  data.lang = options.lang;
  data.generated = format_time(session.now());
  data.generated_by = session.actor().name;
  data.archive_id = to_hex(session.archive().archive_id());
  data.customer = customer;
  data.history = customer_history(session, customer);
  data.restricted_at = customer_restricted_at(session, customer.id);
  data.as_of = today;
  data.consent_events = consent_events(session, customer);
  data.consent_states = customer_consent_states(session, customer, data.consent_events, today);
  data.requests = list_requests(session, customer.id);
  data.texts = &texts;

  const nlohmann::json json = inspection_json(data);
  const std::string text = json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  out.add("data.json");
  write_file_atomic(out.dir(), "data.json", as_bytes(text), 0600, Overwrite::no, "inspection data");
  const Bytes pdf = inspection_report_pdf(json);
  out.add("report.pdf");
  write_file_atomic(out.dir(), "report.pdf", pdf, 0600, Overwrite::no, "inspection report");

  InspectionRecord record;
  record.fee = data.fee.fee();
  record.previous = data.fee.previous;
  record.lang = options.lang;
  record.documents = result.documents;
  result.request = mark_inspected(session, options.request, record);
  result.fee = data.fee;
  result.earlier = data.earlier;
  result.data_path = out.path("data.json");
  result.report_path = out.path("report.pdf");
  out.done();
  return result;
}

}  // namespace kaappi
