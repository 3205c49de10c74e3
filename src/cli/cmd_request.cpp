// cmd_request.cpp — kaappi request add|list|extend|close: a data subject's
// requests and their deadlines (rights/requests.h).
#include <iostream>

#include "base/dates.h"
#include "cli/cli.h"
#include "export/request_json.h"
#include "rights/personal_reads.h"
#include "rights/requests.h"

namespace kaappi::cli {
namespace {

std::string list_of(const std::vector<std::string>& names, const char* separator = "|") {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
  return out;
}

std::string days(std::int64_t n) { return std::to_string(n) + (n == 1 ? " day" : " days"); }

// What the STATE column and the notices say of a request.
std::string state_text(const Request& r) {
  switch (r.state) {
    case DeadlineState::closed: {
      std::string out = "closed " + date_of(*r.closed_at);
      if (r.closed_by_erasure) out += " by the erasure of its customer";
      if (r.closing.handed_over_in_person) out += ", handed over in person";
      return out;
    }
    case DeadlineState::open: return "open, " + days(r.days_left) + " left";
    case DeadlineState::near: return "open, " + days(r.days_left) + " left (near the deadline)";
    case DeadlineState::passed: return "open, " + days(-r.days_left) + " past the deadline";
  }
  return "";
}

std::string customer_text(const Request& r) { return r.customer_erased ? "(erased)" : printable(r.customer_number); }

void print_requests(const std::vector<Request>& requests, Globals& g, const std::string& when_empty) {
  for (const Request& r : requests) {
    if (r.state == DeadlineState::near)
      g.observer->notice("request " + std::to_string(r.id) + " (" + r.kind + ", customer " + customer_text(r) +
                         ") must be answered by " + r.deadline + ", in " + days(r.days_left));
    else if (r.state == DeadlineState::passed)
      g.observer->notice("request " + std::to_string(r.id) + " (" + r.kind + ", customer " + customer_text(r) +
                         ") is past its deadline " + r.deadline + " by " + days(-r.days_left));
  }
  if (g.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const Request& r : requests) arr.push_back(request_json(r));
    print_json({{"requests", arr}});
    return;
  }
  print_table_header({"ID", "CUSTOMER", "KIND", "RECEIVED", "CHANNEL", "DEADLINE", "STATE"}, requests.empty(),
                     when_empty);
  for (const Request& r : requests)
    print_row({std::to_string(r.id), customer_text(r), r.kind, r.received, r.channel,
               r.deadline + (r.extended ? " (extended)" : ""), state_text(r)});
}

void print_one(const Request& r, const std::string& done, Globals& g) {
  if (g.json) {
    print_json(request_json(r));
    return;
  }
  std::cout << "Request " << r.id << " " << done << ": " << r.kind << " of customer " << customer_text(r)
            << ", received " << r.received << " (" << r.channel << "); " << state_text(r)
            << (r.closed_at ? "" : "; answer by " + r.deadline) << "\n";
}

}  // namespace

void register_request(CLI::App& app, Globals& g) {
  auto* request = app.add_subcommand("request", "a data subject's requests (inspection, rectification, erasure, "
                                                "objection) and their legal deadlines");
  request->require_subcommand(1);
  request->footer("A request is answered within one month of receipt; the deadline may be extended once by two\n"
                  "months, within that first month. Copies are handed over in person only, after checking identity.");

  struct AddArgs {
    std::string number;
    NewRequest request;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = request->add_subcommand("add", "record a request when it arrives");
  add->add_option("NUMBER", a->number, "customer number")->required();
  add->add_option("--kind", a->request.kind, "what the person asks for: " + list_of(request_kinds()))->required();
  add->add_option("--received", a->request.received, "the day it arrived, YYYY-MM-DD (the deadline runs from it)")
      ->required();
  add->add_option("--channel", a->request.channel,
                  "how it arrived: " + list_of(request_channels()) + " (default in-person)");
  add->add_option("--note", a->request.note, "a note kept with it (sealed)");
  add->footer("Example:\n  kaappi request add NUMBER --kind inspection --received DATE --channel letter");
  add->callback([&g, a] {
    check_new_request(a->request, today());
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = require_customer(s, a->number);
    print_one(add_request(s, c, a->request), "recorded", g);
  });

  struct ListArgs {
    bool open = false;
    std::string customer, reason;
  };
  auto l = std::make_shared<ListArgs>();
  auto* list = request->add_subcommand("list", "list requests with their deadlines; warns of those near or past it");
  list->add_flag("--open", l->open, "only those not yet closed");
  list->add_option("--customer", l->customer, "only this customer's requests");
  add_read_reason(list, l->reason, default_read_reason("request list"));
  list->footer("The read is recorded in the access log once, naming every customer listed (notes may speak of them).\n"
               "Examples:\n  kaappi request list --open\n  kaappi request list --customer 1001 --json");
  list->callback([&g, l] {
    Session s(g.archive_path(), Access::log, g.unlock_options());
    std::optional<std::int64_t> customer;
    if (!l->customer.empty()) customer = require_customer(s, l->customer).id;
    const std::vector<Request> requests = list_requests(s, customer, l->open);
    std::vector<std::int64_t> shown;
    for (const Request& r : requests)
      if (!r.customer_erased) shown.push_back(r.customer_id);
    record_read(s, "request list", std::move(shown), l->reason);
    print_requests(requests, g, l->open ? "no open requests" : "no requests recorded");
  });

  struct ExtendArgs {
    std::int64_t id = 0;
    std::string reason;
  };
  auto e = std::make_shared<ExtendArgs>();
  auto* extend = request->add_subcommand("extend", "extend a request's deadline by two months (once)");
  extend->add_option("ID", e->id, "request id (see kaappi request list)")->required();
  extend->add_option("--reason", e->reason, "why more time is needed (the person must be told)")->required();
  extend->footer("Example:\n  kaappi request extend ID --reason \"TEXT\"");
  extend->callback([&g, e] {
    check_extension_reason(e->reason);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    print_one(extend_request(s, e->id, e->reason), "extended", g);
  });

  struct CloseArgs {
    std::int64_t id = 0;
    RequestClosing closing;
    std::string fee;
  };
  auto c = std::make_shared<CloseArgs>();
  auto* close = request->add_subcommand("close", "close a request: handed over in person, or with a reason");
  close->add_option("ID", c->id, "request id (see kaappi request list)")->required();
  close->add_flag("--handed-over-in-person", c->closing.handed_over_in_person,
                  "the answer was handed over in person, after checking identity");
  close->add_option("--identity-checked-with", c->closing.identity_checked_with,
                    "how identity was checked: " + list_of(identity_documents()) + " (the kind, never its number)");
  close->add_option("--by", c->closing.handed_over_by, "who handed it over");
  close->add_option("--fee", c->fee, "the fee charged, in euros (an inspection more often than once a year)");
  close->add_option("--reason", c->closing.reason, "why it is closed otherwise (required without a handover)");
  close->footer("Examples:\n"
                "  kaappi request close ID --handed-over-in-person --identity-checked-with passport --by NAME\n"
                "  kaappi request close ID --reason \"TEXT\"");
  close->callback([&g, c] {
    if (!c->fee.empty()) c->closing.fee_cents = parse_fee(c->fee, Field{"fee"});
    check_request_closing(c->closing);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    print_one(close_request(s, c->id, c->closing), "closed", g);
  });
}

}  // namespace kaappi::cli
