// consent_proof.cpp — see consent_proof.h.
#include "export/consent_proof.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <set>

#include "base/dates.h"
#include "documents/documents.h"
#include "base/error.h"
#include "base/file_io.h"
#include "export/consent_json.h"
#include "export/customer_json.h"
#include "export/document_json.h"
#include "export/output_folder.h"
#include "rights/personal_reads.h"

namespace kaappi {
void check_proof_request(const ProofOptions& options) {
  find_purpose(options.purpose);
  if (options.reason.find_first_not_of(" \t") == std::string::npos)
    fail(ErrorKind::usage,
         "say why you produce this proof: " + Field{"reason"} + " TEXT (it is recorded in the access log)");
  check_output_folder(options.directory, "name the folder for the proof: " + Field{"output"} + " DIR");
}

ProofResult write_consent_proof(Session& session, const Customer& customer, const ProofOptions& options) {
  check_proof_request(options);
  const Purpose& purpose = find_purpose(options.purpose);
  OutputFolder out(options.directory);

  auto events = consent_events(session, customer);
  auto states = customer_consent_states(session, customer, events, options.as_of);
  std::set<std::string> relevant = {purpose.id};
  for (const Purpose* ban : bans_excluding(purpose)) relevant.insert(ban->id);

  nlohmann::json event_list = nlohmann::json::array();
  std::vector<std::int64_t> documents;
  for (const auto& e : events) {
    if (!relevant.count(e.purpose)) continue;
    event_list.push_back(consent_event_json(e));
    if (e.document && std::find(documents.begin(), documents.end(), *e.document) == documents.end())
      documents.push_back(*e.document);
  }

  // Every cited document checked first: a refusal records no read.
  ProofResult result;
  std::map<std::int64_t, nlohmann::json> left_out_json;
  for (auto id : documents) {
    const auto row = session.index().document(id);
    if (!row) fail(ErrorKind::corrupt, "document " + std::to_string(id) + ", named as proof by this customer's "
                                       "consent events, is not in the index: it was altered; nothing was written; "
                                       "run kaappi verify");
    const auto moved_at = document_moved_away_at(session, *row, customer.id);
    if (!moved_at && !document_proves_for(*row, customer.id))
      fail(ErrorKind::corrupt, "document " + std::to_string(id) +
                                   ", named as proof by this customer's consent events, is not theirs: the index was "
                                   "altered; nothing was written; run kaappi verify");
    std::optional<ProofResult::LeftOut> left_out;
    if (moved_at) left_out = ProofResult::LeftOut{id, "moved", date_of(*moved_at)};
    else if (auto erased_at = document_erased_at(session, *row)) left_out = ProofResult::LeftOut{id, "erased", date_of(*erased_at)};
    if (!left_out) continue;
    left_out_json[id] = {{"id", id}, {left_out->why, left_out->on}, {"file", nullptr}};  // it proves nothing for them now
    result.left_out.push_back(*left_out);
  }

  // The customer's read is logged before anything of theirs is written (the documents' reads each by get).
  record_read(session, "consent proof", {customer.id}, options.reason);
  nlohmann::json doc_list = nlohmann::json::array();
  for (auto id : documents) {
    if (left_out_json.count(id)) {
      doc_list.push_back(left_out_json[id]);
      continue;
    }
    std::string file = "document-" + std::to_string(id) + ".pdf";
    std::string path = out.path(file);
    GetOptions get;
    get.output = path;
    get.reason = options.reason;
    get.quiet = true;
    get.action = "proof";
    out.add(file);
    get_document(session, id, get);
    nlohmann::json doc = document_json(open_document_info(session, *session.index().document(id)));
    doc["file"] = file;
    doc["sha256"] = sha256_of_file(path);
    doc_list.push_back(doc);
  }

  nlohmann::json summary = {{"kaappi_consent_proof", 2},
                            {"generated", format_time(session.now())},
                            {"generated_by", session.actor().name},
                            {"reason", options.reason},
                            {"archive_id", to_hex(session.archive().archive_id())},
                            {"customer", customer_identity_json(customer)},
                            {"as_of", options.as_of}};
  nlohmann::json bans = nlohmann::json::array();
  for (const auto& s : states) {
    if (s.purpose == &purpose) {
      result.state = s.event ? s.event->state : "none";
      for (const Purpose* ban : s.excluded_by) result.excluded_by.emplace_back(ban->id);
      summary["consent"] = consent_state_json(s);
    } else if (relevant.count(s.purpose->id)) {
      bans.push_back(consent_state_json(s));
    }
  }
  summary["bans"] = bans;
  summary["events"] = event_list;
  summary["documents"] = doc_list;
  result.summary_path = options.directory + "/proof.json";
  out.add("proof.json");
  std::string text = summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  write_file_atomic(out.dir(), "proof.json", as_bytes(text), 0600, Overwrite::no, "proof");
  for (auto id : documents)
    if (std::none_of(result.left_out.begin(), result.left_out.end(), [&](const auto& l) { return l.id == id; }))
      result.documents.push_back(id);
  out.done();
  return result;
}

}  // namespace kaappi
