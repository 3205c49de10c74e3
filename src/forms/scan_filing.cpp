// scan_filing.cpp — see scan_filing.h.
#include "forms/scan_filing.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/dates.h"
#include "base/word_list.h"
#include "forms/form_instances.h"
#include "forms/form_reading.h"
#include "register/customer_restriction.h"

namespace kaappi {
namespace {

std::string page_words(const std::set<std::int64_t>& pages) {
  return (pages.size() == 1 ? "page " : "pages ") + and_list(std::vector<std::int64_t>(pages.begin(), pages.end()));
}

// What of the scan the PDF helper did not search for form codes (its
// form_search: pages over their time, or where it stopped), in words; ""
// when it searched every page.
std::string unsearched(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("form_search") || !j["form_search"].is_object()) return "";
  const auto& search = j["form_search"];
  std::vector<std::string> parts;
  if (search.contains("over_budget") && search["over_budget"].is_array() && !search["over_budget"].empty()) {
    std::set<std::int64_t> pages;
    for (const auto& p : search["over_budget"])
      if (p.is_number_integer() && pages.size() < 10) pages.insert(p.get<std::int64_t>());
    const std::string over = " went over a page's search budget (too slow to search, or an image too large to decode)";
    parts.push_back(pages.empty() ? "some pages" + over
                                  : page_words(pages) + over +
                                        (search["over_budget"].size() > pages.size() ? " (and more)" : ""));
  }
  if (search.contains("stopped_at") && search["stopped_at"].is_number_integer())
    parts.push_back("the search stopped at page " + std::to_string(search["stopped_at"].get<std::int64_t>()) +
                    " (its time for the document, or its limit of pages with codes, was spent)");
  return and_list(parts);
}

ScanFiling unless_unsearched(ScanFiling filing, const nlohmann::json& summary) {
  const std::string gaps = unsearched(summary);
  if (gaps.empty()) return filing;
  // A page not searched may hold another customer's form: nothing is filed
  // to anyone on what was searched alone.
  if (filing.customer)
    filing.unassigned_because = "not every page was searched for form codes (" + gaps +
                                "): it may hold another customer's form";
  else
    filing.notes.push_back("not every page was searched for form codes: " + gaps);
  filing.customer.reset();
  filing.by = ScanFiling::By::none;
  return filing;
}

// The summary parsed; null when it is not JSON.
nlohmann::json parsed(const std::string& summary_json) {
  try {
    return nlohmann::json::parse(summary_json);
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

std::vector<ScanCode> codes_in(const nlohmann::json& j) {
  std::vector<ScanCode> out;
  if (!j.is_object() || !j.contains("form_pages") || !j["form_pages"].is_array()) return out;
  for (const auto& page : j["form_pages"]) {
    if (!page.is_object() || !page.contains("page") || !page["page"].is_number_integer() || !page.contains("codes") ||
        !page["codes"].is_array())
      continue;
    const std::int64_t number = page["page"].get<std::int64_t>();
    for (const auto& code : page["codes"]) {
      if (out.size() == k_max_codes_read) return out;
      if (code.is_string()) out.push_back({number, code.get<std::string>()});
    }
  }
  return out;
}

}  // namespace

std::vector<ScanCode> scan_codes(const std::string& summary_json) { return codes_in(parsed(summary_json)); }

FiledAs filed_as(const ScanFiling& filing) {
  FiledAs out;
  if (filing.customer) out.customer = filing.customer->number();
  out.kind = filing.kind;
  out.by_form = filing.by == ScanFiling::By::form;
  out.by_text = filing.by == ScanFiling::By::text;
  out.forms = filing.forms;
  out.form_customers = filing.form_customers;
  out.notes = filing.notes;
  out.unassigned_because = filing.unassigned_because;
  out.customers_named = filing.named.customers;
  out.unknown_numbers = filing.named.unknown;
  return out;
}

ScanFiler::ScanFiler(Session& session, std::optional<Customer> given, std::string kind)
    : m_session(session), m_given(std::move(given)), m_kind(std::move(kind)) {}

ScanFiling ScanFiler::file(const std::string& summary_json) {
  ScanFiling out;
  out.kind = m_kind.empty() ? k_default_kind : m_kind;
  using Verdict = CheckedFormCode::Verdict;
  std::map<Verdict, std::set<std::int64_t>> refused;  // the pages of each kind of code that did not count
  std::map<std::int64_t, FormInstanceRow> forms;      // by row id
  const nlohmann::json summary = parsed(summary_json);
  for (const ScanCode& code : codes_in(summary)) {
    if (!m_code_key) m_code_key = m_session.secrets().derive(ArchiveKey::form_code);
    CheckedFormCode checked = check_form_code(m_session, *m_code_key, code.text);
    if (checked.verdict == Verdict::valid) forms.emplace(checked.form->id, *checked.form);
    else refused[checked.verdict].insert(code.page);
  }
  for (const auto& [verdict, pages] : refused)
    out.notes.push_back(page_words(pages) + ": " + form_code_verdict_text(verdict) + ", not used");

  // The customers the forms were printed for.
  std::set<std::int64_t> customer_ids;
  for (const auto& [id, row] : forms) {
    out.forms.push_back(id);
    if (row.customer_id != 0) customer_ids.insert(row.customer_id);
  }
  if (!forms.empty()) {
    if (!m_kind.empty() && m_kind != k_form_kind)
      out.notes.push_back("stored as " + std::string(k_form_kind) + ", not " + out.kind + ": it is a printed form");
    out.kind = k_form_kind;
    if (summary_is_printout(summary_json))
      out.notes.push_back("it is a drawn PDF of the form (kaappi's printout, or a copy of it), not a scan: no one signed it");
  }
  if (customer_ids.size() > 1) {
    for (std::int64_t id : customer_ids)
      if (auto c = customer_by_id(m_session, id)) out.form_customers.push_back(c->number());
    out.unassigned_because = "its forms were printed for several customers (" + and_list(out.form_customers) +
                             "): scan each form on its own";
    return out;
  }
  if (customer_ids.size() == 1) {
    const std::int64_t id = *customer_ids.begin();
    std::optional<Customer> form_customer = m_session.customer_erased(id) ? std::nullopt : customer_by_id(m_session, id);
    if (!form_customer) {
      out.unassigned_because = "its form was printed for a customer erased since";
      return out;
    }
    if (auto since = customer_restricted_at(m_session, id)) {
      out.form_customers.push_back(form_customer->number());
      out.unassigned_because = "its form is customer " + form_customer->number() + "'s, restricted since " +
                               date_of(*since) + ": nothing more is filed to them";
      return out;
    }
    if (m_given && m_given->id != id) {
      out.form_customers.push_back(form_customer->number());
      out.unassigned_because = "its form is customer " + form_customer->number() + "'s, not customer " +
                               m_given->number() + "'s as given";
      return out;
    }
    out.customer = std::move(form_customer);
    out.by = ScanFiling::By::form;
    // What its text names is said when it is someone else (the form decides).
    out.named = customers_named_in(m_session, summary_json);
    for (const std::string& number : out.named.customers)
      if (number != out.customer->number())
        out.notes.push_back("its text names customer " + number + " too: its form decides; look at the scan");
    return unless_unsearched(std::move(out), summary);
  }
  // No form of a customer: the customer given, else the one its text names.
  if (m_given) {
    out.customer = m_given;
    out.by = ScanFiling::By::given;
    return unless_unsearched(std::move(out), summary);
  }
  out.named = customers_named_in(m_session, summary_json);
  if (!out.named.the_one().empty()) {
    out.customer = require_customer(m_session, out.named.the_one());
    out.by = ScanFiling::By::text;
  }
  return unless_unsearched(std::move(out), summary);
}

}  // namespace kaappi
