// cmd_documents.cpp — kaappi documents [--customer N].
#include <iostream>

#include "base/dates.h"
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
  auto customer = std::make_shared<std::string>();
  auto unassigned = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("documents", "list documents (id, customer, kind, pages, size, imported)");
  auto* by_customer = cmd->add_option("--customer", *customer, "only this customer's documents");
  cmd->add_flag("--unassigned", *unassigned, "only scans taken in without a customer (see kaappi assign)")
      ->excludes(by_customer);
  cmd->footer("Examples:\n  kaappi documents\n  kaappi documents --customer 1001 --json\n  kaappi documents --unassigned");
  cmd->callback([&g, customer, unassigned] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    std::optional<std::int64_t> filter;
    if (!customer->empty()) filter = require_customer(s, *customer).id;
    if (*unassigned) filter = 0;
    nlohmann::json arr = nlohmann::json::array();
    auto rows = s.index().documents(filter);
    if (!g.json)
      print_table_header({"ID", "CUSTOMER", "KIND", "PAGES", "SIZE", "IMPORTED", "FILE"}, rows.empty(),
                         *unassigned ? "no unassigned documents" : "no documents");
    for (const auto& row : rows) {
      if (row.erased()) continue;  // nothing of it can be shown
      DocumentInfo info = open_document_info(s, row);
      if (g.json) {
        arr.push_back(document_json(info));
      } else {
        print_row({std::to_string(row.id), row.owner() ? info.customer_number : "-", row.kind,
                   std::to_string(row.pages), human_size(row.plain_size), format_time(row.imported_at), info.file_name});
      }
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
