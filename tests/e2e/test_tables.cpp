// test_tables.cpp — the tab-separated outputs: a header line, and every
// column in every row (empty ones too), so columns never shift.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "harness.h"

using namespace e2e;

namespace {

std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cells.push_back(line.substr(start, tab - start));
    cells.push_back(line.substr(start));
    rows.push_back(cells);
  }
  return rows;
}

// Every row has as many cells as the header; returns the rows.
std::vector<std::vector<std::string>> table(const Result& r, const std::vector<std::string>& header) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto rows = rows_of(r.out);
  REQUIRE(!rows.empty());
  CHECK(rows.front() == header);
  for (const auto& row : rows) CHECK(row.size() == header.size());
  return rows;
}

}  // namespace

TEST_CASE("tables have a header and keep empty columns, a multi-line address stays one row", "[tables]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Ei Sähköpostia Oy", "--address",
                    "Katu 1\n00100 Helsinki"}).exit_code == 0);
  REQUIRE(s.kaappi({"customer", "add", "--number", "1003", "--name", "Vain Posti", "--email", "posti@example.fi"})
              .exit_code == 0);

  auto customers = table(s.kaappi({"customer", "list"}), {"NUMBER", "NAME", "BUSINESS ID", "EMAIL"});
  REQUIRE(customers.size() == 4);
  CHECK(customers[2] == std::vector<std::string>{"1002", "Ei Sähköpostia Oy", "", ""});
  CHECK(customers[3] == std::vector<std::string>{"1003", "Vain Posti", "", "posti@example.fi"});

  for (const char* number : {"1001", "1002", "1003"})
    REQUIRE(s.kaappi({"consent", "set", "--customer", number, "--purpose", "research", "--state", "granted",
                      "--source", "phone", "--effective", "2026-01-02"}).exit_code == 0);
  auto consents = table(s.kaappi({"consent", "list", "--purpose", "research", "--as-of", "2026-02-01", "-q"}),
                        {"NUMBER", "NAME", "EMAIL", "PHONE", "SINCE"});
  REQUIRE(consents.size() == 4);
  CHECK(consents[2] == std::vector<std::string>{"1002", "Ei Sähköpostia Oy", "", "", "2026-01-02"});
  auto none = table(s.kaappi({"consent", "list", "--purpose", "sms-marketing", "--state", "none", "-q"}),
                    {"NUMBER", "NAME", "EMAIL", "PHONE", "SINCE"});
  CHECK(none.size() == 4);
  CHECK(none[1].back().empty());

  long id = s.import({s.make_pdf("a.pdf")}).at(0);
  REQUIRE(s.kaappi({"get", std::to_string(id), "-o", s.path("out.pdf"), "--reason", "first\nsecond line"}).exit_code == 0);
  auto log = table(s.kaappi({"access-log", "--document", std::to_string(id)}),
                   {"WHEN", "BY", "ACTION", "DOCUMENT", "CUSTOMERS", "REASON"});
  REQUIRE(log.size() == 2);
  CHECK(log[1][2] == "get");
  CHECK(log[1][3] == std::to_string(id));
  CHECK(log[1][4] == "1001");
  CHECK(log[1][5] == "first, second line");

  table(s.kaappi({"documents"}), {"ID", "CUSTOMER", "KIND", "PAGES", "SIZE", "IMPORTED", "FILE"});
}

TEST_CASE("an empty table still prints its header on stdout, and says it is empty on stderr", "[tables]") {
  Sandbox s;
  s.init_archive_with_customer();
  ::mkdir(s.path("inbox").c_str(), 0700);
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> header;
  };
  const std::vector<Case> cases = {
      {{"customer", "list", "--search", "zzzznomatch"}, {"NUMBER", "NAME", "BUSINESS ID", "EMAIL"}},
      {{"access-log"}, {"WHEN", "BY", "ACTION", "DOCUMENT", "CUSTOMERS", "REASON"}},
      {{"documents"}, {"ID", "CUSTOMER", "KIND", "PAGES", "SIZE", "IMPORTED", "FILE"}},
      {{"documents", "--unassigned"}, {"ID", "CUSTOMER", "KIND", "PAGES", "SIZE", "IMPORTED", "FILE"}},
      {{"station", "list"}, {"NAME", "PUBLIC KEY", "ADDED", "STATUS"}},
      {{"ingest", "--list", "--inbox", s.path("inbox")}, {"ENVELOPE", "STATION", "SCANNED", "PAGES", "SIZE", "FILE", "PROBLEM"}},
      {{"consent", "list", "--purpose", "research", "--state", "granted", "-q"}, {"NUMBER", "NAME", "EMAIL", "PHONE", "SINCE"}},
  };
  for (const auto& c : cases) {
    Result r = s.kaappi(c.args);
    INFO(c.args.front() << ": " << r.err);
    auto rows = table(r, c.header);
    CHECK(rows.size() == 1);  // the header alone
    CHECK_FALSE(r.err.empty());  // and a word on stderr that nothing matched
  }
}
