// csv_import.h — what every CSV import (customer import, consent import)
// does alike: reading the file, naming its columns, refusing text that is not
// UTF-8, and reporting every bad row at once.
//
// Problems are sentences that start "line N" ("line 4, field 'email': ..."),
// so they can be listed in file order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

// The file's text (at most 256 MiB; a larger file is refused).
std::string read_csv_file(const std::string& path);
// A header cell as a column key: trimmed, lower case, '_' read as '-'.
std::string csv_column_key(std::string name);
// "line 1: column 3 is not a WHAT (known: KNOWN)": an unknown column is named
// by its place, never by its text — the file may not be a CSV at all (a
// passphrase or key file given by mistake), and its first line is not echoed.
std::string unknown_column_error(std::size_t index, const std::string& what, const std::string& known);
// "line N: the file is not UTF-8 text ..." naming its first such line, or
// nothing when the text is UTF-8.
std::optional<std::string> csv_encoding_problem(std::string_view text);
// Throws ErrorKind::rejected listing the problems in line order, saying
// that nothing was imported.
[[noreturn]] void fail_csv_problems(std::vector<std::string> problems);

}  // namespace kaappi
