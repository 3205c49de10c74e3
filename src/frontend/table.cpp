// table.cpp — see table.h.
#include "frontend/table.h"

#include <iostream>

#include "frontend/printable.h"

namespace kaappi::frontend {

void print_row(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string cell = cells[i];
    for (std::size_t at; (at = cell.find('\n')) != std::string::npos;) cell.replace(at, 1, ", ");
    line += (i ? "\t" : "") + printable(cell);
  }
  std::cout << line << "\n";
}

void print_table_header(const std::string& program, const std::vector<std::string>& header, bool empty,
                        const std::string& when_empty) {
  print_row(header);
  std::cout.flush();
  if (empty) std::cerr << program << ": " << when_empty << "\n";
}

}  // namespace kaappi::frontend
