// cmd_customer.cpp — kaappi customer add | show [--all] | list | edit |
// feedback | history. (import and export: cmd_customer_csv.cpp.)
#include <iostream>
#include <set>

#include "register/customers.h"
#include "base/dates.h"
#include "base/file_io.h"
#include "base/wipe.h"
#include "cli/cli.h"
#include "register/customer_json_values.h"
#include "consent/consents.h"
#include "export/customer_json.h"
#include "export/customer_view.h"
#include "export/customer_view_json.h"
#include "register/customer_changes.h"
#include "register/customer_restriction.h"
#include "rights/personal_reads.h"

namespace kaappi::cli {
namespace {

constexpr size_t k_max_json_input = 1 << 20;  // --from-json: one customer's fields

// "Label:" padded so values line up.
void print_field(const std::string& label, const std::string& value) {
  std::string head = label + ":";
  if (head.size() < 20) head.resize(20, ' ');
  else head += ' ';
  std::cout << head << printable_lines(value, std::string(head.size(), ' ')) << "\n";
}

void print_customer(const Customer& c, const std::vector<CustomerVersion>& history) {
  for (const auto& s : customer_fields())
    if (!c.current.record.get(s.key).empty()) print_field(s.label, c.current.record.get(s.key));
  if (!c.current.record.feedback.empty()) {
    std::cout << "Feedback:\n";
    for (const auto& e : c.current.record.feedback) std::cout << "  " << e.date << "  " << printable(e.text) << "\n";
  }
  const CustomerVersion& first = history.empty() ? c.current : history.front();
  print_field("Saved", format_time(c.created_at) + " by " + first.recorded_by);
  std::string changed = "version " + std::to_string(c.current.version);
  if (c.current.version > 1)
    changed += ", " + format_time(c.current.recorded_at) + " by " + c.current.recorded_by + " (" + c.current.reason + ")";
  print_field("Last changed", changed);
}

void print_restricted(std::int64_t since) {
  print_field("Restricted", "since " + date_of(since) +
                                ": their erasure was asked and a retention hold keeps the record; on no list, not to "
                                "be contacted (kaappi hold list)");
}

void print_history(const Customer& c, const std::vector<CustomerVersion>& versions, bool json) {
  if (json) return print_json(customer_history_json(c, versions));
  std::cout << "Customer " << printable(c.number()) << ": " << versions.size()
            << (versions.size() == 1 ? " version" : " versions") << ", oldest first\n";
  CustomerRecord previous;
  for (const auto& v : versions) {
    std::cout << "\nVersion " << v.version << "  " << format_time(v.recorded_at) << "  by " << printable(v.recorded_by)
              << "  " << (v.version == 1 ? "created" : "reason: " + printable(v.reason)) << "\n";
    for (const auto& ch : changes_between(previous, v.record)) {
      std::cout << "  " << ch.field << ": ";
      if (v.version == 1) std::cout << printable(ch.after) << "\n";
      else if (ch.field == "feedback" && ch.before.empty()) std::cout << "added \"" << printable(ch.after) << "\"\n";
      else
        std::cout << (ch.before.empty() ? "(empty)" : "\"" + printable(ch.before) + "\"") << " -> "
                  << (ch.after.empty() ? "(empty)" : "\"" + printable(ch.after) + "\"") << "\n";
    }
    previous = v.record;
  }
}

// A section of `customer show --all`: a blank line, its heading, underlined.
void print_heading(const std::string& heading) {
  std::cout << "\n" << heading << "\n" << std::string(heading.size(), '-') << "\n";
}

// `s` in a column `width` wide, then two spaces.
std::string column(const std::string& s, size_t width) {
  return s.size() >= width ? s + "  " : s + std::string(width - s.size() + 2, ' ');
}

void print_documents(const std::vector<DocumentInfo>& documents) {
  if (documents.empty()) {
    std::cout << "  none\n";
    return;
  }
  for (const auto& d : documents) {
    const DocumentRow& row = d.row;
    std::cout << "  " << column("#" + std::to_string(row.id), 4) << column(row.current_kind(), 12)
              << column(std::to_string(row.pages) + (row.pages == 1 ? " page" : " pages"), 7)
              << "imported " << format_time(row.imported_at) << "  "
              << (d.station.empty() ? "by kaappi import" : "from station " + printable(d.station)) << "\n";
  }
}

void print_open_matters(const std::vector<OpenRequestOrHold>& matters) {
  if (matters.empty()) {
    std::cout << "  none\n";
    return;
  }
  for (const auto& m : matters) {
    std::cout << "  " << m.what << " " << m.id << "  " << printable(m.kind);
    if (!m.since.empty()) std::cout << "  since " << m.since;
    if (!m.until.empty()) std::cout << "  until " << m.until;
    if (!m.reason.empty()) std::cout << "  " << printable(m.reason);
    std::cout << "\n";
  }
}

// customer show --all: the record as `customer show` prints it, then each
// section as its own command prints it.
void print_view(const CustomerView& view) {
  std::cout << "Record\n------\n";
  print_customer(view.customer, view.history);
  if (view.restricted_at) print_restricted(*view.restricted_at);
  print_heading("History");
  print_history(view.customer, view.history, false);
  print_heading("Documents");
  print_documents(view.documents);
  print_heading("Consents and bans");
  print_consent_states(view.customer, view.as_of, view.consents);
  std::cout << "\n";
  print_consent_events(view.customer, view.consent_events, "");
  print_heading("Open requests and holds");
  print_open_matters(view.open_matters);
}

void print_list(const std::vector<Customer>& all, bool json, bool searched) {
  if (json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : all) arr.push_back(customer_json(c));
    print_json({{"customers", arr}});
    return;
  }
  print_table_header({"NUMBER", "NAME", "BUSINESS ID", "EMAIL"}, all.empty(),
                     searched ? "no customer matches" : "no customers yet (kaappi customer add)");
  for (const auto& c : all)
    print_row({c.number(), c.name(), c.current.record.get("business-id"), c.current.record.get("email")});
}

// Adds --KEY options for every register field; values land in the map.
std::vector<std::pair<std::string, CLI::Option*>> add_field_options(CLI::App* cmd,
                                                                     std::map<std::string, std::string>& values,
                                                                     bool include_number) {
  std::vector<std::pair<std::string, CLI::Option*>> out;
  for (const auto& s : customer_fields()) {
    if (!include_number && std::string(s.key) == "number") continue;
    out.emplace_back(s.key, cmd->add_option(std::string("--") + s.key, values[s.key], customer_field_help(s)));
  }
  return out;
}

// The values given on the command line, and those of --from-json FILE (or -
// for standard input); a field may come from one of them only.
std::map<std::string, std::string> given(const std::vector<std::pair<std::string, CLI::Option*>>& options,
                                         const std::map<std::string, std::string>& values,
                                         const std::string& from_json, NumberField number) {
  std::map<std::string, std::string> out;
  if (!from_json.empty()) {
    Bytes text = read_file(from_json == "-" ? "/dev/stdin" : from_json, k_max_json_input);
    try {
      out = customer_values_from_json(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()),
                                      number);
    } catch (...) {
      wipe(text);
      throw;
    }
    wipe(text);
  }
  for (const auto& [key, option] : options) {
    if (option->count() == 0) continue;
    if (out.count(key) > 0)
      fail(ErrorKind::usage, "--" + key + " is given both on the command line and in --from-json; give it once");
    out[key] = values.at(key);
  }
  return out;
}

void add_from_json_option(CLI::App* cmd, std::string& from_json) {
  cmd->add_option("--from-json", from_json,
                  "read field values from a JSON object in FILE, or - for standard input (keys as the options "
                  "above: {\"name\": \"...\", \"email\": \"...\"}); keeps personal data off the command line");
}

constexpr const char* k_from_json_note =
    "Personal data on the command line can be read by every local user (/proc/PID/cmdline) and lands in shell "
    "history: give it with --from-json instead.\n";

}  // namespace

void register_customer(CLI::App& app, Globals& g) {
  auto* customer = app.add_subcommand("customer", "customer records");
  customer->require_subcommand(1);

  auto add_values = std::make_shared<std::map<std::string, std::string>>();
  auto add_json = std::make_shared<std::string>();
  auto* add = customer->add_subcommand("add", "add a customer record");
  auto add_options = add_field_options(add, *add_values, true);
  add_from_json_option(add, *add_json);
  add->footer(std::string(k_from_json_note) +
              "Examples:\n  kaappi customer add --number NUMBER --name \"NAME\" --business-id ID --email ADDRESS "
              "--source ytj\n  kaappi customer add --from-json FILE.json");
  add->callback([&g, add_values, add_options, add_json] {
    CustomerRecord record;
    for (const auto& [key, value] : given(add_options, *add_values, *add_json, NumberField::allowed))
      record.set(key, value);
    if (add_json->empty())  // without --from-json, as CLI11 says of a missing required option
      for (CLI::Option* required : {add_options[0].second, add_options[1].second})
        if (required->count() == 0) throw CLI::RequiredError(required->get_name());
    (void)checked_new_record(record);  // a bad value is said before the passphrase is asked
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = add_customer(s, record);
    if (g.json) print_json(customer_json(c));
    else std::cout << "Added customer " << printable(c.number()) << "\n";
  });

  auto number = std::make_shared<std::string>();
  auto show_all = std::make_shared<bool>(false);
  auto show_reason = std::make_shared<std::string>();
  auto* show = customer->add_subcommand("show", "show one customer record");
  show->add_option("NUMBER", *number, "customer number")->required();
  show->add_flag("--all", *show_all,
                 "also its history, documents, consents and bans with the events that prove them, and its open "
                 "requests and holds");
  add_read_reason(show, *show_reason, default_read_reason("customer show"));
  show->footer("The read is recorded in the access log (kaappi access-log --customer NUMBER).\n"
               "Examples:\n  kaappi customer show 1001\n  kaappi customer show 1001 --all --json\n"
               "  kaappi customer show NUMBER --reason \"WHY\"");
  show->callback([&g, number, show_all, show_reason] {
    Session s(g.archive_path(), Access::log, g.unlock_options());
    if (*show_all) {
      CustomerView view = customer_view(s, *number, today());
      record_read(s, "customer show", {view.customer.id}, *show_reason);
      if (g.json) return print_json(customer_view_json(view));
      return print_view(view);
    }
    Customer c = require_customer(s, *number);
    auto history = customer_history(s, c);
    const auto restricted = customer_restricted_at(s, c.id);
    record_read(s, "customer show", {c.id}, *show_reason);
    if (g.json) return print_json(customer_shown_json(c, history, restricted));
    print_customer(c, history);
    if (restricted) print_restricted(*restricted);
  });

  auto search = std::make_shared<std::string>();
  auto* list = customer->add_subcommand("list", "list customers, or find them by name, number, business ID or e-mail");
  auto* search_option = list->add_option("--search", *search,
                                         "words to find (all must match; case and accents do not matter: "
                                         "'hameenlinna' finds 'Hämeenlinna')");
  auto list_reason = std::make_shared<std::string>();
  add_read_reason(list, *list_reason, default_read_reason("customer list"));
  list->footer("The read is recorded in the access log once, naming every customer listed.\n"
               "Examples:\n  kaappi customer list\n  kaappi customer list --search \"ahlström\"\n"
               "  kaappi customer list --search 2468114-6 --json --reason \"WHY\"");
  list->callback([&g, search, search_option, list_reason] {
    if (search_option->count() > 0) search_words(*search);
    Session s(g.archive_path(), Access::log, g.unlock_options());
    bool searched = search_option->count() > 0;
    std::vector<Customer> shown = searched ? search_customers(s, *search) : list_customers(s);
    const std::size_t left_out = leave_out_restricted(s, shown);  // on no list
    std::vector<std::int64_t> ids;
    for (const auto& c : shown) ids.push_back(c.id);
    record_read(s, "customer list", std::move(ids), *list_reason);
    print_list(shown, g.json, searched);
    note_restricted_left_out(left_out);
  });

  auto edit_values = std::make_shared<std::map<std::string, std::string>>();
  auto edit_number = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto* edit = customer->add_subcommand(
      "edit", "rectify a customer record: a new version; the old values stay in the history");
  edit->add_option("NUMBER", *edit_number, "customer number")->required();
  auto edit_json = std::make_shared<std::string>();
  auto edit_options = add_field_options(edit, *edit_values, false);
  add_from_json_option(edit, *edit_json);
  edit->add_option("--reason", *reason, "why the record changes (kept with the version)")->required();
  edit->footer(std::string(k_from_json_note) +
               "Give a field an empty value (--email \"\", or \"email\": \"\" in JSON) to clear it. The customer "
               "number cannot change.\nExamples:\n  kaappi customer edit NUMBER --email ADDRESS --source customer "
               "--reason \"WHY\"\n  kaappi customer edit NUMBER --from-json - --reason \"WHY\" < FILE.json");
  edit->callback([&g, edit_values, edit_options, edit_number, reason, edit_json] {
    std::map<std::string, std::string> changes = given(edit_options, *edit_values, *edit_json, NumberField::refused);
    check_rectification(changes, *reason);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = edit_customer(s, *edit_number, changes, *reason);
    for (auto& [key, value] : changes) wipe(value);
    if (auto since = customer_restricted_at(s, c.id))
      std::cerr << "kaappi: the rectification is recorded; the customer stays restricted (since " << date_of(*since)
                << "): on no list, not to be contacted\n";
    if (g.json) print_json(customer_json(c));
    else std::cout << "Customer " << printable(c.number()) << " is now at version " << c.current.version << "\n";
  });

  struct FeedbackArgs {
    std::string number, text, date;
  };
  auto fb = std::make_shared<FeedbackArgs>();
  auto* feedback = customer->add_subcommand("feedback", "add a dated feedback entry to a customer record");
  feedback->add_option("NUMBER", fb->number, "customer number")->required();
  feedback->add_option("--text", fb->text, "the feedback (one line)")->required();
  feedback->add_option("--date", fb->date, "date given, YYYY-MM-DD (default today)");
  feedback->footer("Example:\n  kaappi customer feedback NUMBER --text \"TEXT\" --date DATE");
  feedback->callback([&g, fb] {
    FeedbackEntry e{fb->date.empty() ? today() : parse_date(fb->date, "--date"), fb->text};
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = add_feedback(s, fb->number, e);
    if (g.json) print_json(customer_json(c));
    else std::cout << "Feedback added to customer " << printable(c.number()) << " (version " << c.current.version << ")\n";
  });

  auto hist_number = std::make_shared<std::string>();
  auto* history = customer->add_subcommand("history", "every version of a customer record: when, by whom, why");
  history->add_option("NUMBER", *hist_number, "customer number")->required();
  auto hist_reason = std::make_shared<std::string>();
  add_read_reason(history, *hist_reason, default_read_reason("customer history"));
  history->footer("Examples:\n  kaappi customer history 1001\n  kaappi customer history NUMBER --reason \"WHY\"");
  history->callback([&g, hist_number, hist_reason] {
    Session s(g.archive_path(), Access::log, g.unlock_options());
    Customer c = require_customer(s, *hist_number);
    auto versions = customer_history(s, c);
    record_read(s, "customer history", {c.id}, *hist_reason);
    print_history(c, versions, g.json);
  });

  register_customer_csv(*customer, g);
}

}  // namespace kaappi::cli
