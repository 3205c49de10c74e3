// table.h — a table on stdout as kaappi and kaappi-scan print one: a header
// row, then rows, each cell separated by a tab (a script reads it with cut
// or awk). Untrusted text is escaped (printable.h). Not thread-safe (stdout).
#pragma once

#include <string>
#include <vector>

namespace kaappi::frontend {

// One row of a tab-separated table: every cell there, empty or not, so
// columns never shift; a cell's lines joined with ", ", its tabs and other
// control characters escaped.
void print_row(const std::vector<std::string>& cells);
// A table's header on stdout, always (a script reading it finds its columns
// even when no row follows); with no rows, "PROGRAM: `when_empty`" on stderr.
void print_table_header(const std::string& program, const std::vector<std::string>& header, bool empty,
                        const std::string& when_empty);

}  // namespace kaappi::frontend
