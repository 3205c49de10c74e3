// csv.cpp — see csv.h.
#include "base/csv.h"

#include "base/error.h"

namespace kaappi {
namespace {

char detect_separator(std::string_view text) {
  size_t counts[3] = {0, 0, 0};
  const char seps[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (int k = 0; k < 3; ++k)
      if (c == seps[k]) ++counts[k];
  }
  int best = 0;
  for (int k = 1; k < 3; ++k)
    if (counts[k] > counts[best]) best = k;
  return seps[best];
}

}  // namespace

CsvReader::CsvReader(std::string_view text) : m_text(text) {
  if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_text.remove_prefix(3);
  m_separator = detect_separator(m_text);
}

bool CsvReader::next(CsvRow& row) {
  const std::string_view text = m_text;
  const char sep = m_separator;
  size_t& i = m_pos;
  size_t& line = m_line;
  while (i < text.size()) {
    row.line = line;
    size_t count = 0;  // values read into row.values (its strings are reused)
    bool row_done = false;
    while (!row_done) {
      if (count == row.values.size()) row.values.emplace_back();
      std::string& value = row.values[count++];
      value.clear();
      if (i < text.size() && text[i] == '"') {
        size_t open_line = line;
        ++i;
        for (;;) {
          if (i >= text.size())
            fail(ErrorKind::rejected, "line " + std::to_string(open_line) + ": a quoted value is never closed");
          char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              value += '"';
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          value += c;
        }
        if (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r')
          fail(ErrorKind::rejected, "line " + std::to_string(line) + ": unexpected text after a closing quote");
      } else {
        const size_t start = i;
        while (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r') ++i;
        value.assign(text.substr(start, i - start));
      }
      if (i < text.size() && text[i] == sep) {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      row_done = true;
    }
    row.values.resize(count);
    bool blank = true;
    for (const auto& v : row.values) blank = blank && v.find_first_not_of(" \t") == std::string::npos;
    if (!blank) return true;
  }
  return false;
}

CsvTable parse_csv(std::string_view text) {
  CsvReader reader(text);
  CsvTable table;
  table.separator = reader.separator();
  CsvRow row;
  while (reader.next(row)) table.rows.push_back(std::move(row));
  return table;
}

std::string csv_value(std::string_view value, char separator) {
  bool quote = value.find_first_of(std::string{'"', '\n', '\r', separator}) != std::string_view::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& values, char separator) {
  std::string out;
  for (size_t k = 0; k < values.size(); ++k) {
    if (k) out += separator;
    out += csv_value(values[k], separator);
  }
  return out + "\r\n";
}

}  // namespace kaappi
