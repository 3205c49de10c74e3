// consent_csv.cpp — see consent_csv.h.
#include "consent/consent_csv.h"

#include <algorithm>
#include <map>
#include <optional>

#include "base/csv.h"
#include "base/csv_import.h"
#include "base/error.h"
#include "base/word_list.h"
#include "consent/consents.h"
#include "register/customers.h"

namespace kaappi {
namespace {

const std::vector<std::string> k_required = {"customer", "purpose", "state"};

std::string at_line(std::size_t line) { return "line " + std::to_string(line); }

// How a library message names a column: field 'state'.
const std::map<std::string, std::string>& field_names() {
  static const std::map<std::string, std::string> names = [] {
    std::map<std::string, std::string> n;
    for (const auto& c : consent_csv_columns()) n[c] = "field '" + c + "'";
    return n;
  }();
  return names;
}

// A document id as `consent set --document` takes it: a positive number.
std::optional<std::int64_t> document_id(const std::string& cell) {
  if (cell.empty() || cell.size() > 18 || cell.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  std::int64_t id = std::stoll(cell);
  if (id <= 0) return std::nullopt;
  return id;
}

}  // namespace

const std::vector<std::string>& consent_csv_columns() {
  static const std::vector<std::string> list = {"customer", "purpose", "state", "effective",
                                                "source",   "document", "note"};
  return list;
}

ConsentCsv read_consent_csv(std::string_view text) {
  ConsentCsv out;
  if (auto problem = csv_encoding_problem(text)) {
    out.errors.push_back(*problem);
    return out;
  }
  CsvTable table = parse_csv(text);
  if (table.rows.empty()) {
    out.errors.push_back("line 1: the file is empty; expected a header row naming the columns, e.g. " +
                         comma_list(k_required));
    return out;
  }
  // Header: column index -> index into consent_csv_columns().
  const auto& known = consent_csv_columns();
  std::vector<size_t> columns;
  std::map<std::string, size_t> seen;
  for (const auto& raw : table.rows[0].values) {
    std::string key = csv_column_key(raw);
    auto it = std::find(known.begin(), known.end(), key);
    if (it == known.end())
      out.errors.push_back("line 1: column '" + (key.size() > 40 ? key.substr(0, 40) + "..." : key) +
                           "' is not a consent column (known: " + comma_list(known) + ")");
    else if (seen.count(key))
      out.errors.push_back("line 1: column '" + key + "' appears twice");
    seen[key] = columns.size();
    columns.push_back(static_cast<size_t>(it - known.begin()));
  }
  for (const auto& required : k_required)
    if (!seen.count(required)) out.errors.push_back("line 1: the header has no '" + required + "' column");
  if (!out.errors.empty()) return out;

  out.rows.reserve(table.rows.size() - 1);
  for (size_t r = 1; r < table.rows.size(); ++r) {
    CsvRow& row = table.rows[r];
    const std::string at = at_line(row.line);
    if (row.values.size() != columns.size()) {
      out.errors.push_back(at + ": has " + std::to_string(row.values.size()) + " values but the header names " +
                           std::to_string(columns.size()) + " columns");
      continue;
    }
    ConsentCsvRow parsed;
    parsed.line = row.line;
    std::string document;
    for (size_t k = 0; k < columns.size(); ++k) {
      std::string& value = row.values[k];
      switch (columns[k]) {
        case 0: parsed.customer = std::move(value); break;
        case 1: parsed.event.purpose = std::move(value); break;
        case 2: parsed.event.state = std::move(value); break;
        case 3: parsed.event.effective = std::move(value); break;
        case 4: parsed.event.source = std::move(value); break;
        case 5: document = std::move(value); break;
        default: parsed.event.note = std::move(value); break;
      }
    }
    std::vector<std::string>().swap(row.values);  // the table is let go of row by row
    bool ok = true;
    if (parsed.customer.find_first_not_of(" \t") == std::string::npos) {
      out.errors.push_back(at + ", field 'customer': no customer number");
      ok = false;
    }
    if (!document.empty() && !(parsed.event.document = document_id(document))) {
      out.errors.push_back(at + ", field 'document': must be a document id (a number, see kaappi documents), not '" +
                           document + "'");
      ok = false;  // the event's own checks would only say a signed form needs its document
    } else {
      // `consent set` records these states; "retracted" only comes with a
      // correction, which has no column here.
      const auto& recordable = recordable_consent_states();
      try {
        if (std::find(recordable.begin(), recordable.end(), parsed.event.state) == recordable.end())
          fail(ErrorKind::usage,
               Field{"state"} + " must be " + or_list(recordable) + ", not '" + parsed.event.state + "'");
        parsed.event = checked_consent_request(std::move(parsed.event));
      } catch (const Error& e) {
        out.errors.push_back(at + ": " + e.message().text(field_names()));
        ok = false;
      }
    }
    if (ok) out.rows.push_back(std::move(parsed));
  }
  if (out.errors.empty() && out.rows.empty())
    out.errors.push_back("line 2: the file has a header row but no consent events");
  return out;
}

std::size_t import_consent_events(Session& session, ConsentCsv csv) {
  // Every customer is found in one pass; only its id is kept.
  std::vector<std::string> numbers;
  numbers.reserve(csv.rows.size());
  for (const auto& row : csv.rows) numbers.push_back(row.customer);
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  const auto customer_ids = customer_ids_by_number(session, numbers);
  std::vector<std::int64_t> ids(csv.rows.size());
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    const ConsentCsvRow& row = csv.rows[i];
    auto it = customer_ids.find(row.customer);
    if (it == customer_ids.end()) {
      csv.errors.push_back(at_line(row.line) + ", field 'customer': no customer with the number '" + row.customer +
                           "' (see kaappi customer list)");
      continue;
    }
    ids[i] = it->second;
    if (!row.event.document) continue;
    try {
      check_consent_document(session, ids[i], *row.event.document);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found && e.kind() != ErrorKind::rejected) throw;
      csv.errors.push_back(at_line(row.line) + ", field 'document': " + e.what());
    }
  }
  if (!csv.errors.empty()) fail_csv_problems(std::move(csv.errors));
  session.hold_customer_keys();  // one pass, not a lookup per customer
  session.write([&](Index::Writer& writer) {
    for (size_t i = 0; i < csv.rows.size(); ++i) {
      ConsentEventRow row = seal_consent_event(session, ids[i], csv.rows[i].event);
      writer.insert_consent_event(row);
    }
  });
  return csv.rows.size();
}

std::size_t import_consent_csv(Session& session, const std::string& path) {
  return import_consent_events(session, read_consent_csv(read_csv_file(path)));
}

}  // namespace kaappi
