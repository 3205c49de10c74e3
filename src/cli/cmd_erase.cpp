// cmd_erase.cpp — kaappi erase customer|document: crypto-shredding under
// retention holds (rights/erasure.h); --dry-run says what would go.
#include <iostream>

#include "base/dates.h"
#include "base/exit_codes.h"
#include "base/word_list.h"
#include "cli/cli.h"
#include "intake/rejected_envelopes.h"
#include "rights/erasure.h"

namespace kaappi::cli {
namespace {

std::string ids_text(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (std::int64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

std::string count(std::int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

nlohmann::json plan_json(const ErasurePlan& plan, bool dry_run, const ErasureOutcome* outcome) {
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& k : plan.kept) {
    nlohmann::json why = nlohmann::json::array();
    for (const auto& w : k.why) why.push_back({{"until", w.until}, {"why", w.why}});
    kept.push_back({{"document", k.document_id ? nlohmann::json(k.document_id) : nlohmann::json(nullptr)},
                    {"until", k.until()}, {"held_by", why}});
  }
  nlohmann::json documents = nlohmann::json::array();
  for (const auto& d : plan.documents) documents.push_back(d.id);
  nlohmann::json j{{"dry_run", dry_run},
                   {"values", plan.targets.size()},
                   {"documents", documents},
                   {"customer_values", plan.customer_values_erased() && plan.document_id == 0},
                   {"versions", plan.versions},
                   {"consent_events", plan.consent_events},
                   {"reads", plan.reads},
                   {"requests", plan.requests},
                   {"citing_consent_events", plan.citing_events},
                   {"kept", kept}};
  if (outcome) {
    j["erased_at"] = outcome->erasure ? nlohmann::json(format_time(outcome->erasure->at)) : nlohmann::json(nullptr);
    j["files_left"] = outcome->blobs_left;
  }
  return j;
}

void print_plan(const ErasurePlan& plan, const std::string& subject, bool dry_run) {
  const std::string verb = dry_run ? "Would erase " : "Erased ";
  std::vector<std::int64_t> documents;
  for (const auto& d : plan.documents) documents.push_back(d.id);
  if (plan.document_id != 0) {
    if (!plan.targets.empty()) std::cout << verb << subject << ": its key, metadata and file.\n";
  } else if (plan.customer_values_erased()) {
    // What went, leaving out what they had none of.
    std::vector<std::string> parts = {count(plan.versions, "version", "versions") + " of the record"};
    if (plan.consent_events) parts.push_back(count(plan.consent_events, "consent event", "consent events"));
    if (!documents.empty())
      parts.push_back(count(static_cast<std::int64_t>(documents.size()), "document", "documents") + " (" +
                      ids_text(documents) + ")");
    if (plan.requests) parts.push_back("the notes of " + count(plan.requests, "request", "requests"));
    if (plan.reads) parts.push_back("the reasons of " + count(plan.reads, "read", "reads"));
    std::cout << verb << subject << " with their key: " << and_list(parts) << ".\n";
  }
  if (!plan.citing_events.empty())
    std::cout << "Consent events citing an erased document as their proof: " << ids_text(plan.citing_events)
              << (plan.document_id == 0 ? " (erased with the customer)" : " (their proof is gone; review them)") << "\n";
  if (plan.kept.empty()) return;
  std::cout << (dry_run ? "Would keep" : "Kept") << ", restricted until its hold ends (kaappi retention due lists it then):\n";
  for (const auto& k : plan.kept) {
    std::cout << "  " << (k.document_id ? "document " + std::to_string(k.document_id) : "everything of " + subject)
              << " until " << k.until() << ":";
    for (std::size_t i = 0; i < k.why.size(); ++i) std::cout << (i ? "; " : " ") << k.why[i].why;
    std::cout << "\n";
  }
}

struct EraseArgs {
  std::string target, reason;
  bool dry_run = false;
};

void run_erasure(Globals& g, const EraseArgs& a, bool customer) {
  if (!a.dry_run) check_erasure_reason(a.reason);
  Session s(g.archive_path(), a.dry_run ? Access::read : Access::write, g.unlock_options());
  ErasurePlan plan;
  std::string subject, number;
  if (customer) {
    auto c = find_customer(s, a.target);
    if (!c && customer_erased_at(s, a.target))
      fail(ErrorKind::rejected, "the customer with that number was erased on " +
                                    date_of(*customer_erased_at(s, a.target)) + "; nothing was changed");
    if (!c) c = require_customer(s, a.target);
    plan = plan_customer_erasure(s, *c);
    subject = "customer " + printable(c->number());
    number = c->number();
  } else {
    std::int64_t id = 0;
    try {
      std::size_t used = 0;
      id = std::stoll(a.target, &used);
      if (used != a.target.size() || id <= 0) throw std::invalid_argument("id");
    } catch (const std::exception&) {
      fail(ErrorKind::usage, "DOCUMENT must be a document id (see kaappi documents), not '" + a.target + "'");
    }
    plan = plan_document_erasure(s, id);
    subject = "document " + std::to_string(id);
  }
  // The customer's envelopes set aside in the inbox's rejected/, when their own values go.
  const bool envelopes_too = customer && plan.customer_values_erased();
  const std::string inbox = envelopes_too ? g.inbox_path("", s.archive()) : std::string();
  auto envelopes_json = [](const RejectedEnvelopes& r) {
    return nlohmann::json{{"removed", r.removed},
                          {"left", r.left},
                          {"folder_problem", r.folder_problem.empty() ? nlohmann::json(nullptr)
                                                                      : nlohmann::json(r.folder_problem)}};
  };
  auto print_envelopes = [&](const RejectedEnvelopes& r, bool dry_run) {
    if (!r.removed.empty())
      std::cout << (dry_run ? "Would remove " : "Removed ")
                << count(static_cast<std::int64_t>(r.removed.size()), "envelope", "envelopes") << " of "
                << subject << " from " << printable(inbox) << "/rejected/, with their reasons.\n";
    for (const std::string& l : r.left)
      std::cout << "Left in " << printable(inbox) << "/rejected/ (could not be opened to tell whose it is): "
                << printable(l) << "\n";
  };
  auto note_folder_problem = [&](const RejectedEnvelopes& r) {
    if (!r.folder_problem.empty())
      g.observer->notice(printable(inbox) + "/rejected/ could not be searched for envelopes of " + subject + " (" +
                         r.folder_problem + "); look there by hand");
  };
  if (a.dry_run) {
    RejectedEnvelopes envelopes;
    if (envelopes_too) envelopes = remove_rejected_envelopes(s, inbox, number, true);
    if (g.json) {
      nlohmann::json j = plan_json(plan, true, nullptr);
      if (customer) j["rejected_envelopes"] = envelopes_json(envelopes);
      print_json(j);
    } else {
      print_plan(plan, subject, true);
      print_envelopes(envelopes, true);
      std::cout << "Nothing was changed (a dry run).\n";
    }
    note_folder_problem(envelopes);
    return;
  }
  ErasureOutcome out = carry_out_erasure(s, plan, a.reason);
  RejectedEnvelopes envelopes;
  if (envelopes_too && out.erasure) envelopes = remove_rejected_envelopes(s, inbox, number, false);
  if (g.json) {
    nlohmann::json j = plan_json(plan, false, &out);
    if (customer) j["rejected_envelopes"] = envelopes_json(envelopes);
    print_json(j);
  } else {
    print_plan(plan, subject, false);
    print_envelopes(envelopes, false);
    if (out.erasure)
      std::cout << "Backups made before now still hold it until kaappi backup prunes them (after --generations "
                   "nights; README, \"Backups\"), though kaappi restore erases it again once a later backup holds this "
                   "erasure; paper and copies handed out are not reached.\n";
  }
  note_folder_problem(envelopes);
  for (const auto& p : out.problems)
    g.observer->notice("the erased documents' files " + ids_text(out.blobs_left) + " were left in place: " + p +
                       " (they can no longer be opened; kaappi verify notes them)");
  if (!plan.kept.empty() || !out.blobs_left.empty() || !envelopes.folder_problem.empty())
    g.exit_code = exit_code::k_partial;
}

}  // namespace

void register_erase(CLI::App& app, Globals& g) {
  auto* erase = app.add_subcommand("erase", "erase a customer or a document for good (what a hold keeps is restricted)");
  erase->require_subcommand(1);
  erase->footer("The keys are destroyed and the files removed: nothing erased can be brought back, by kaappi or by\n"
                "anyone. Backups made before keep it until they are pruned (README, \"Backups\"); kaappi restore of\n"
                "one erases it again. erase customer also removes their envelopes from the inbox's rejected/.");
  for (bool customer : {true, false}) {
    auto a = std::make_shared<EraseArgs>();
    auto* cmd = erase->add_subcommand(customer ? "customer" : "document",
                                      customer ? "erase everything of one customer" : "erase one document");
    cmd->add_option(customer ? "NUMBER" : "DOCUMENT", a->target, customer ? "customer number" : "document id")->required();
    cmd->add_option("--reason", a->reason, "why (kept sealed with the erasure; name no person in it)");
    cmd->add_flag("--dry-run", a->dry_run, "say what would be erased and kept; change nothing");
    cmd->footer(customer ? "Examples:\n  kaappi erase customer NUMBER --dry-run\n"
                           "  kaappi erase customer NUMBER --reason \"TEXT\""
                         : "Examples:\n  kaappi erase document DOCUMENT --dry-run\n"
                           "  kaappi erase document DOCUMENT --reason \"TEXT\"");
    cmd->callback([&g, a, customer] { run_erasure(g, *a, customer); });
  }
}

}  // namespace kaappi::cli
