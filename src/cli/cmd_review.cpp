// cmd_review.cpp — kaappi review: the scanned forms' box readings, and
// review accept / review set, which turn them into consent events citing the
// document (consent/form_review.h) only when the key holder confirms.
#include <iostream>

#include "base/dates.h"
#include "base/word_list.h"
#include "cli/cli.h"
#include "consent/consent_event.h"
#include "consent/form_review.h"
#include "consent/purposes.h"
#include "export/form_crops.h"
#include "export/output_folder.h"
#include "rights/personal_reads.h"

namespace kaappi::cli {
namespace {

std::string proposal_word(const BoxProposal& box) {
  if (box.reading.mark == form::BoxMark::unsure) return "ask";
  const bool ticked = box.reading.mark == form::BoxMark::ticked;
  if (find_purpose(box.purpose).is_ban) return ticked ? "ban" : "no ban";
  return ticked ? "granted" : "refused";
}

nlohmann::json review_json(const FormReview& r) {
  nlohmann::json pages = nlohmann::json::array();
  for (const FormPageRead& page : r.form.pages) {
    nlohmann::json boxes = nlohmann::json::array();
    for (const BoxProposal& box : page.boxes)
      boxes.push_back({{"purpose", box.purpose},
                       {"ban", find_purpose(box.purpose).is_ban},
                       {"mark", form::box_mark_name(box.reading.mark)},
                       {"confidence", box.reading.confidence},
                       {"unsure_because", box.reading.mark == form::BoxMark::unsure
                                              ? nlohmann::json(form::unsure_reason_name(box.reading.reason))
                                              : nlohmann::json(nullptr)},
                       {"proposal", proposal_word(box)}});
    pages.push_back({{"scan_page", page.pdf_page},
                     {"form_page", page.form_page},
                     {"turn", page.turn},
                     {"corner_marks", page.marks},
                     {"boxes", boxes}});
  }
  nlohmann::json recorded = nlohmann::json::array();
  for (const ConsentEvent& e : r.recorded)
    recorded.push_back({{"event", e.id}, {"purpose", e.purpose}, {"state", e.state}, {"effective", e.effective}});
  return {{"document", r.document.id},
          {"customer", r.customer.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.customer)},
          {"form", r.form.form.id},
          {"label", r.label},
          {"printed_for_customer", r.form.form.customer_id != 0},
          {"pages", pages},
          {"notes", r.form.notes},
          {"recorded", recorded},
          {"pending", r.pending},
          {"also_in", r.also_in},
          {"accepted_in", r.accepted_in},
          {"reviewed", r.reviewed()}};
}

void print_review(const FormReview& r, bool preview) {
  std::cout << "document " << r.document.id << "  "
            << (r.customer.empty() ? std::string("unassigned") : "customer " + printable(r.customer)) << "  form "
            << r.label << (r.reviewed() ? "  (reviewed)" : "") << "\n";
  for (const FormPageRead& page : r.form.pages) {
    if (page.boxes.empty()) continue;
    std::cout << "  scan page " << page.pdf_page << (page.turn ? ", turned " + std::to_string(page.turn) + "°" : "")
              << ", " << page.marks << " of 4 corner marks\n";
    for (const BoxProposal& box : page.boxes) {
      const bool unsure = box.reading.mark == form::BoxMark::unsure;
      char confidence[16];
      std::snprintf(confidence, sizeof confidence, "%.2f", box.reading.confidence);
      std::string what = unsure ? std::string("unsure (") + form::unsure_reason_name(box.reading.reason) + ")"
                                : std::string(form::box_mark_name(box.reading.mark)) + " " + confidence;
      const bool pending = std::find(r.pending.begin(), r.pending.end(), box.purpose) != r.pending.end();
      char line[160];
      std::snprintf(line, sizeof line, "    %-24s %-26s %s\n", box.purpose.c_str(), what.c_str(),
                    pending ? ("-> " + proposal_word(box)).c_str() : "recorded");
      std::cout << line;
      if ((unsure || preview) && !box.crop.empty()) {
        std::string shown = form::box_preview(box.crop, box.width, box.height);
        if (!shown.empty() && shown.back() == '\n') shown.pop_back();
        std::cout << "      " << printable_lines(shown, "      ") << "\n";
      }
    }
  }
  for (const std::string& note : r.form.notes) std::cout << "  note: " << printable(note) << "\n";
}

}  // namespace

void register_review(CLI::App& app, Globals& g) {
  struct Args {
    std::int64_t document = 0;
    bool all = false, preview = false;
    std::string crops, reason;
  };
  auto a = std::make_shared<Args>();
  auto* review = app.add_subcommand("review", "scanned forms' ticked boxes: see them, then accept them as consents");
  review->add_option("--document", a->document, "only this document's form");
  review->add_flag("--all", a->all, "also the forms already reviewed");
  review->add_flag("--preview", a->preview, "every box's crop as text (unsure boxes always show theirs)");
  review->add_option("--crops", a->crops, "write every box's crop as a PNG into this new (or empty) folder, made 0700");
  add_read_reason(review, a->reason, default_read_reason("review"));
  review->footer(
      "Lists each scanned form (a consent-form document whose QR code is a form printed here) with\n"
      "each box's reading: ticked or empty with a confidence, or unsure (filled, crossed out, light\n"
      "pencil, a stray mark, outline not found), and what accepting it records. Nothing becomes a\n"
      "consent until you accept it.\n"
      "Examples:\n"
      "  kaappi review\n"
      "  kaappi review --document ID --crops FOLDER\n"
      "  kaappi review accept ID --signed DATE\n"
      "  kaappi review set ID PURPOSE STATE --signed DATE");

  struct AcceptArgs {
    AcceptRequest request;
  };
  auto acc = std::make_shared<AcceptArgs>();
  auto* accept = review->add_subcommand("accept", "record a form's readings as consent events, as of its signing date");
  accept->add_option("DOC", acc->request.document, "the form's document id")->required();
  accept->add_option("--signed", acc->request.signed_on, "the date the person signed the form (YYYY-MM-DD)")->required();
  accept->add_option("--except", acc->request.except, "leave this purpose out (give it once per purpose)");
  accept->add_option("--note", acc->request.note, "a note kept with each event");
  accept->footer(
      "Records, in one change, an event for each box not yet recorded: a ticked consent granted, an\n"
      "empty one refused, a ticked ban in force, an empty ban withdrawn; each cites the document,\n"
      "source signed-form, effective on the signing date. Refused (exit 4, nothing written) while a\n"
      "box is unsure: record it as you read it (review set) or leave it out (--except).\n"
      "Example:\n  kaappi review accept ID --signed DATE --except PURPOSE");
  accept->callback([&g, acc] {
    check_accept_request(acc->request);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    AcceptOutcome out = accept_form(s, acc->request);
    if (g.json) {
      nlohmann::json events = nlohmann::json::array();
      for (const ConsentEvent& e : out.recorded)
        events.push_back({{"event", e.id}, {"purpose", e.purpose}, {"state", e.state}, {"effective", e.effective}});
      print_json({{"document", acc->request.document}, {"recorded", events}, {"left_out", out.left_out}});
      return;
    }
    for (const ConsentEvent& e : out.recorded)
      std::cout << "event " << e.id << "\t" << e.purpose << "\t" << e.state << " from " << e.effective << "\n";
    if (!out.left_out.empty()) std::cerr << "left out: " << comma_list(out.left_out) << "\n";
  });

  struct SetArgs {
    std::int64_t document = 0;
    std::string purpose, state, signed_on, note;
  };
  auto set_args = std::make_shared<SetArgs>();
  auto* set = review->add_subcommand("set", "record one box of a form as you read it");
  set->add_option("DOC", set_args->document, "the form's document id")->required();
  set->add_option("PURPOSE", set_args->purpose, "the box's purpose or ban")->required()->check(CLI::IsMember(purpose_ids()));
  set->add_option("STATE", set_args->state, "granted, refused or withdrawn")
      ->required()
      ->check(CLI::IsMember(recordable_consent_states()));
  set->add_option("--signed", set_args->signed_on, "the date the person signed the form (YYYY-MM-DD)")->required();
  set->add_option("--note", set_args->note, "a note kept with the event");
  set->footer("Example:\n  kaappi review set ID PURPOSE STATE --signed DATE --note \"NOTE\"");
  set->callback([&g, set_args] {
    parse_date(set_args->signed_on, Message("the signing date (") + Field{"signed"} + ")");
    Session s(g.archive_path(), Access::write, g.unlock_options());
    ConsentEvent e = set_form_box(s, set_args->document, set_args->purpose, set_args->state, set_args->signed_on,
                                  set_args->note);
    if (g.json) print_json({{"event", e.id}, {"purpose", e.purpose}, {"state", e.state}, {"effective", e.effective}});
    else std::cout << "event " << e.id << "\t" << e.purpose << "\t" << e.state << " from " << e.effective << "\n";
  });

  review->callback([&g, a, accept, set] {
    if (accept->parsed() || set->parsed()) return;
    if (!a->crops.empty()) check_output_folder(a->crops, Message("name the folder"));
    Session s(g.archive_path(), Access::write, g.unlock_options());
    std::optional<std::int64_t> document;
    if (a->document != 0) document = a->document;
    std::vector<FormReview> forms = forms_to_review(s, document, a->all || document.has_value());
    std::vector<std::int64_t> shown;
    for (const FormReview& r : forms)
      if (r.document.owner() != 0) shown.push_back(r.document.owner());
    record_read(s, "review", std::move(shown), a->reason);
    std::vector<std::string> files;
    if (!a->crops.empty()) files = write_form_crops(forms, a->crops);
    if (g.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const FormReview& r : forms) list.push_back(review_json(r));
      print_json({{"forms", list}, {"crops", files}});
      return;
    }
    if (forms.empty()) std::cerr << "kaappi: no scanned form is waiting for review (--all: also the reviewed ones)\n";
    for (const FormReview& r : forms) print_review(r, a->preview);
    if (!files.empty()) std::cerr << "wrote " << files.size() << " crops to " << printable(a->crops) << "\n";
  });
}

}  // namespace kaappi::cli
