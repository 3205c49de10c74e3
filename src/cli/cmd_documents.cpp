// cmd_documents.cpp — kaappi documents [--customer N | --unassigned] [--kind KIND] [--since DATE]
// [--until DATE] [--names], access-log, assign.
#include <iostream>

#include "base/dates.h"
#include "base/word_list.h"
#include "documents/document_filter.h"
#include "documents/documents.h"
#include "cli/cli.h"
#include "export/document_json.h"

namespace kaappi::cli {

void register_access_log(CLI::App& app, Globals& g) {
  auto document = std::make_shared<std::int64_t>(0);
  auto* cmd = app.add_subcommand("access-log", "who read which document, when and why");
  auto* opt = cmd->add_option("--document", *document, "only this document's entries");
  cmd->footer("Examples:\n  kaappi access-log\n  kaappi access-log --document 12 --json");
  cmd->callback([&g, document, opt] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    std::optional<std::int64_t> filter;
    if (opt->count() > 0) filter = *document;
    auto entries = access_log(s, filter);
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : entries)
        arr.push_back({{"document", e.document}, {"at", format_time(e.at)}, {"action", e.action},
                       {"by", e.erased ? nlohmann::json(nullptr) : nlohmann::json(e.by)},
                       {"reason", e.erased ? nlohmann::json(nullptr) : nlohmann::json(e.reason)},
                       {"erased", e.erased}});
      print_json({{"access_log", arr}});
      return;
    }
    print_table_header({"WHEN", "BY", "ACTION", "DOCUMENT", "REASON"}, entries.empty(),
                       "no documents have been read");
    for (const auto& e : entries)
      print_row({format_time(e.at), e.erased ? "-" : e.by, e.action, std::to_string(e.document),
                 e.erased ? "(erased)" : e.reason});
  });
}

void register_documents(CLI::App& app, Globals& g) {
  struct Args {
    std::string customer;
    bool unassigned = false;
    bool names = false;
    DocumentFilter filter;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("documents", "list documents (id, customer, kind, pages, size, imported)");
  auto* by_customer = cmd->add_option("--customer", a->customer, "only this customer's documents");
  cmd->add_flag("--unassigned", a->unassigned, "only scans taken in without a customer (see kaappi assign)")
      ->excludes(by_customer);
  cmd->add_option("--kind", a->filter.kind, "only documents of this kind: " + or_list(document_kinds()));
  cmd->add_option("--since", a->filter.since, "only documents imported on this date or later, YYYY-MM-DD");
  cmd->add_option("--until", a->filter.until, "only documents imported on this date or earlier, YYYY-MM-DD");
  cmd->add_flag("--names", a->names, "add a column with each customer's current name");
  cmd->footer("Examples:\n  kaappi documents\n  kaappi documents --customer 1001 --json\n  kaappi documents --unassigned\n"
              "  kaappi documents --kind contract --since 2026-01-01 --until 2026-06-30 --names");
  cmd->callback([&g, a] {
    DocumentFilter filter = checked_document_filter(a->filter);  // before the passphrase is asked
    Session s(g.archive_path(), Access::read, g.unlock_options());
    if (!a->customer.empty()) filter.customer = require_customer(s, a->customer).id;
    if (a->unassigned) filter.customer = 0;
    nlohmann::json arr = nlohmann::json::array();
    std::vector<DocumentRow> rows;
    for (auto& row : s.index().documents(filter.customer))
      if (filter.matches(row)) rows.push_back(std::move(row));
    if (!g.json) {
      std::vector<std::string> header = {"ID", "CUSTOMER"};
      if (a->names) header.emplace_back("NAME");
      for (const char* column : {"KIND", "PAGES", "SIZE", "IMPORTED", "FILE"}) header.emplace_back(column);
      print_table_header(header, rows.empty(), a->unassigned ? "no unassigned documents" : "no documents");
    }
    for (const auto& row : rows) {
      DocumentInfo info = open_document_info(s, row);
      if (g.json) {
        arr.push_back(document_json(info, a->names ? CustomerName::shown : CustomerName::left_out));
        continue;
      }
      std::vector<std::string> cells = {std::to_string(row.id), row.owner() ? info.customer_number : "-"};
      if (a->names) cells.push_back(info.customer_name);
      for (std::string cell : {row.kind, std::to_string(row.pages), human_size(row.plain_size),
                               format_time(row.imported_at), info.file_name})
        cells.push_back(std::move(cell));
      print_row(cells);
    }
    if (g.json) print_json({{"documents", arr}});
  });
}

void register_assign(CLI::App& app, Globals& g) {
  struct Args {
    std::int64_t document = 0;
    std::string customer;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("assign", "link an unassigned document (a scan taken in without a customer) to one");
  cmd->add_option("DOCUMENT", a->document, "document id (see kaappi documents --unassigned)")->required();
  cmd->add_option("--customer", a->customer, "customer number")->required();
  cmd->footer("Example:\n  kaappi assign ID --customer NUMBER");
  cmd->callback([&g, a] {
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = require_customer(s, a->customer);
    DocumentRow row = assign_document(s, a->document, c);
    if (g.json) print_json({{"document", row.id}, {"customer", c.number()}});
    else std::cout << "Document " << row.id << " now belongs to customer " << printable(c.number()) << "\n";
  });
}

}  // namespace kaappi::cli
