// csv_import.cpp — see csv_import.h.
#include "base/csv_import.h"

#include <algorithm>

#include "base/error.h"
#include "base/file_io.h"
#include "base/utf8.h"

namespace kaappi {
namespace {

constexpr std::size_t k_max_csv_bytes = 256u << 20;

}  // namespace

std::string read_csv_file(const std::string& path) {
  return read_text_file(path, k_max_csv_bytes);
}

std::string csv_column_key(std::string name) {
  size_t b = name.find_first_not_of(" \t");
  size_t e = name.find_last_not_of(" \t");
  name = b == std::string::npos ? "" : name.substr(b, e - b + 1);
  for (auto& c : name) {
    if (c == '_') c = '-';
    else c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

std::optional<std::string> csv_encoding_problem(std::string_view text) {
  if (is_valid_utf8(text)) return std::nullopt;
  // Usually a spreadsheet's "CSV" in Windows-1252; name the first such line.
  size_t line = 1, start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string_view::npos; start = end + 1, ++line)
    if (!is_valid_utf8(text.substr(start, end - start))) break;
  return "line " + std::to_string(line) +
         ": the file is not UTF-8 text (in Excel, save as \"CSV UTF-8\"); nothing else was checked";
}

void fail_csv_problems(std::vector<std::string> problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const std::string& a, const std::string& b) {
    return std::stoul(a.substr(5)) < std::stoul(b.substr(5));
  });
  std::string msg = "the CSV file has " + std::to_string(problems.size()) +
                    (problems.size() == 1 ? " problem" : " problems") +
                    "; nothing was imported (fix the file and import all of it again):";
  for (const auto& p : problems) msg += "\n  " + p;
  fail(ErrorKind::rejected, msg);
}

std::string unknown_column_error(std::size_t index, const std::string& what, const std::string& known) {
  return "line 1: column " + std::to_string(index + 1) + " is not " + what + " (known: " + known +
         "); the header's first line is not shown, in case the file is not the one meant";
}

}  // namespace kaappi
