// cmd_documents.cpp — kaappi documents [--customer N | --unassigned] [--kind KIND] [--since DATE]
// [--until DATE] [--names] [--reason TEXT], access-log, assign.
#include <iostream>

#include "base/dates.h"
#include "base/word_list.h"
#include "documents/document_filter.h"
#include "documents/documents.h"
#include "cli/cli.h"
#include "export/document_json.h"
#include "rights/personal_reads.h"

namespace kaappi::cli {

namespace {

// Which customers an entry of the access log names: one number, "N customers",
// "customer erased", or "-" (a document read without a customer).
std::string customers_cell(const AccessLogEntry& e, const std::map<std::int64_t, std::optional<std::string>>& numbers) {
  if (e.customers.empty()) return "-";
  if (e.customers.size() > 1) return std::to_string(e.customers.size()) + " customers";
  const auto& number = numbers.at(e.customers.front());
  return number ? *number : "customer erased";
}

}  // namespace

void register_access_log(CLI::App& app, Globals& g) {
  struct Args {
    std::int64_t document = 0;
    std::string customer;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("access-log", "who read which documents and customers' data, when and why");
  auto* document = cmd->add_option("--document", a->document, "only this document's reads");
  auto* customer = cmd->add_option("--customer", a->customer,
                                   "only the reads of this customer's data: their documents' reads and every "
                                   "command that showed them")
                       ->excludes(document);
  cmd->footer("Each command that shows personal data (customer show, history, list, export, consent show, history,\n"
              "list, proof, documents --names, inspect) is logged once per run, naming every customer it showed.\n"
              "Examples:\n  kaappi access-log\n  kaappi access-log --document ID --json\n"
              "  kaappi access-log --customer NUMBER");
  cmd->callback([&g, a, document, customer] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    std::optional<std::int64_t> by_document, by_customer;
    if (document->count() > 0) by_document = a->document;
    if (customer->count() > 0) by_customer = require_customer(s, a->customer).id;
    const auto entries = access_log_entries(s, by_document, by_customer);
    std::vector<std::int64_t> ids;
    for (const auto& e : entries) ids.insert(ids.end(), e.customers.begin(), e.customers.end());
    const auto numbers = customer_numbers(s, ids);
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : entries) {
        nlohmann::json customers = nlohmann::json::array();
        for (auto id : e.customers) {
          const auto& number = numbers.at(id);
          customers.push_back(number ? nlohmann::json(*number) : nlohmann::json(nullptr));
        }
        arr.push_back({{"document", e.document ? nlohmann::json(*e.document) : nlohmann::json(nullptr)},
                       {"customers", customers},
                       {"at", format_time(e.at)},
                       {"action", e.action},
                       {"by", e.erased ? nlohmann::json(nullptr) : nlohmann::json(e.by)},
                       {"reason", e.erased ? nlohmann::json(nullptr) : nlohmann::json(e.reason)},
                       {"erased", e.erased}});
      }
      print_json({{"access_log", arr}});
      return;
    }
    print_table_header({"WHEN", "BY", "ACTION", "DOCUMENT", "CUSTOMERS", "REASON"}, entries.empty(),
                       "nothing has been read");
    for (const auto& e : entries)
      print_row({format_time(e.at), e.erased ? "-" : e.by, e.action, e.document ? std::to_string(*e.document) : "-",
                 customers_cell(e, numbers), e.erased ? "(erased)" : e.reason});
  });
}

void register_documents(CLI::App& app, Globals& g) {
  struct Args {
    std::string customer;
    bool unassigned = false;
    bool names = false;
    std::string reason;
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
  auto* names = cmd->add_flag("--names", a->names, "add a column with each customer's current name");
  add_read_reason(cmd, a->reason, default_read_reason("documents"))->needs(names);
  cmd->footer("With --names the read of the customers named is recorded in the access log, once.\n"
              "Examples:\n  kaappi documents\n  kaappi documents --customer 1001 --json\n  kaappi documents --unassigned\n"
              "  kaappi documents --kind contract --since 2026-01-01 --until 2026-06-30 --names --reason \"WHY\"");
  cmd->callback([&g, a] {
    DocumentFilter filter = checked_document_filter(a->filter);  // before the passphrase is asked
    // With names, personal data is shown: the read is recorded first.
    Session s(g.archive_path(), a->names ? Access::write : Access::read, g.unlock_options());
    if (!a->customer.empty()) filter.customer = require_customer(s, a->customer).id;
    if (a->unassigned) filter.customer = 0;
    nlohmann::json arr = nlohmann::json::array();
    std::vector<DocumentRow> rows;
    for (auto& row : s.index().documents(filter.customer))
      if (filter.matches(row)) rows.push_back(std::move(row));
    std::vector<DocumentInfo> infos;
    std::vector<std::int64_t> named;
    for (const auto& row : rows) {
      infos.push_back(open_document_info(s, row));
      if (a->names && row.owner() != 0 && !infos.back().customer_erased) named.push_back(row.owner());
    }
    if (a->names) record_read(s, "documents", std::move(named), a->reason);
    if (!g.json) {
      std::vector<std::string> header = {"ID", "CUSTOMER"};
      if (a->names) header.emplace_back("NAME");
      for (const char* column : {"KIND", "PAGES", "SIZE", "IMPORTED", "FILE"}) header.emplace_back(column);
      print_table_header(header, rows.empty(), a->unassigned ? "no unassigned documents" : "no documents");
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const DocumentRow& row = rows[i];
      const DocumentInfo& info = infos[i];
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
