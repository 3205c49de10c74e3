// csv.h — reading and writing CSV as Finnish spreadsheets write it.
//
// Reading: UTF-8 with or without a byte-order mark; the separator (comma,
// semicolon or tab) is the one the header line uses most; quoted values may
// hold separators, doubled quotes and line breaks; CRLF or LF line ends.
// Each row remembers the line it starts on, for error messages. Writing
// quotes what needs quoting and ends lines with CRLF (RFC 4180).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

struct CsvRow {
  std::size_t line = 0;  // 1-based line the row starts on
  std::vector<std::string> values;
};

struct CsvTable {
  char separator = ',';
  std::vector<CsvRow> rows;  // the header is rows[0]
};

// Throws ErrorKind::rejected naming the line for a quote left open or text
// after a closing quote.
CsvTable parse_csv(std::string_view text);

// The same rule one row at a time, for files too large to hold as a table
// (a million consent events): the text must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text);  // skips a BOM, finds the separator
  char separator() const { return m_separator; }
  // Reads the next row that is not blank into `row` (its buffers reused);
  // false at the end. Throws as parse_csv.
  bool next(CsvRow& row);

 private:
  std::string_view m_text;
  char m_separator;
  std::size_t m_pos = 0, m_line = 1;
};

// One value, quoted when it must be.
std::string csv_value(std::string_view value, char separator);
std::string csv_line(const std::vector<std::string>& values, char separator);

}  // namespace kaappi
