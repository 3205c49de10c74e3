// cmd_hold.cpp — kaappi hold rule set|list, hold add|list and retention due:
// how long documents must be kept, and what an erasure kept that may go now
// (rights/retention.h, rights/erasure.h).
#include <iostream>

#include "base/dates.h"
#include "cli/cli.h"
#include "rights/erasure.h"
#include "rights/personal_reads.h"
#include "rights/retention.h"

namespace kaappi::cli {
namespace {

std::string rule_text(const HoldRule& r) {
  if (r.years == 0) return "none";
  return std::to_string(r.years) + (r.years == 1 ? " year" : " years") + " from " +
         (r.from == "imported" ? "the import" : "the end of the year");
}

std::string hold_target(const Hold& h) {
  if (h.document_id != 0) return "document " + std::to_string(h.document_id);
  return "customer " + (h.customer_number.empty() ? std::string("(erased)") : printable(h.customer_number));
}

}  // namespace

void register_hold(CLI::App& app, Globals& g) {
  auto* hold = app.add_subcommand("hold", "retention: how long documents are kept, whatever their person asks");
  hold->require_subcommand(1);
  hold->footer("An erasure keeps what a rule or a hold still holds, restricted, and erases the rest (exit 6).");
  auto* rule = hold->add_subcommand("rule", "the retention rule of a document kind");
  rule->require_subcommand(1);

  struct RuleArgs {
    std::string kind, from = "end-of-year";
    std::int64_t years = 0;
  };
  auto r = std::make_shared<RuleArgs>();
  auto* set = rule->add_subcommand("set", "set how long documents of a kind are kept (0 years: no rule)");
  set->add_option("KIND", r->kind, "document kind: consent-form, contract, other")->required();
  set->add_option("--years", r->years, "years kept (the Accounting Act: 6 for contracts and receipts, 10 for the books)")
      ->required();
  set->add_option("--from", r->from, "from the end-of-year of the import (default) or the imported day");
  set->footer("Example:\n  kaappi hold rule set KIND --years N --from end-of-year");
  set->callback([&g, r] {
    check_hold_rule(r->kind, r->years, r->from);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    HoldRule rule = set_hold_rule(s, r->kind, r->years, r->from);
    if (g.json) print_json({{"kind", rule.kind}, {"years", rule.years}, {"from", rule.from}});
    else std::cout << "Documents of kind " << rule.kind << " are kept: " << rule_text(rule) << "\n";
  });

  auto* rules = rule->add_subcommand("list", "the rule in force for each document kind");
  rules->footer("Example:\n  kaappi hold rule list");
  rules->callback([&g] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    auto list = Retention(s).rules();
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const HoldRule& x : list)
        arr.push_back({{"kind", x.kind}, {"years", x.years}, {"from", x.from}, {"default", x.is_default}});
      print_json({{"rules", arr}});
      return;
    }
    print_table_header({"KIND", "KEPT", "SET"}, list.empty(), "no document kinds");
    for (const HoldRule& x : list)
      print_row({x.kind, rule_text(x), x.is_default ? "default" : format_time(x.set_at)});
  });

  struct AddArgs {
    std::int64_t document = 0;
    std::string customer, until, reason;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = hold->add_subcommand("add", "hold one document, or everything of one customer, until a date");
  auto* doc_opt = add->add_option("DOCUMENT", a->document, "document id (see kaappi documents)");
  auto* cust_opt = add->add_option("--customer", a->customer, "hold everything of this customer instead");
  doc_opt->excludes(cust_opt);
  add->add_option("--until", a->until, "the last day it is held, YYYY-MM-DD")->required();
  add->add_option("--reason", a->reason, "why (a dispute, an audit, a claim); kept sealed")->required();
  add->footer("Examples:\n  kaappi hold add DOCUMENT --until DATE --reason \"TEXT\"\n"
              "  kaappi hold add --customer NUMBER --until DATE --reason \"TEXT\"");
  add->callback([&g, a, doc_opt, cust_opt] {
    if (doc_opt->count() == 0 && cust_opt->count() == 0)
      fail(ErrorKind::usage, "name what is held: a DOCUMENT id, or " + Field{"customer"} + " NUMBER");
    check_new_hold(a->until, a->reason, today());
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Hold h = doc_opt->count() ? add_document_hold(s, a->document, a->until, a->reason)
                              : add_customer_hold(s, require_customer(s, a->customer), a->until, a->reason);
    if (g.json) print_json({{"id", h.id}, {"document", h.document_id ? nlohmann::json(h.document_id) : nlohmann::json(nullptr)},
                            {"customer", h.customer_id ? nlohmann::json(h.customer_number) : nlohmann::json(nullptr)},
                            {"until", h.until}});
    else std::cout << "Hold " << h.id << ": " << hold_target(h) << " is kept until " << h.until << "\n";
  });

  auto* list = hold->add_subcommand("list", "every hold: what, until when, why");
  auto list_reason = std::make_shared<std::string>();
  add_read_reason(list, *list_reason, default_read_reason("hold list"));
  list->footer("The read is recorded in the access log once, naming every customer a hold names (reasons may speak "
               "of them).\nExamples:\n  kaappi hold list\n  kaappi hold list --json --reason \"WHY\"");
  list->callback([&g, list_reason] {
    Session s(g.archive_path(), Access::log, g.unlock_options());
    Retention retention(s);
    const std::string now = date_of(s.now());
    const auto& holds = retention.holds();
    std::vector<std::int64_t> named;  // the customers of the holds shown: a customer's, or a document's owner
    for (const Hold& h : holds) {
      if (h.customer_number.empty()) continue;  // erased, or a document without a customer
      if (h.customer_id != 0) named.push_back(h.customer_id);
      else if (auto d = s.index().document(h.document_id)) named.push_back(d->owner());
    }
    record_read(s, "hold list", std::move(named), *list_reason);
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const Hold& h : holds)
        arr.push_back({{"id", h.id},
                       {"document", h.document_id ? nlohmann::json(h.document_id) : nlohmann::json(nullptr)},
                       {"customer", h.customer_id && !h.customer_number.empty() ? nlohmann::json(h.customer_number)
                                                                                : nlohmann::json(nullptr)},
                       {"until", h.until}, {"active", h.until >= now}, {"added", format_time(h.at)},
                       {"by", h.by}, {"reason", h.reason}});
      print_json({{"holds", arr}});
      return;
    }
    print_table_header({"ID", "HOLDS", "UNTIL", "STATE", "ADDED", "BY", "REASON"}, holds.empty(), "no holds");
    for (const Hold& h : holds)
      print_row({std::to_string(h.id), hold_target(h), h.until, h.until >= now ? "active" : "ended",
                 format_time(h.at), h.by, h.reason});
  });
}

void register_retention(CLI::App& app, Globals& g) {
  auto* retention = app.add_subcommand("retention", "what erasures kept because of a hold");
  retention->require_subcommand(1);
  auto all = std::make_shared<bool>(false);
  auto* due = retention->add_subcommand("due", "what an erasure kept and no hold keeps any more: erase it now");
  due->add_flag("--all", *all, "also what is still held, with the day its hold ends");
  due->footer("Examples:\n  kaappi retention due\n  kaappi retention due --all --json");
  due->callback([&g, all] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    auto items = restricted_items(s);
    if (!*all) std::erase_if(items, [](const RestrictedItem& i) { return i.still_held; });
    auto what = [](const RestrictedItem& i) {
      if (i.document_id != 0) return "document " + std::to_string(i.document_id);
      return "customer " + printable(i.customer_number) + "'s own values";
    };
    auto erase_with = [](const RestrictedItem& i) {
      if (i.document_id != 0) return "kaappi erase document " + std::to_string(i.document_id) + " --reason \"WHY\"";
      return "kaappi erase customer " + printable(i.customer_number) + " --reason \"WHY\"";
    };
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& i : items)
        arr.push_back({{"document", i.document_id ? nlohmann::json(i.document_id) : nlohmann::json(nullptr)},
                       {"customer", i.customer_number.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.customer_number)},
                       {"restricted", format_time(i.restricted_at)}, {"held_until", i.held_until},
                       {"due", !i.still_held}});
      print_json({{"restricted", arr}});
      return;
    }
    print_table_header({"WHAT", "RESTRICTED", "HELD UNTIL", "STATE", "ERASE WITH"}, items.empty(),
                       *all ? "nothing is restricted" : "nothing is due for erasure");
    for (const auto& i : items)
      print_row({what(i), format_time(i.restricted_at), i.held_until, i.still_held ? "held" : "due",
                 i.still_held ? "" : erase_with(i)});
  });
}

}  // namespace kaappi::cli
