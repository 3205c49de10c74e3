// cmd_documents.cpp — kaappi documents [--customer N | --unassigned] [--kind KIND] [--since DATE]
// [--until DATE] [--names] [--reason TEXT], access-log, assign (also moving a mis-filed document),
// document set-kind | history.
#include <iostream>
#include <set>

#include "base/dates.h"
#include "base/word_list.h"
#include "documents/document_filter.h"
#include "documents/documents.h"
#include "cli/cli.h"
#include "consent/consents.h"
#include "register/customer_restriction.h"
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
    Session s(g.archive_path(), a->names ? Access::log : Access::read, g.unlock_options());
    if (!a->customer.empty()) filter.customer = require_customer(s, a->customer).id;
    if (a->unassigned) filter.customer = 0;
    nlohmann::json arr = nlohmann::json::array();
    std::vector<DocumentRow> rows;
    for (auto& row : s.index().documents(filter.customer))
      if (filter.matches(row)) rows.push_back(std::move(row));
    std::vector<DocumentInfo> infos;
    std::vector<std::int64_t> named;
    // A restricted customer is on no list: their documents are, without the name.
    const std::set<std::int64_t> restricted = a->names ? restricted_customer_ids(s) : std::set<std::int64_t>{};
    for (const auto& row : rows) {
      infos.push_back(open_document_info(s, row));
      if (restricted.count(row.owner())) infos.back().customer_name.clear();
      else if (a->names && row.owner() != 0 && !infos.back().customer_erased) named.push_back(row.owner());
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
      if (a->names) cells.push_back(restricted.count(row.owner()) ? "(restricted)" : info.customer_name);
      for (std::string cell : {row.current_kind(), std::to_string(row.pages), human_size(row.plain_size),
                               format_time(row.imported_at), info.file_name})
        cells.push_back(std::move(cell));
      print_row(cells);
    }
    if (g.json) print_json({{"documents", arr}});
  });
}

namespace {

std::string customer_words(const CustomerRef& c) {
  if (c.id == 0) return "no customer";
  if (c.erased) return "an erased customer";
  return "customer " + printable(c.number);
}

nlohmann::json customer_json(const CustomerRef& c) {
  if (c.id == 0 || c.erased) return nullptr;
  return c.number;
}

// The consent events that cite the document, for the key holder to review.
nlohmann::json citing_json(Session& s, const std::vector<ConsentEvent>& events) {
  nlohmann::json arr = nlohmann::json::array();
  for (const ConsentEvent& e : events) {
    auto c = customer_by_id(s, e.customer_id);
    arr.push_back({{"event", e.id}, {"customer", c ? nlohmann::json(c->number()) : nlohmann::json(nullptr)},
                   {"purpose", e.purpose}, {"state", e.state}, {"effective", e.effective}});
  }
  return arr;
}

void print_citing(Session& s, std::int64_t document, const std::vector<ConsentEvent>& events) {
  if (events.empty()) {
    std::cout << "No consent event names document " << document << " as its evidence.\n";
    return;
  }
  std::cout << events.size() << (events.size() == 1 ? " consent event names" : " consent events name")
            << " document " << document << " as its evidence; review "
            << (events.size() == 1 ? "it" : "them") << " (kaappi consent history NUMBER):\n";
  for (const ConsentEvent& e : events) {
    auto c = customer_by_id(s, e.customer_id);
    std::cout << "  event " << e.id << ": customer " << (c ? printable(c->number()) : std::string("(erased)")) << ", "
              << e.purpose << " " << e.state << " from " << e.effective << "\n";
  }
}

}  // namespace

void register_assign(CLI::App& app, Globals& g) {
  struct Args {
    std::int64_t document = 0;
    std::string customer;
    std::string reason;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("assign", "give a document to a customer: an unassigned scan, or a mis-filed document moved");
  cmd->add_option("DOCUMENT", a->document, "document id (see kaappi documents --unassigned)")->required();
  cmd->add_option("--customer", a->customer, "customer number")->required();
  cmd->add_option("--reason", a->reason,
                  "why a document that has a customer is moved (required then); kept, sealed, in its history");
  cmd->footer("Examples:\n  kaappi assign ID --customer NUMBER\n  kaappi assign ID --customer NUMBER --reason \"WHY\"\n"
              "The second moves a mis-filed document (one that has a customer); the consent events that name it as "
              "their evidence are listed for review.");
  cmd->callback([&g, a] {
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = require_customer(s, a->customer);
    AssignOutcome out = assign_document(s, a->document, c, a->reason);
    const std::int64_t id = out.row.id;
    std::vector<ConsentEvent> citing;
    if (out.from != 0) citing = consent_events_citing(s, id);
    std::optional<Customer> from;
    if (out.from != 0 && !s.customer_erased(out.from)) from = customer_by_id(s, out.from);
    if (g.json) {
      nlohmann::json j = {{"document", id}, {"customer", c.number()}};
      if (out.from != 0) {
        j["moved_from"] = from ? nlohmann::json(from->number()) : nlohmann::json(nullptr);
        j["consents_citing"] = citing_json(s, citing);
      }
      print_json(j);
      return;
    }
    if (out.from == 0) {
      std::cout << "Document " << id << " now belongs to customer " << printable(c.number()) << "\n";
      return;
    }
    std::cout << "Document " << id << " moved from customer "
              << (from ? printable(from->number()) : std::string("(erased)")) << " to customer "
              << printable(c.number()) << "\n";
    print_citing(s, id, citing);
  });
}

void register_document(CLI::App& app, Globals& g) {
  auto* document = app.add_subcommand("document", "correct one document (its kind) and show its history");
  document->require_subcommand(1);
  document->footer("Examples:\n  kaappi document set-kind ID KIND --reason \"WHY\"\n  kaappi document history ID\n"
                   "A document filed under the wrong customer is moved with kaappi assign ID --customer NUMBER --reason "
                   "\"WHY\".");

  struct KindArgs {
    std::int64_t document = 0;
    std::string kind, reason;
  };
  auto k = std::make_shared<KindArgs>();
  auto* set_kind = document->add_subcommand("set-kind", "change a document's kind (a signed row, in its history)");
  set_kind->add_option("DOCUMENT", k->document, "document id")->required();
  set_kind->add_option("KIND", k->kind, "the new kind: " + or_list(document_kinds()))
      ->required()
      ->check(CLI::IsMember(document_kinds()));
  set_kind->add_option("--reason", k->reason, "why it is changed; kept, sealed, in its history")->required();
  set_kind->footer("Example:\n  kaappi document set-kind ID KIND --reason \"WHY\"\n"
                   "The kind decides the retention rule (kaappi hold rule list). The consent events that name the "
                   "document as their evidence are listed for review.");
  set_kind->callback([&g, k] {
    check_kind_change(k->kind, k->reason);  // before the passphrase is asked
    Session s(g.archive_path(), Access::write, g.unlock_options());
    KindOutcome out = set_document_kind(s, k->document, k->kind, k->reason);
    const std::vector<ConsentEvent> citing = consent_events_citing(s, out.row.id);
    if (g.json) {
      print_json({{"document", out.row.id}, {"kind", k->kind}, {"previous_kind", out.from},
                  {"consents_citing", citing_json(s, citing)}});
      return;
    }
    std::cout << "Document " << out.row.id << " is now of kind " << k->kind << " (was " << out.from << ")\n";
    print_citing(s, out.row.id, citing);
  });

  auto id = std::make_shared<std::int64_t>(0);
  auto history_reason = std::make_shared<std::string>();
  auto* history = document->add_subcommand("history", "a document's import, assignments, moves, kind changes and erasure");
  history->add_option("DOCUMENT", *id, "document id")->required();
  add_read_reason(history, *history_reason, default_read_reason("document history"));
  history->footer("The read is recorded in the access log, naming the customers the history names (reasons may speak "
                  "of them).\nExamples:\n  kaappi document history ID\n  kaappi document history ID --json");
  history->callback([&g, id, history_reason] {
    Session s(g.archive_path(), Access::log, g.unlock_options());
    const std::vector<DocumentChange> changes = document_changes(s, *id);
    std::vector<std::int64_t> named;
    for (const DocumentChange& c : changes)
      for (const CustomerRef* r : {&c.customer, &c.from_customer})
        if (r->id != 0 && !r->erased) named.push_back(r->id);
    record_read(s, "document history", std::move(named), *history_reason);
    using What = DocumentChange::What;
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const DocumentChange& c : changes) {
        nlohmann::json j = {{"what", change_name(c.what)}, {"at", format_time(c.at)},
                            {"by", c.by.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.by)}};
        if (c.what != What::imported)
          j["reason"] = c.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.reason);
        if (c.reason_erased) j["reason_erased"] = true;
        switch (c.what) {
          case What::imported:
            j["customer"] = customer_json(c.customer);
            j["kind"] = c.kind;
            j["station"] = c.station.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.station);
            break;
          case What::assigned: j["customer"] = customer_json(c.customer); break;
          case What::moved:
            j["from_customer"] = customer_json(c.from_customer);
            j["customer"] = customer_json(c.customer);
            break;
          case What::kind_changed:
            j["from_kind"] = c.from_kind;
            j["kind"] = c.kind;
            break;
          case What::erased: break;
        }
        arr.push_back(std::move(j));
      }
      print_json({{"document", *id}, {"history", arr}});
      return;
    }
    print_table_header({"WHEN", "BY", "WHAT", "REASON"}, changes.empty(), "no history");
    for (const DocumentChange& c : changes) {
      std::string what;
      switch (c.what) {
        case What::imported:
          what = "imported as " + c.kind + " for " + customer_words(c.customer) +
                 (c.station.empty() ? std::string() : " from station " + printable(c.station));
          break;
        case What::assigned: what = "assigned to " + customer_words(c.customer); break;
        case What::moved:
          what = "moved from " + customer_words(c.from_customer) + " to " + customer_words(c.customer);
          break;
        case What::kind_changed: what = "kind changed from " + c.from_kind + " to " + c.kind; break;
        case What::erased: what = "erased"; break;
      }
      const std::string reason = c.reason_erased ? "(erased)" : c.reason.empty() ? "-" : printable(c.reason);
      print_row({format_time(c.at), c.by.empty() ? "-" : printable(c.by), what, reason});
    }
  });
}

}  // namespace kaappi::cli
