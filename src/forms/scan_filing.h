// scan_filing.h — the one rule of where a scan is filed, for import and
// ingest alike (docs/FORMS.md, "Filing"): the QR codes of kaappi's printed
// forms first, then the customer the key holder gave, then the customer the
// scan's text names (forms/customer_recognition.h); else it is stored
// unassigned (kaappi assign later).
//
// A code counts only when its MAC is this archive's and it names a form
// printed here (forms/form_instances.h). A scan whose codes name a form
// printed for a customer goes to that customer, as kind consent-form,
// whatever kind was asked; one whose codes name forms of several customers,
// or a form of another customer than the one given, is stored unassigned,
// naming them (a batch given one customer never files another's form under
// them). A form of an erased or restricted customer is stored unassigned. A
// blank form is a consent-form filed by the given customer or its text. A
// foreign, damaged or forged code never blocks the import: it is said in a
// note and the next rule decides. A scan the PDF helper did not search
// wholly for codes (pages over their time, or the search stopped) is stored
// unassigned, saying so: an unsearched page may hold another customer's
// form. Not thread-safe (one session).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/secret.h"
#include "forms/customer_recognition.h"
#include "register/customers.h"
#include "store/session.h"

namespace kaappi {

inline constexpr const char* k_form_kind = "consent-form";
inline constexpr const char* k_default_kind = "other";  // when none was asked

struct ScanFiling {
  enum class By { given, form, text, none };
  std::optional<Customer> customer;  // none: stored unassigned
  std::string kind;                  // the kind it is stored as
  By by = By::none;
  std::vector<std::int64_t> forms;   // the form_instances rows its valid codes name, ascending
  // The form's customer(s) when they kept it unassigned: several, or not the one given.
  std::vector<std::string> form_customers;
  NamedCustomers named;              // what its text names (when the text was read)
  std::vector<std::string> notes;    // one sentence each: codes that did not count, a kind not the one asked
  std::string unassigned_because;    // when its form kept it unassigned: why (else the text's findings say)
};

// What a filing says in an import's or ingest's outcome (their --json
// and text output render it alike).
struct FiledAs {
  std::string customer;  // number; empty: stored unassigned
  std::string kind;      // the kind it was stored as
  bool by_form = false;  // by its printed form's QR code
  bool by_text = false;  // by the customer number its text names
  std::vector<std::int64_t> forms;
  std::vector<std::string> form_customers, notes;
  std::string unassigned_because;
  std::vector<std::string> customers_named, unknown_numbers;
};
FiledAs filed_as(const ScanFiling& filing);

class ScanFiler {
 public:
  // `given`: the customer the key holder named (none: decided by the scan);
  // `kind`: the kind asked for ("": none, k_default_kind unless a form's).
  ScanFiler(Session& session, std::optional<Customer> given, std::string kind);
  // Where the scan with this PDF summary (pdf/pdf_probe.h: its JSON) goes.
  ScanFiling file(const std::string& summary_json);

 private:
  Session& m_session;
  std::optional<Customer> m_given;
  std::string m_kind;
  std::optional<SecretBuffer> m_code_key;  // derived at the first code met
};

// The QR codes' texts the summary lists (form_pages[].codes), each with its
// page, at most k_max_codes_read; anything malformed is skipped.
struct ScanCode {
  std::int64_t page = 0;
  std::string text;
};
inline constexpr size_t k_max_codes_read = 256;
std::vector<ScanCode> scan_codes(const std::string& summary_json);

}  // namespace kaappi
