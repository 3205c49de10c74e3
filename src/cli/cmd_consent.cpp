// cmd_consent.cpp — kaappi consent set | retract | show | history | list |
// proof (import: cmd_consent_csv.cpp).
#include <iostream>

#include "export/consent_proof.h"
#include "consent/consents.h"
#include "base/csv.h"
#include "base/dates.h"
#include "base/word_list.h"
#include "cli/cli.h"
#include "export/consent_json.h"
#include "rights/personal_reads.h"

namespace kaappi::cli {
namespace {

// "signed-form (the default with --document), email, phone, web-form, other (the default without)"
std::string source_help() {
  std::vector<std::string> words;
  for (const auto& source : consent_sources())
    words.push_back(source == "signed-form" ? source + " (the default with --document)"
                    : source == "other"     ? source + " (the default without)"
                                            : source);
  return comma_list(words);
}

// "granted (default), refused, withdrawn or none"
std::string list_state_help() {
  std::vector<std::string> words = listable_consent_states();
  for (auto& w : words)
    if (w == "granted") w += " (default)";
  return or_list(words);
}

std::vector<std::string> ban_ids() {
  std::vector<std::string> out;
  for (const auto& p : purposes())
    if (p.is_ban) out.emplace_back(p.id);
  return out;
}

std::string padded(const std::string& s, size_t width) { return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' '); }

std::string as_of_or_today(const std::string& text) { return text.empty() ? today() : parse_date(text, "--as-of"); }

struct SetArgs {
  std::string customer, purpose, state, effective, note, source;
  std::int64_t document = 0, corrects = 0;
};

void print_recorded(const Globals& g, const Customer& c, const ConsentEvent& e) {
  if (g.json) return print_json(consent_event_json(e));
  std::cout << "Recorded event " << e.id << ": customer " << printable(c.number()) << ", " << e.purpose << " "
            << e.state << " from " << e.effective;
  if (e.document) std::cout << ", proven by document " << *e.document;
  if (e.corrects) std::cout << " (corrects event " << *e.corrects << ")";
  std::cout << "\n";
}

void run_set(const Globals& g, const SetArgs& a, bool has_document, bool has_corrects) {
  ConsentEvent e;
  e.purpose = a.purpose;
  e.state = a.state;
  e.effective = a.effective;
  if (has_document) e.document = a.document;
  if (has_corrects) e.corrects = a.corrects;
  e.note = a.note;
  e.source = a.source;
  e = checked_consent_request(std::move(e));
  Session s(g.archive_path(), Access::write, g.unlock_options());
  Customer c = require_customer(s, a.customer);
  print_recorded(g, c, record_consent(s, c, e));
}

struct RetractArgs {
  std::string customer, note;
  std::int64_t event = 0;
};

void run_retract(const Globals& g, const RetractArgs& a) {
  Session s(g.archive_path(), Access::write, g.unlock_options());
  Customer c = require_customer(s, a.customer);
  print_recorded(g, c, retract_consent(s, c, a.event, a.note));
}

}  // namespace

void print_consent_states(const Customer& c, const std::string& as_of, const std::vector<ConsentState>& states) {
  std::cout << "Consents of customer " << printable(c.number()) << " (" << printable(c.name()) << ") as of " << as_of
            << ":\n";
  if (!states.empty() && states.front().restricted_at)
    std::cout << "  RESTRICTED since " << date_of(*states.front().restricted_at)
              << ": their erasure was asked and a retention hold keeps the record; not to be contacted for any "
                 "purpose (kaappi hold list)\n";
  for (const auto& st : states) {
    std::cout << "  " << padded(st.purpose->id, 24);
    if (!st.event) {
      std::cout << (st.purpose->is_ban ? "not in force (nothing recorded)\n" : "no record\n");
      continue;
    }
    std::string state = st.event->state;
    if (st.purpose->is_ban) state = state == "granted" ? "IN FORCE" : state == "withdrawn" ? "lifted" : state;
    std::cout << state << " since " << st.event->effective;
    if (st.event->document) {
      std::cout << ", proven by document " << *st.event->document;
      if (st.event->document_erased_at)
        std::cout << " (erased on " << date_of(*st.event->document_erased_at) << ": the proof is gone)";
    } else std::cout << " (" << st.event->source << ")";
    std::cout << " [event " << st.event->id << "]";
    if (!st.excluded_by.empty()) {
      std::cout << " - but excluded by ";
      for (size_t i = 0; i < st.excluded_by.size(); ++i) std::cout << (i ? ", " : "") << st.excluded_by[i]->id;
    }
    if (st.restricted_at && st.event->state == "granted" && !st.purpose->is_ban) std::cout << " - but restricted";
    std::cout << "\n";
  }
}

void print_consent_events(const Customer& c, const std::vector<ConsentEvent>& shown, const std::string& purpose) {
  if (shown.empty()) {
    std::cout << "No consent events recorded for customer " << printable(c.number())
              << (purpose.empty() ? "" : " and " + purpose) << ".\n";
    return;
  }
  std::cout << "Consent events of customer " << printable(c.number()) << ", in the order recorded:\n";
  for (const auto& e : shown) {
    std::cout << "  #" << e.id << "  " << padded(e.purpose, 23) << padded(e.state, 10) << "effective " << e.effective
              << "  recorded " << format_time(e.recorded_at) << " by " << printable(e.recorded_by) << "  source "
              << e.source;
    if (e.document) {
      std::cout << " (document " << *e.document;
      if (e.document_erased_at) std::cout << ", erased on " << date_of(*e.document_erased_at);
      std::cout << ")";
    }
    if (e.corrects) std::cout << "  corrects #" << *e.corrects;
    if (e.corrected_by) std::cout << "  [corrected by #" << *e.corrected_by << "]";
    if (!e.note.empty()) std::cout << "\n      note: " << printable(e.note);
    std::cout << "\n";
  }
}

namespace {

void run_show(const Globals& g, const std::string& number, const std::string& as_of_text, const std::string& reason) {
  std::string as_of = as_of_or_today(as_of_text);
  Session s(g.archive_path(), Access::log, g.unlock_options());
  Customer c = require_customer(s, number);
  auto states = customer_consent_states(s, c, consent_events(s, c), as_of);
  record_read(s, "consent show", {c.id}, reason);
  if (g.json) return print_json(consent_states_json(c, as_of, states));
  print_consent_states(c, as_of, states);
}

void run_history(const Globals& g, const std::string& number, const std::string& purpose, const std::string& reason) {
  if (!purpose.empty()) find_purpose(purpose);
  Session s(g.archive_path(), Access::log, g.unlock_options());
  Customer c = require_customer(s, number);
  std::vector<ConsentEvent> shown;
  for (const auto& e : consent_events(s, c))
    if (purpose.empty() || e.purpose == purpose) shown.push_back(e);
  record_read(s, "consent history", {c.id}, reason);
  if (g.json) return print_json(consent_history_json(c, shown));
  print_consent_events(c, shown, purpose);
}

struct ListArgs {
  std::string purpose, state = "granted", as_of, format, reason;
};

void run_list(const Globals& g, const ListArgs& a) {
  const Purpose& purpose = find_purpose(a.purpose);
  std::string as_of = as_of_or_today(a.as_of);
  std::string format = a.format.empty() ? (g.json ? "json" : "text") : a.format;
  Session s(g.archive_path(), Access::log, g.unlock_options());
  auto entries = list_by_consent(s, purpose, a.state, as_of);
  std::vector<std::int64_t> ids;
  ids.reserve(entries.size());
  for (const auto& e : entries) ids.push_back(e.customer.id);
  record_read(s, "consent list", std::move(ids), a.reason);
  auto field = [](const ConsentListEntry& e, const char* key) { return e.customer.current.record.get(key); };
  if (format == "json") return print_json(consent_list_json(purpose, a.state, as_of, entries));
  if (format == "csv") {
    std::string out = csv_line({"number", "name", "email", "phone", "since", "document", "event"}, ',');
    for (const auto& e : entries)
      out += csv_line({e.customer.number(), e.customer.name(), field(e, "email"), field(e, "phone"),
                       e.event ? e.event->effective : "", e.event && e.event->document ? std::to_string(*e.event->document) : "",
                       e.event ? std::to_string(e.event->id) : ""},
                      ',');
    std::cout << out;
    return;
  }
  print_table_header({"NUMBER", "NAME", "EMAIL", "PHONE", "SINCE"}, entries.empty(), "no customer is in that state");
  for (const auto& e : entries)
    print_row({e.customer.number(), e.customer.name(), field(e, "email"), field(e, "phone"),
               e.event ? e.event->effective : ""});
  if (!g.quiet) {
    std::cerr << entries.size() << (entries.size() == 1 ? " customer" : " customers") << " with " << purpose.id << " "
              << a.state << " on " << as_of;
    if (a.state == "granted" && !bans_excluding(purpose).empty()) std::cerr << " (anyone with a ban in force left out)";
    std::cerr << "\n";
  }
}

struct ProofArgs {
  std::string customer, purpose, output, reason, as_of;
};

void run_proof(Globals& g, const ProofArgs& a) {
  ProofOptions options;
  options.purpose = a.purpose;
  options.directory = a.output;
  options.reason = a.reason.empty() ? default_read_reason("consent proof") + " (" + a.purpose + ")" : a.reason;
  options.as_of = as_of_or_today(a.as_of);
  check_proof_request(options);
  Session s(g.archive_path(), Access::log, g.unlock_options());
  Customer c = require_customer(s, a.customer);
  ProofResult r = write_consent_proof(s, c, options);
  if (g.json) {
    nlohmann::json left_out = nlohmann::json::array();
    for (const auto& l : r.left_out) left_out.push_back({{"id", l.id}, {"why", l.why}, {"on", l.on}});
    print_json({{"summary", r.summary_path},
                {"state", r.state},
                {"excluded_by", r.excluded_by},
                {"documents", r.documents},
                {"left_out", left_out}});
  }
  std::string state = r.state;
  if (!r.excluded_by.empty())
    state = "excluded by " + comma_list(r.excluded_by) + " (" + r.state + ", but " +
            (r.excluded_by.size() == 1 ? "the ban is" : "the bans are") + " in force)";
  if (!g.json)
    std::cout << "Proof written to " << a.output << ": " << a.purpose << " is " << state << " on " << options.as_of
              << "; " << r.documents.size() << (r.documents.size() == 1 ? " signed document" : " signed documents")
              << " decrypted; summary in proof.json\n";
  if (r.left_out.empty()) return;
  std::vector<std::string> why;
  for (const auto& l : r.left_out)
    why.push_back("document " + std::to_string(l.id) +
                  (l.why == "erased" ? " was erased on " + l.on
                                     : " was moved to another customer on " + l.on + " (kaappi document history " +
                                           std::to_string(l.id) + "; review the events citing it)"));
  std::cerr << "kaappi: the proof is incomplete: cited by these events, " << comma_list(why)
            << "; proof.json lists " << (r.left_out.size() == 1 ? "it" : "them") << "\n";
  g.exit_code = exit_code::k_partial;
}

}  // namespace

void register_consent(CLI::App& app, Globals& g) {
  auto* consent = app.add_subcommand("consent", "consents and bans, with the signed forms that prove them");
  consent->require_subcommand(1);

  const std::string purpose_help = comma_list(purpose_ids());
  auto a = std::make_shared<SetArgs>();
  auto* set = consent->add_subcommand("set", "record a consent event (appended; nothing is overwritten)");
  set->add_option("--customer", a->customer, "customer number")->required();
  set->add_option("--purpose", a->purpose, purpose_help)->required();
  set->add_option("--state", a->state, or_list(recordable_consent_states()) + " (for a ban: granted = ban in force)")
      ->required()
      ->check(CLI::IsMember(recordable_consent_states()));
  auto* doc = set->add_option("--document", a->document, "id of the signed form that proves it");
  set->add_option("--effective", a->effective, "date it takes effect, YYYY-MM-DD (default today; with --corrects, the corrected event's)");
  set->add_option("--source", a->source, "where it came from: " + source_help());
  set->add_option("--note", a->note, "a note (stored encrypted)");
  auto* corrects = set->add_option("--corrects", a->corrects,
                                   "id of a wrong earlier event that this one replaces (it stops counting)");
  set->footer("Examples:\n  kaappi consent set --customer NUMBER --purpose email-marketing --state granted "
              "--document ID --effective DATE\n"
              "  kaappi consent set --customer NUMBER --purpose sms-marketing --state withdrawn --source phone "
              "--note \"NOTE\"\n"
              "  kaappi consent set --customer NUMBER --purpose email-marketing --state refused --document ID "
              "--effective DATE --corrects EVENT");
  set->callback([&g, a, doc, corrects] { run_set(g, *a, doc->count() > 0, corrects->count() > 0); });
  register_consent_csv(*consent, g);

  auto r = std::make_shared<RetractArgs>();
  auto* retract = consent->add_subcommand("retract", "cancel a wrongly recorded event (appends a correction)");
  retract->add_option("EVENT", r->event, "id of the wrong event (see kaappi consent history)")->required();
  retract->add_option("--customer", r->customer, "customer number")->required();
  retract->add_option("--note", r->note, "why it is retracted")->required();
  retract->footer("Example:\n  kaappi consent retract EVENT --customer NUMBER --note \"WHY\"");
  retract->callback([&g, r] { run_retract(g, *r); });

  auto show_number = std::make_shared<std::string>();
  auto show_as_of = std::make_shared<std::string>();
  auto show_reason = std::make_shared<std::string>();
  auto* show = consent->add_subcommand("show", "each purpose's state for a customer, and the document that proves it");
  show->add_option("NUMBER", *show_number, "customer number")->required();
  show->add_option("--as-of", *show_as_of, "the state on this date, YYYY-MM-DD (default today)");
  add_read_reason(show, *show_reason, default_read_reason("consent show"));
  show->footer("The read is recorded in the access log (kaappi access-log --customer NUMBER).\n"
               "Examples:\n  kaappi consent show 1001\n  kaappi consent show 1001 --as-of 2025-12-31 --json\n"
               "  kaappi consent show NUMBER --reason \"WHY\"");
  show->callback([&g, show_number, show_as_of, show_reason] { run_show(g, *show_number, *show_as_of, *show_reason); });

  auto hist_number = std::make_shared<std::string>();
  auto hist_purpose = std::make_shared<std::string>();
  auto* history = consent->add_subcommand("history", "every consent event of a customer, in the order recorded");
  history->add_option("NUMBER", *hist_number, "customer number")->required();
  history->add_option("--purpose", *hist_purpose, "only this purpose or ban");
  auto hist_reason = std::make_shared<std::string>();
  add_read_reason(history, *hist_reason, default_read_reason("consent history"));
  history->footer("Examples:\n  kaappi consent history 1001 --purpose email-marketing\n"
                  "  kaappi consent history NUMBER --reason \"WHY\"");
  history->callback([&g, hist_number, hist_purpose, hist_reason] {
    run_history(g, *hist_number, *hist_purpose, *hist_reason);
  });

  auto l = std::make_shared<ListArgs>();
  auto* list = consent->add_subcommand("list", "customers by their state for one purpose (a marketing list)");
  list->add_option("--purpose", l->purpose, purpose_help)->required();
  list->add_option("--state", l->state, list_state_help())->check(CLI::IsMember(listable_consent_states()));
  list->add_option("--as-of", l->as_of, "on this date, YYYY-MM-DD (default today)");
  list->add_option("--format", l->format, "text (default), csv or json")->check(CLI::IsMember({"text", "csv", "json"}));
  add_read_reason(list, l->reason, default_read_reason("consent list"));
  list->footer("With --state granted, e-mail, SMS and other electronic marketing leave out anyone with a ban in force\n"
               "(" + or_list(ban_ids()) + ").\n"
               "The read is recorded in the access log once, naming every customer listed.\n"
               "Examples:\n  kaappi consent list --purpose email-marketing --state granted --format csv > list.csv\n"
               "  kaappi consent list --purpose sms-marketing --reason \"WHY\"");
  list->callback([&g, l] { run_list(g, *l); });

  auto p = std::make_shared<ProofArgs>();
  auto* proof = consent->add_subcommand("proof", "an auditor's folder: the events and the signed forms that prove "
                                                 "a purpose's state, with proof.json");
  proof->add_option("NUMBER", p->customer, "customer number")->required();
  proof->add_option("--purpose", p->purpose, purpose_help)->required();
  proof->add_option("-o,--output", p->output, "new (or empty) folder to write, made mode 0700")->required();
  proof->add_option("--reason", p->reason,
                    "why (recorded in the access log for the customer and each document; default \"" +
                        default_read_reason("consent proof") + " (PURPOSE)\")");
  proof->add_option("--as-of", p->as_of, "prove the state on this date (default today)");
  proof->footer("Example:\n  kaappi consent proof NUMBER --purpose email-marketing -o FOLDER --reason \"WHY\"");
  proof->callback([&g, p] { run_proof(g, *p); });
}

}  // namespace kaappi::cli
