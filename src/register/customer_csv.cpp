// customer_csv.cpp — see customer_csv.h.
#include "register/customer_csv.h"

#include <map>

#include "base/csv.h"
#include "base/csv_import.h"
#include "base/dates.h"
#include "base/error.h"
#include "base/text_fold.h"

namespace kaappi {
namespace {

const char* const k_read_only[] = {"version", "created", "changed", "changed-by"};

bool is_formula_like(std::string_view v) {
  if (v.empty()) return false;
  if (v.front() == '=' || v.front() == '@') return true;
  if (v.front() != '+' && v.front() != '-') return false;
  return v.find_first_not_of("0123456789 ()+-") != std::string_view::npos;
}

std::string unguard(std::string v) {
  if (v.size() > 1 && v.front() == '\'' && is_formula_like(std::string_view(v).substr(1))) v.erase(0, 1);
  return v;
}

std::string guard(const std::string& v) { return is_formula_like(v) ? "'" + v : v; }

std::vector<FeedbackEntry> parse_feedback(const std::string& cell) {
  std::vector<FeedbackEntry> out;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find('\n', start);
    if (end == std::string::npos) end = cell.size();
    std::string line = cell.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) {
      FeedbackEntry e;
      e.date = line.substr(0, 10);
      e.text = line.size() > 11 ? line.substr(11) : "";
      if (line.size() > 10 && line[10] != ' ' && line[10] != '\t') e.date = line;  // rejected by check_feedback
      out.push_back(check_feedback(e));
    }
    start = end + 1;
  }
  return out;
}

std::string format_feedback(const std::vector<FeedbackEntry>& entries) {
  std::string out;
  for (const auto& e : entries) out += (out.empty() ? "" : "\n") + e.date + " " + e.text;
  return out;
}

}  // namespace

CustomerCsv read_customer_csv(std::string_view text) {
  CustomerCsv out;
  if (auto problem = csv_encoding_problem(text)) {
    out.errors.push_back(*problem);
    return out;
  }
  CsvReader reader(text);  // a row at a time: only the records are held
  CsvRow row;
  if (!reader.next(row)) {
    out.errors.push_back("line 1: the file is empty; expected a header row naming the fields, e.g. number,name,email");
    return out;
  }
  // Header: column index -> field key ("" = read-only column, skipped).
  std::vector<std::string> columns;
  std::map<std::string, size_t> seen;
  for (const auto& raw : row.values) {
    std::string key = csv_column_key(raw);
    bool read_only = std::find(std::begin(k_read_only), std::end(k_read_only), key) != std::end(k_read_only);
    const bool unknown = !read_only && key != "feedback" && !find_customer_field(key);
    if (unknown) {
      std::string known;
      for (const auto& s : customer_fields()) known += std::string(known.empty() ? "" : ", ") + s.key;
      out.errors.push_back(unknown_column_error(columns.size(), "a customer field", known + ", feedback"));
    }
    if (!unknown && !key.empty() && seen.count(key)) out.errors.push_back("line 1: column '" + key + "' appears twice");
    seen[key] = columns.size();
    columns.push_back(read_only ? "" : key);
  }
  for (const char* required : {"number", "name"})
    if (!seen.count(required)) out.errors.push_back(std::string("line 1: the header has no '") + required + "' column");
  if (!out.errors.empty()) return out;

  std::map<std::string, size_t> number_line;
  while (reader.next(row)) {
    const std::string at = "line " + std::to_string(row.line);
    if (row.values.size() != columns.size()) {
      out.errors.push_back(at + ": has " + std::to_string(row.values.size()) + " values but the header names " +
                           std::to_string(columns.size()) + " columns");
      continue;
    }
    CustomerRecord record;
    bool ok = true;
    for (size_t k = 0; k < columns.size(); ++k) {
      const std::string& key = columns[k];
      if (key.empty()) continue;
      try {
        std::string value = unguard(row.values[k]);
        if (key == "feedback") record.feedback = parse_feedback(value);
        else record.set(key, check_customer_field(*find_customer_field(key), value));
      } catch (const Error& e) {
        out.errors.push_back(at + ", " + e.what());
        ok = false;
      }
    }
    if (!ok) continue;
    try {
      record = check_customer_record(std::move(record));
    } catch (const Error& e) {
      out.errors.push_back(at + ", " + e.what());
      continue;
    }
    auto [it, fresh] = number_line.emplace(record.get("number"), row.line);
    if (!fresh) {
      out.errors.push_back(at + ", field 'number': the same customer number is already on line " +
                           std::to_string(it->second));
      continue;
    }
    out.records.push_back(std::move(record));
    out.lines.push_back(row.line);
  }
  if (out.errors.empty() && out.records.empty()) out.errors.push_back("line 2: the file has a header row but no customers");
  return out;
}

std::size_t import_customer_csv(Session& session, const std::string& path) {
  CustomerCsv csv = read_customer_csv(read_csv_file(path));  // the text is let go once read
  for (auto i : existing_numbers(session, csv.records))
    csv.errors.push_back("line " + std::to_string(csv.lines[i]) +
                           ", field 'number': a customer with that number is already in the archive");
  if (!csv.errors.empty()) fail_csv_problems(std::move(csv.errors));
  return add_customers(session, csv.records);
}

std::string write_customer_csv(const std::vector<Customer>& customers, const CsvExportOptions& options) {
  std::string out = options.bom ? "\xEF\xBB\xBF" : "";
  std::vector<std::string> header;
  for (const auto& s : customer_fields()) header.push_back(s.key);
  header.push_back("feedback");
  for (const char* c : k_read_only) header.push_back(c);
  out += csv_line(header, options.separator);
  for (const auto& c : customers) {
    std::vector<std::string> values;
    for (const auto& s : customer_fields()) values.push_back(guard(c.current.record.get(s.key)));
    values.push_back(guard(format_feedback(c.current.record.feedback)));
    values.push_back(std::to_string(c.current.version));
    values.push_back(format_time(c.created_at));
    values.push_back(format_time(c.current.recorded_at));
    values.push_back(guard(c.current.recorded_by));
    out += csv_line(values, options.separator);
  }
  return out;
}

}  // namespace kaappi
