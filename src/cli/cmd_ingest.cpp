// cmd_ingest.cpp — kaappi ingest [--list]: sealed scans from the inbox.
#include <iostream>

#include "base/dates.h"
#include "base/word_list.h"
#include "documents/documents.h"
#include "intake/ingest.h"
#include "cli/cli.h"
#include "frontend/stop_on_signal.h"

namespace kaappi::cli {
namespace {

struct IngestArgs {
  bool list = false;
  std::string customer, kind, inbox;  // kind "": not given (other, or a printed form's consent-form)
};

const char* status_word(IngestOutcome::Status s) {
  switch (s) {
    case IngestOutcome::Status::stored: return "stored";
    case IngestOutcome::Status::duplicate: return "duplicate";
    case IngestOutcome::Status::rejected: return "rejected";
    case IngestOutcome::Status::interrupted: return "interrupted";
    case IngestOutcome::Status::waiting: return "waiting";
    case IngestOutcome::Status::failed: return "failed";
    case IngestOutcome::Status::left: return "left";
  }
  return "";
}

// What an envelope's outcome counts as in the exit code (base/exit_codes.h).
ItemResult item_result(const IngestOutcome& o) {
  switch (o.status) {
    case IngestOutcome::Status::rejected: return ItemResult::rejected;
    case IngestOutcome::Status::interrupted: return ItemResult::not_started;
    case IngestOutcome::Status::waiting: return ItemResult::waiting;
    case IngestOutcome::Status::failed:
    case IngestOutcome::Status::left: return ItemResult::failed;
    case IngestOutcome::Status::stored:
    case IngestOutcome::Status::duplicate: break;
  }
  return o.done_in_part ? ItemResult::done_in_part : ItemResult::done;
}

void run_list(const Globals& g, Session& s, const std::string& inbox) {
  nlohmann::json arr = nlohmann::json::array();
  auto envelopes = inbox_envelopes(inbox);
  if (!g.json)
    print_table_header({"ENVELOPE", "STATION", "SCANNED", "PAGES", "SIZE", "FILE", "PROBLEM"}, envelopes.empty(),
                       "the inbox " + printable(inbox) + " is empty");
  for (const auto& path : envelopes) {
    EnvelopeInfo info = inspect_envelope(s, path);
    if (g.json) {
      nlohmann::json j = {{"envelope", base_name(path)}, {"problem", info.problem},
                          {"being_written", info.being_written}};
      if (info.problem.empty())
        j.update({{"station", info.station->name}, {"scanned", format_time(info.scanned_at)}, {"pages", info.pages},
                  {"original_name", info.original_name}, {"size", info.plain_size}});
      arr.push_back(j);
      continue;
    }
    if (info.being_written) {
      print_row({base_name(path), "", "", "", "", "", "still being written (modified less than " +
                                                          std::to_string(k_still_written_seconds) +
                                                          " seconds ago, not yet whole): left in the inbox"});
      continue;
    }
    if (!info.problem.empty()) {
      print_row({base_name(path), "", "", "", "", "", "REFUSED: " + info.problem});
      continue;
    }
    print_row({base_name(path), info.station->name, format_time(info.scanned_at), std::to_string(info.pages),
               human_size(static_cast<std::int64_t>(info.plain_size)), info.original_name, ""});
  }
  if (g.json) print_json({{"inbox", inbox}, {"envelopes", arr}});
}

}  // namespace

void register_ingest(CLI::App& app, Globals& g) {
  auto a = std::make_shared<IngestArgs>();
  auto* cmd = app.add_subcommand("ingest", "take sealed scans from the inbox into the archive");
  cmd->add_flag("--list", a->list, "only show what waits (station, scan time, pages, original name)");
  cmd->add_option("--customer", a->customer,
                  "link every scan to this customer (a scan of another customer's printed form is stored "
                  "unassigned; default: each scan's printed form, else the customer number its text names, e.g. "
                  "\"Asiakasnumero: 1001\"; else it is stored unassigned)");
  cmd->add_option("--kind", a->kind, or_list(document_kinds()) + " (default other; a printed form is a consent-form)")
      ->check(CLI::IsMember(document_kinds()));
  cmd->add_option("--inbox", a->inbox, "the inbox folder (else KAAPPI_INBOX, else the setting 'inbox'; default ARCHIVE/inbox)");
  cmd->footer("Refused envelopes (another archive, unknown or revoked station, altered, truncated, bad metadata,\n"
              "not a readable PDF, a document id already holding other content) go to INBOX/rejected/ with a\n"
              ".reason file (or stay in the inbox, named, when rejected/ cannot be used: a link, a file, another\n"
              "user's folder); exit 6 when others were taken in, 4 when none was. An envelope still being written\n"
              "into the inbox (not yet whole, modified less than " + std::to_string(k_still_written_seconds) +
              " seconds ago) is left there for a later ingest and counts\n"
              "neither way (exit 0 when the rest was taken in). An error in a batch (I/O, a full disk) takes that\n"
              "batch back and stops: the output lists what was taken in before it, the batch's envelopes and those\n"
              "not tried stay in the inbox (exit 6; the error's own code when none was taken in). Ctrl-C stops after the batch\n"
              "being committed: the output says which were taken in; those left stay in the inbox for the next\n"
              "ingest. Examples:\n  kaappi ingest --list\n"
              "  kaappi ingest --customer NUMBER --kind consent-form");
  cmd->callback([&g, a] {
    Session s(g.archive_path(), a->list ? Access::read : Access::write, g.unlock_options());
    std::string inbox = g.inbox_path(a->inbox, s.archive());
    if (a->list) return run_list(g, s, inbox);
    IngestOptions options;
    options.inbox = inbox;
    options.customer = a->customer;
    options.kind = a->kind;
    options.limits = ProbeLimits::from_environment();
    IngestReport report;
    int stop_signal = 0;
    {  // Ctrl-C or SIGTERM: the batch being committed is finished, no other envelope started
      frontend::StopOnSignal stop;
      options.stop = stop.request();
      report = ingest_inbox(s, options);
      stop_signal = stop.signal();
    }
    const std::vector<IngestOutcome>& outcomes = report.outcomes;
    std::vector<ItemResult> results;
    std::size_t taken = 0, left = 0, failed = 0, not_tried = 0;
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& o : outcomes) {
      results.push_back(item_result(o));
      taken += o.status == IngestOutcome::Status::stored || o.status == IngestOutcome::Status::duplicate;
      left += o.status == IngestOutcome::Status::interrupted;
      failed += o.status == IngestOutcome::Status::failed;
      not_tried += o.status == IngestOutcome::Status::left;
      if (g.json) {
        nlohmann::json row = {{"envelope", o.envelope}, {"status", status_word(o.status)},
                              {"document", o.document_id ? nlohmann::json(o.document_id) : nlohmann::json(nullptr)},
                              {"original_name", o.original_name}, {"station", o.station}, {"pages", o.pages},
                              {"message", o.message},
                              {"moved_to", o.moved_to.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.moved_to)}};
        add_filing_json(row, o.filed);
        arr.push_back(std::move(row));
        continue;
      }
      const std::string name = printable(o.original_name.empty() ? o.envelope : o.original_name);
      const std::string from = o.station.empty() ? "" : " from " + o.station;
      switch (o.status) {
        case IngestOutcome::Status::failed:  // the reason once, below
          std::cout << "not stored\t" << name << from << ": its batch failed and was taken back; it stays in the inbox\n";
          continue;
        case IngestOutcome::Status::left:
          std::cout << "left\t" << name << from << ": not tried; it stays in the inbox\n";
          continue;
        case IngestOutcome::Status::waiting:
          std::cout << "waiting\t" << name << ": " << printable(o.message) << "\n";
          continue;
        default:
          break;
      }
      std::ostream& out = o.status == IngestOutcome::Status::rejected ? std::cerr : std::cout;
      out << (o.status == IngestOutcome::Status::rejected ? "kaappi: rejected " : std::string(status_word(o.status)) + "\t")
          << name << from;
      if (o.status == IngestOutcome::Status::stored && o.filed.customer.empty()) {
        out << " as document " << o.document_id << ", unassigned: " << why_unassigned(o.filed) << " (kaappi assign "
            << o.document_id << " --customer N)";
      } else if (o.status == IngestOutcome::Status::stored) {
        out << " as document " << o.document_id << " for customer " << printable(o.filed.customer)
            << filed_by_words(o.filed);
      } else {
        out << ": " << printable(o.message);
      }
      out << "\n";
      if (o.status == IngestOutcome::Status::stored && !o.message.empty())
        std::cerr << "kaappi: " << name << ": " << printable(o.message) << "\n";
      for (const std::string& note : o.filed.notes) std::cerr << "kaappi: " << name << ": " << printable(note) << "\n";
    }
    if (g.json)
      print_json({{"inbox", inbox},
                  {"results", arr},
                  {"error", report.failure ? nlohmann::json(report.failure->message().text()) : nlohmann::json(nullptr)}});
    else if (outcomes.empty()) std::cout << "The inbox " << inbox << " is empty.\n";
    if (report.failure)
      std::cerr << "kaappi: ingest stopped: " << printable(report.failure->message().text()) << "; the batch it was taking in ("
                << failed << (failed == 1 ? " envelope" : " envelopes")
                << ") was taken back, so the archive is as it was before it, and it and " << not_tried
                << " not tried stay in the inbox; " << taken << (taken == 1 ? " envelope was" : " envelopes were")
                << " taken in before it; run kaappi ingest again once that is fixed\n";
    if (left > 0)
      std::cerr << "kaappi: interrupted: " << taken << (taken == 1 ? " envelope" : " envelopes") << " taken in, " << left
                << " left in the inbox; run kaappi ingest again to take in the rest\n";
    g.exit_code = exit_code_for_items(results, stop_signal, report.failure ? report.failure->kind() : ErrorKind::io);
  });
}

}  // namespace kaappi::cli
