// consent_csv.cpp — see consent_csv.h.
#include "consent/consent_csv.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <optional>

#include "base/csv.h"
#include "base/csv_import.h"
#include "base/error.h"
#include "base/word_list.h"
#include "consent/consents.h"
#include "consent/purposes.h"
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

ConsentEvent ConsentCsv::event(const ConsentCsvRow& row) const {
  ConsentEvent e;
  e.purpose = purposes()[row.purpose].id;
  e.state = consent_event_states()[row.state];
  if (row.has_effective) e.effective.assign(row.effective, sizeof row.effective);
  if (row.document) e.document = row.document;
  e.source = consent_sources()[row.source];
  e.note = notes.substr(row.note_offset, row.note_size);
  return e;
}

ConsentCsv read_consent_csv(std::string_view text) {
  ConsentCsv out;
  if (auto problem = csv_encoding_problem(text)) {
    out.errors.push_back(*problem);
    return out;
  }
  CsvReader reader(text);
  CsvRow row;
  if (!reader.next(row)) {
    out.errors.push_back("line 1: the file is empty; expected a header row naming the columns, e.g. " +
                         comma_list(k_required));
    return out;
  }
  // Header: column index -> index into consent_csv_columns().
  const auto& known = consent_csv_columns();
  std::vector<size_t> columns;
  std::map<std::string, size_t> seen;
  for (const auto& raw : row.values) {
    std::string key = csv_column_key(raw);
    auto it = std::find(known.begin(), known.end(), key);
    if (it == known.end())
      out.errors.push_back(unknown_column_error(columns.size(), "a consent column", comma_list(known)));
    else if (seen.count(key))
      out.errors.push_back("line 1: column '" + key + "' appears twice");
    seen[key] = columns.size();
    columns.push_back(static_cast<size_t>(it - known.begin()));
  }
  for (const auto& required : k_required)
    if (!seen.count(required)) out.errors.push_back("line 1: the header has no '" + required + "' column");
  if (!out.errors.empty()) return out;

  // At most a row a line, and a row takes at least 16 bytes ("1,research,granted").
  out.rows.reserve(std::min(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1, text.size() / 16));
  std::unordered_map<std::string, std::uint32_t> number_index;
  std::string customer, document;
  while (reader.next(row)) {
    const std::string at = at_line(row.line);
    if (row.values.size() != columns.size()) {
      out.errors.push_back(at + ": has " + std::to_string(row.values.size()) + " values but the header names " +
                           std::to_string(columns.size()) + " columns");
      continue;
    }
    ConsentEvent event;
    customer.clear();
    document.clear();
    for (size_t k = 0; k < columns.size(); ++k) {
      std::string& value = row.values[k];
      switch (columns[k]) {
        case 0: customer.swap(value); break;
        case 1: event.purpose.swap(value); break;
        case 2: event.state.swap(value); break;
        case 3: event.effective.swap(value); break;
        case 4: event.source.swap(value); break;
        case 5: document.swap(value); break;
        default: event.note.swap(value); break;
      }
    }
    bool ok = true;
    if (customer.find_first_not_of(" \t") == std::string::npos) {
      out.errors.push_back(at + ", field 'customer': no customer number");
      ok = false;
    }
    if (!document.empty() && !(event.document = document_id(document))) {
      out.errors.push_back(at + ", field 'document': must be a document id (a number, see kaappi documents), not '" +
                           document + "'");
      ok = false;  // the event's own checks would only say a signed form needs its document
    } else {
      // `consent set` records these states; "retracted" only comes with a
      // correction, which has no column here.
      const auto& recordable = recordable_consent_states();
      try {
        if (std::find(recordable.begin(), recordable.end(), event.state) == recordable.end())
          fail(ErrorKind::usage, Field{"state"} + " must be " + or_list(recordable) + ", not '" + event.state + "'");
        event = checked_consent_request(std::move(event));
      } catch (const Error& e) {
        out.errors.push_back(at + ": " + e.message().text(field_names()));
        ok = false;
      }
    }
    if (!ok) continue;
    ConsentCsvRow compact;
    compact.line = static_cast<std::uint32_t>(row.line);
    auto [number, added] = number_index.try_emplace(customer, static_cast<std::uint32_t>(out.numbers.size()));
    if (added) out.numbers.push_back(customer);
    compact.customer = number->second;
    compact.document = event.document.value_or(0);
    compact.purpose = static_cast<std::uint8_t>(purpose_index(event.purpose));
    compact.state = static_cast<std::uint8_t>(
        std::find(consent_event_states().begin(), consent_event_states().end(), event.state) -
        consent_event_states().begin());
    compact.source = static_cast<std::uint8_t>(
        std::find(consent_sources().begin(), consent_sources().end(), event.source) - consent_sources().begin());
    if (!event.effective.empty()) {
      if (event.effective.size() != sizeof compact.effective)
        fail(ErrorKind::internal, "a checked date of the wrong length");
      compact.has_effective = true;
      std::copy(event.effective.begin(), event.effective.end(), compact.effective);
    }
    compact.note_offset = static_cast<std::uint32_t>(out.notes.size());
    compact.note_size = static_cast<std::uint32_t>(event.note.size());
    out.notes += event.note;
    out.rows.push_back(compact);
  }
  if (out.errors.empty() && out.rows.empty())
    out.errors.push_back("line 2: the file has a header row but no consent events");
  return out;
}

std::size_t import_consent_events(Session& session, const ConsentCsv& csv) {
  std::vector<std::string> errors = csv.errors;
  // Every customer is found in one pass; only its id is kept.
  const auto found = customer_ids_by_number(session, csv.numbers);
  std::vector<std::int64_t> ids(csv.numbers.size(), 0);
  for (size_t i = 0; i < csv.numbers.size(); ++i)
    if (auto it = found.find(csv.numbers[i]); it != found.end()) ids[i] = it->second;
  for (const ConsentCsvRow& row : csv.rows) {
    const std::int64_t id = ids[row.customer];
    if (id == 0) {
      errors.push_back(at_line(row.line) + ", field 'customer': no customer with the number '" + csv.number(row) +
                       "' (see kaappi customer list)");
      continue;
    }
    if (!row.document) continue;
    try {
      check_consent_document(session, id, row.document);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found && e.kind() != ErrorKind::rejected) throw;
      errors.push_back(at_line(row.line) + ", field 'document': " + e.what());
    }
  }
  if (!errors.empty()) fail_csv_problems(std::move(errors));
  session.hold_customer_keys();  // one pass, not a lookup per customer
  session.write([&](Index::Writer& writer) {
    for (const ConsentCsvRow& compact : csv.rows) {
      ConsentEvent event = csv.event(compact);
      ConsentEventRow row = seal_consent_event(session, ids[compact.customer], event);
      writer.insert_consent_event(row);
    }
  });
  return csv.rows.size();
}

std::size_t import_consent_csv(Session& session, const std::string& path) {
  ConsentCsv csv;
  {
    const std::string text = read_csv_file(path);
    csv = read_consent_csv(text);
  }  // the text is let go before the write
  return import_consent_events(session, csv);
}

}  // namespace kaappi
