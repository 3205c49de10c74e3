// customer_fields.cpp — see customer_fields.h.
#include "register/customer_fields.h"

#include "register/business_id.h"
#include "base/dates.h"
#include "base/error.h"
#include "base/word_list.h"
#include "base/text_fold.h"

namespace kaappi {
namespace {

bool has_control(const std::string& s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

[[noreturn]] void reject(const FieldSpec& spec, const std::string& why) {
  fail(ErrorKind::rejected, std::string("field '") + spec.key + "': " + why);
}

bool valid_email(const std::string& e) {
  auto at = e.find('@');
  return at != std::string::npos && at != 0 && at + 1 < e.size() && e.find(' ') == std::string::npos &&
         e.find('@', at + 1) == std::string::npos;
}

}  // namespace

std::string trim_text(std::string s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.back())) s.pop_back();
  size_t start = 0;
  while (start < s.size() && is_space(s[start])) ++start;
  return s.substr(start);
}

const std::vector<FieldSpec>& customer_fields() {
  static const std::vector<FieldSpec> specs = {
      {"number", "Customer number", FieldCheck::number, 64, "customer number (unique; cannot be changed later)"},
      {"name", "Name", FieldCheck::line, 1000, "name of the customer (company or person)"},
      {"business-id", "Business ID", FieldCheck::business_id, 9, "Finnish business ID (Y-tunnus), e.g. 2468114-6"},
      {"email", "E-mail", FieldCheck::email, 320, "e-mail address"},
      {"phone", "Phone", FieldCheck::phone, 64, "phone number"},
      {"address", "Address", FieldCheck::multiline, 4000, "postal address"},
      {"billing-name", "Billing contact", FieldCheck::line, 1000, "billing contact person or department"},
      {"billing-address", "Billing address", FieldCheck::multiline, 4000, "billing postal address"},
      {"billing-email", "Billing e-mail", FieldCheck::email, 320, "e-mail address for invoices"},
      {"e-invoice-address", "E-invoice address", FieldCheck::line, 100, "e-invoice address (OVT code or IBAN)"},
      {"e-invoice-operator", "E-invoice operator", FieldCheck::line, 100, "e-invoice operator code (välittäjätunnus)"},
      {"payer-name", "Payer", FieldCheck::line, 1000, "payer's name, when the payer is not the customer"},
      {"payer-business-id", "Payer business ID", FieldCheck::business_id, 9, "payer's business ID (Y-tunnus)"},
      {"payer-address", "Payer address", FieldCheck::multiline, 4000, "payer's postal address"},
      {"payer-email", "Payer e-mail", FieldCheck::email, 320, "payer's e-mail address"},
      {"payment-method", "Payment method", FieldCheck::line, 200, "how the customer pays (e.g. e-invoice, invoice, card)"},
      {"payment-notes", "Payment behaviour", FieldCheck::multiline, 4000, "payment behaviour notes (late payments)"},
      {"source", "Source", FieldCheck::source, 32,
       "where the data came from"},
  };
  return specs;
}

std::string customer_field_help(const FieldSpec& spec) {
  if (spec.check == FieldCheck::source) return std::string(spec.help) + ": " + comma_list(record_sources());
  return spec.help;
}

const FieldSpec* find_customer_field(std::string_view key) {
  for (const auto& s : customer_fields())
    if (key == s.key) return &s;
  return nullptr;
}

const std::vector<std::string>& record_sources() {
  static const std::vector<std::string> list = {"customer", "employer", "ytj", "tieke", "population-register", "other"};
  return list;
}

const std::string& CustomerRecord::get(std::string_view key) const {
  static const std::string empty;
  auto it = values.find(std::string(key));
  return it == values.end() ? empty : it->second;
}

void CustomerRecord::set(std::string_view key, std::string value) {
  if (value.empty()) values.erase(std::string(key));
  else values[std::string(key)] = std::move(value);
}

std::string check_customer_field(const FieldSpec& spec, std::string value) {
  value = trim_text(std::move(value));
  if (value.empty()) return value;
  if (!is_valid_utf8(value)) reject(spec, "is not valid UTF-8 text");
  if (value.size() > spec.max_bytes)
    reject(spec, "is longer than " + std::to_string(spec.max_bytes) + " bytes");
  if (has_control(value, spec.check == FieldCheck::multiline))
    reject(spec, spec.check == FieldCheck::multiline ? "contains control characters"
                                                     : "must be one line of printable text");
  switch (spec.check) {
    case FieldCheck::line:
    case FieldCheck::multiline:
    case FieldCheck::number:
      break;
    case FieldCheck::business_id: {
      auto normalized = normalize_business_id(value);
      if (!normalized)
        reject(spec, "invalid business ID (Y-tunnus): expected seven digits, a hyphen and a correct check digit, "
                     "like 2468114-6");
      value = *normalized;
      break;
    }
    case FieldCheck::email:
      if (!valid_email(value)) reject(spec, "invalid e-mail address: expected one @ with text on both sides and no spaces");
      break;
    case FieldCheck::phone:
      for (char c : value)
        if (!std::isdigit(static_cast<unsigned char>(c)) && std::string_view("+-() ").find(c) == std::string_view::npos)
          reject(spec, "invalid phone number: use digits, spaces, +, - and ()");
      break;
    case FieldCheck::source: {
      bool known = false;
      for (const auto& s : record_sources()) known = known || s == value;
      if (!known) reject(spec, "unknown source; use one of: " + comma_list(record_sources()));
      break;
    }
  }
  return value;
}

FeedbackEntry check_feedback(FeedbackEntry e) {
  e.text = trim_text(std::move(e.text));
  try {
    e.date = parse_date(e.date, "feedback date");
  } catch (const Error&) {
    fail(ErrorKind::rejected, "field 'feedback': each entry needs a date YYYY-MM-DD");
  }
  if (e.text.empty()) fail(ErrorKind::rejected, "field 'feedback': an entry has no text");
  if (!is_valid_utf8(e.text) || has_control(e.text, false) || e.text.size() > 4000)
    fail(ErrorKind::rejected, "field 'feedback': an entry must be one line of printable text of at most 4000 bytes");
  return e;
}

CustomerRecord check_customer_record(CustomerRecord r) {
  for (const auto& [key, value] : r.values)
    if (!find_customer_field(key)) fail(ErrorKind::usage, "unknown customer field '" + key + "'");
  CustomerRecord out;
  for (const auto& spec : customer_fields()) out.set(spec.key, check_customer_field(spec, r.get(spec.key)));
  if (out.get("number").empty()) fail(ErrorKind::rejected, "field 'number': the customer number is empty");
  if (out.get("name").empty()) fail(ErrorKind::rejected, "field 'name': the customer's name is empty");
  for (auto& e : r.feedback) out.feedback.push_back(check_feedback(std::move(e)));
  return out;
}

}  // namespace kaappi
