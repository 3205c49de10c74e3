// decision_check.cpp — see decision_check.h.
#include "verify/decision_check.h"

#include <algorithm>
#include <string>
#include <utility>

#include "base/word_list.h"
#include "verify/table_stream.h"

namespace kaappi {
namespace {

// How every problem here ends: what such a row can only come from.
constexpr const char* k_decided = "so the index was altered while a command decided (and then put back)";

std::string doc(std::int64_t id) { return "document " + std::to_string(id); }

// "customer 2" or "no customer".
std::string customer_text(std::int64_t customer) {
  return customer ? "customer " + std::to_string(customer) : std::string("no customer");
}

}  // namespace

std::optional<Problem> twice_problem(const DocumentHistory::Twice& t, std::int64_t twin_of) {
  using Same = DocumentHistory::Twice::Same;
  // Import and ingest store again what a document holds whose blob file is
  // not in place, naming it as the new one's twin; assign refuses every twin.
  if (!t.assigned && twin_of == t.first) return std::nullopt;
  const std::string first = doc(t.first);
  if (t.assigned)
    return Problem{t.second, "document stored twice",
                   doc(t.second) + " was assigned to customer " + std::to_string(t.customer) + " while " + first +
                       " held the same content for that customer; kaappi assign refuses that, " + k_decided};
  const std::string pair = "documents " + std::to_string(t.first) + " and " + std::to_string(t.second);
  std::string detail;
  if (t.same == Same::envelope)
    detail = pair + " were both taken in from the same station envelope (its uid and encrypted file); ingest takes "
                    "an envelope in only once";
  else if (t.customer != 0)
    detail = pair + " both hold the same content for customer " + std::to_string(t.customer) +
             "; kaappi stores a customer's document only once";
  else
    detail = pair + " both hold the same content without a customer; kaappi stores an unassigned document only once";
  return Problem{t.second, "document stored twice",
                 detail + " (a second time only while the first one's encrypted file is not in place, and then it "
                          "names the first as its twin; " + doc(t.second) + " does not name " + first + "), " +
                     k_decided};
}

Problem unchanged_problem(const DocumentHistory::Unchanged& u) {
  return Problem{u.document, "assignment altered",
                 "document assignment " + std::to_string(u.assignment) + " gives " + doc(u.document) + " to " +
                     customer_text(u.customer) + ", which it already belonged to; kaappi assign refuses that, " +
                     k_decided};
}

std::optional<Problem> access_problem(const DocumentHistory& history, const AccessRow& row) {
  const std::optional<std::int64_t> had = history.customer_before(row.document_id, row.seq);
  if (!had || *had == row.customer_id) return std::nullopt;
  const std::string then = *had ? " belonged to customer " + std::to_string(*had) : " had no customer";
  return Problem{row.document_id, "access logged under the wrong customer",
                 "access log entry " + std::to_string(row.id) + ": " + doc(row.document_id) + then +
                     " when it was read, the entry names " + customer_text(row.customer_id) +
                     "; kaappi logs a read under the customer the document has then, " + k_decided};
}

std::vector<Problem> correction_problems(std::vector<Correction> corrections,
                                         const std::map<std::int64_t, std::int64_t>& customers) {
  std::vector<Problem> out;
  auto altered = [&](const Correction& c, const std::string& what) {
    out.push_back({std::nullopt, "consent event altered",
                   "consent event " + std::to_string(c.event) + " corrects event " + std::to_string(c.corrects) +
                       ", " + what});
  };
  for (const Correction& c : corrections) {
    auto target = customers.find(c.corrects);
    if (c.corrects >= c.event)
      altered(c, "which is not an earlier one; kaappi corrects only an event already recorded");
    else if (target == customers.end())
      altered(c, "which does not exist");
    else if (target->second != c.customer)
      altered(c, "which is " + customer_text(target->second) + "'s, not its own " + customer_text(c.customer) +
                     "'s; kaappi corrects only an event of the same customer");
  }
  std::sort(corrections.begin(), corrections.end(), [](const Correction& a, const Correction& b) {
    return a.corrects != b.corrects ? a.corrects < b.corrects : a.event < b.event;
  });
  for (size_t i = 0; i < corrections.size();) {
    size_t end = i + 1;
    while (end < corrections.size() && corrections[end].corrects == corrections[i].corrects) ++end;
    if (end - i > 1) {
      std::vector<std::int64_t> by;
      for (size_t k = i; k < end; ++k) by.push_back(corrections[k].event);
      out.push_back({std::nullopt, "consent event corrected twice",
                     "consent event " + std::to_string(corrections[i].corrects) + " is corrected (or retracted) by "
                         "events " + and_list(by) + "; kaappi corrects an event only once, " + k_decided});
    }
    i = end;
  }
  return out;
}

std::vector<std::string> copies_notes(std::vector<DocumentHistory::Twice> stored_again) {
  using Twice = DocumentHistory::Twice;
  std::stable_sort(stored_again.begin(), stored_again.end(), [](const Twice& a, const Twice& b) {
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  });
  auto documents = [](const std::vector<std::int64_t>& ids) {
    return (ids.size() == 1 ? "document " : "documents ") + and_list(ids);
  };
  std::vector<std::string> notes;
  for (size_t i = 0; i < stored_again.size();) {
    const std::int64_t first = stored_again[i].first;
    // A copy of the same content and the same envelope is one copy.
    std::vector<std::int64_t> copies, beside_copies;  // beside_copies: stored while another copy stood too
    std::optional<std::int64_t> customer;  // of a copy of the content (none: only the envelope is the same)
    for (; i < stored_again.size() && stored_again[i].first == first; ++i) {
      const Twice& t = stored_again[i];
      if (t.same == Twice::Same::content) customer = t.customer;
      if (copies.empty() || copies.back() != t.second) copies.push_back(t.second);
      if (t.holders > 1 && (beside_copies.empty() || beside_copies.back() != t.second))
        beside_copies.push_back(t.second);
    }
    const std::string held = !customer ? "taken in from the same station envelope"
                             : *customer != 0 ? "holding the same content for customer " + std::to_string(*customer)
                                              : "holding the same content without a customer";
    std::string note = documents(copies) + (copies.size() == 1 ? " is a copy" : " are copies") + " of " +
                       doc(first) + ", stored again because no document " + held +
                       " had its encrypted file in place then (kaappi said so as it stored " +
                       (copies.size() == 1 ? "it" : "each") + ")";
    if (!beside_copies.empty())
      note += "; " + documents(beside_copies) + (beside_copies.size() == 1 ? " was" : " were") +
              " stored while an earlier copy already stood, whose file was then missing too";
    note += ". Verify cannot tell whether a file was in place at the time: copies that keep multiplying while the "
            "files are in place again can mean that someone with write access to the archive folder moved files "
            "away while kaappi decided";
    notes.push_back(std::move(note));
  }
  return notes;
}

void check_decisions(VerifyContext& c) {
  const DocumentHistory history(c.documents, c.index.assignments());
  std::vector<DocumentHistory::Twice> stored_again;
  for (const DocumentHistory::Twice& t : history.twice()) {
    const DocumentRow* second = history.document(t.second);
    if (std::optional<Problem> p = twice_problem(t, second ? second->twin_of : 0))
      c.report.problems.push_back(std::move(*p));
    else
      stored_again.push_back(t);
  }
  for (std::string& note : copies_notes(std::move(stored_again))) c.note(std::move(note));
  for (const DocumentHistory::Unchanged& u : history.unchanged())
    c.report.problems.push_back(unchanged_problem(u));
  stream_table<AccessRow>(c, [&](std::span<const SqlValue>, const AccessRow& row, TablePart& out) {
    if (std::optional<Problem> p = access_problem(history, row)) out.problems.push_back(std::move(*p));
  });
}

void check_corrections(VerifyContext& c, std::vector<Correction> corrections) {
  // Only the events a correction names are read again, for their customer.
  std::vector<std::int64_t> targets;
  for (const Correction& k : corrections) targets.push_back(k.corrects);
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  std::map<std::int64_t, std::int64_t> customers;
  c.index.each_with_id<ConsentEventRow>(targets, [&](const ConsentEventRow& e) { customers[e.id] = e.customer_id; });
  for (Problem& p : correction_problems(std::move(corrections), customers)) c.report.problems.push_back(std::move(p));
}

}  // namespace kaappi
