// cmd_consent.cpp — kaappi consent set | show.
#include <iostream>

#include "../consents.h"
#include "../dates.h"
#include "cli.h"

namespace kaappi::cli {
namespace {

struct SetArgs {
  std::string customer, purpose, state, effective, note, source;
  std::int64_t document = 0;
};

struct ShowArgs {
  std::string customer, as_of;
};

nlohmann::json event_json(const ConsentEvent& e) {
  return {{"event", e.id},
          {"purpose", e.purpose},
          {"state", e.state},
          {"effective", e.effective},
          {"document", e.document ? nlohmann::json(*e.document) : nlohmann::json(nullptr)},
          {"source", e.source},
          {"note", e.note},
          {"recorded_by", e.recorded_by},
          {"recorded", format_time(e.recorded_at)}};
}

void run_set(const Globals& g, const SetArgs& a, bool has_document) {
  find_purpose(a.purpose);
  ConsentEvent e;
  e.purpose = a.purpose;
  e.state = a.state;
  e.effective = a.effective.empty() ? today() : parse_date(a.effective, "--effective");
  if (has_document) e.document = a.document;
  e.note = a.note;
  e.source = a.source;
  Session s(g.archive_path(), Access::write, g.unlock_options());
  Customer c = require_customer(s, a.customer);
  ConsentEvent stored = record_consent(s, c, e);
  if (g.json) {
    print_json(event_json(stored));
    return;
  }
  std::cout << "Recorded: customer " << printable(c.fields.number) << ", " << stored.purpose << " " << stored.state
            << " from " << stored.effective;
  if (stored.document) std::cout << ", proven by document " << *stored.document;
  std::cout << "\n";
}

void run_show(const Globals& g, const ShowArgs& a) {
  std::string as_of = a.as_of.empty() ? today() : parse_date(a.as_of, "--as-of");
  Session s(g.archive_path(), Access::read, g.unlock_options());
  Customer c = require_customer(s, a.customer);
  auto states = consent_states(consent_events(s, c), as_of);
  if (g.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& st : states) {
      nlohmann::json j = {{"purpose", st.purpose->id}, {"ban", st.purpose->is_ban},
                          {"label", {{"fi", st.purpose->label_fi}, {"sv", st.purpose->label_sv}, {"en", st.purpose->label_en}}},
                          {"state", st.event ? st.event->state : "none"}};
      j["since"] = st.event ? nlohmann::json(st.event->effective) : nlohmann::json(nullptr);
      j["document"] = st.event && st.event->document ? nlohmann::json(*st.event->document) : nlohmann::json(nullptr);
      j["event"] = st.event ? nlohmann::json(st.event->id) : nlohmann::json(nullptr);
      arr.push_back(j);
    }
    print_json({{"customer", c.fields.number}, {"as_of", as_of}, {"consents", arr}});
    return;
  }
  std::cout << "Consents of customer " << printable(c.fields.number) << " (" << printable(c.fields.name)
            << ") as of " << as_of << ":\n";
  for (const auto& st : states) {
    std::cout << "  " << st.purpose->id;
    for (size_t i = std::string(st.purpose->id).size(); i < 24; ++i) std::cout << ' ';
    if (!st.event) {
      std::cout << "no record\n";
      continue;
    }
    std::cout << st.event->state << " since " << st.event->effective;
    if (st.event->document) std::cout << ", proven by document " << *st.event->document;
    else std::cout << " (" << st.event->source << ")";
    std::cout << "\n";
  }
}

}  // namespace

void register_consent(CLI::App& app, Globals& g) {
  auto* consent = app.add_subcommand("consent", "consents and bans, with the signed forms that prove them");
  consent->require_subcommand(1);

  auto a = std::make_shared<SetArgs>();
  auto* set = consent->add_subcommand("set", "record a consent event (appended; nothing is overwritten)");
  set->add_option("--customer", a->customer, "customer number")->required();
  set->add_option("--purpose", a->purpose,
                  "email-marketing, sms-marketing, electronic-marketing, personal-data, research, development-contact, "
                  "ban-direct-advertising, ban-distance-selling, ban-direct-marketing")
      ->required();
  set->add_option("--state", a->state, "granted, refused or withdrawn (for a ban: granted = ban in force)")
      ->required()
      ->check(CLI::IsMember({"granted", "refused", "withdrawn"}));
  auto* doc = set->add_option("--document", a->document, "id of the signed form that proves it");
  set->add_option("--effective", a->effective, "date it takes effect, YYYY-MM-DD (default today)");
  set->add_option("--note", a->note, "a note (stored encrypted)");
  set->add_option("--source", a->source, "where it came from: signed-form, e-mail, phone, web-form (default: signed-form "
                                         "with --document, else recorded)");
  set->footer("Example:\n  kaappi consent set --customer 1001 --purpose email-marketing --state granted "
              "--document 12 --effective 2026-03-01");
  set->callback([&g, a, doc] { run_set(g, *a, doc->count() > 0); });

  auto s = std::make_shared<ShowArgs>();
  auto* show = consent->add_subcommand("show", "each purpose's state for a customer, and the document that proves it");
  show->add_option("NUMBER", s->customer, "customer number")->required();
  show->add_option("--as-of", s->as_of, "the state on this date, YYYY-MM-DD (default today)");
  show->footer("Examples:\n  kaappi consent show 1001\n  kaappi consent show 1001 --as-of 2025-12-31 --json");
  show->callback([&g, s] { run_show(g, *s); });
}

}  // namespace kaappi::cli
