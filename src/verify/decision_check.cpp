// decision_check.cpp — see decision_check.h.
#include "verify/decision_check.h"

#include <algorithm>
#include <string>
#include <utility>

#include "base/word_list.h"
#include "store/blob_file.h"
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

// A duplicate tag held for a customer, ordered by customer, then the tag's bytes.
struct Held {
  std::int64_t customer = 0;
  const Bytes* tag = nullptr;  // null: nothing held
};
struct HeldLess {
  bool operator()(const Held& a, const Held& b) const {
    if (a.customer != b.customer) return a.customer < b.customer;
    return *a.tag < *b.tag;
  }
};

// An envelope, as ingest finds one taken in before: its blob uid and blob hash.
struct EnvelopeLess {
  bool operator()(const DocumentRow* a, const DocumentRow* b) const {
    if (a->blob_uid != b->blob_uid) return a->blob_uid < b->blob_uid;
    return a->blob_hash < b->blob_hash;
  }
};

// "8", "8 and 11", "8, 11 and 14".
std::string and_list(const std::vector<std::int64_t>& ids) {
  std::vector<std::string> words;
  for (std::int64_t id : ids) words.push_back(std::to_string(id));
  const std::string last = words.back();
  words.pop_back();
  return words.empty() ? last : comma_list(words) + " and " + last;
}

}  // namespace

DocumentHistory::DocumentHistory(const std::vector<DocumentRow>& documents,
                                 const std::vector<AssignmentRow>& assignments)
    : m_documents(documents) {
  // Each row that adds or assigns a document, in sequence order.
  struct Step {
    std::int64_t seq = 0;
    size_t document = 0;  // its position in `documents`
    const AssignmentRow* assignment = nullptr;
  };
  std::vector<Step> steps;
  steps.reserve(documents.size() + assignments.size());
  for (size_t i = 0; i < documents.size(); ++i) steps.push_back({documents[i].seq, i, nullptr});
  for (const AssignmentRow& a : assignments) {
    const DocumentRow* d = document(a.document_id);
    if (!d) continue;
    steps.push_back({a.seq, static_cast<size_t>(d - documents.data()), &a});
    m_assignments.push_back({a.document_id, a.seq, a.customer_id});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.seq < b.seq; });
  std::sort(m_assignments.begin(), m_assignments.end(), [](const Change& a, const Change& b) {
    return a.document != b.document ? a.document < b.document : a.seq < b.seq;
  });

  // Who holds each duplicate tag now (positions in `documents`, so in id
  // order), what each document holds, and the first document of each envelope.
  std::map<Held, std::vector<size_t>, HeldLess> holders;
  std::vector<Held> held(documents.size());
  std::vector<bool> added(documents.size());
  std::map<const DocumentRow*, size_t, EnvelopeLess> envelopes;
  auto enter = [&](size_t i, std::int64_t customer, const Bytes& tag, bool assigned) {
    if (tag.empty()) return;  // erased: it holds nothing
    const Held h{customer, &tag};
    std::vector<size_t>& members = holders[h];
    if (!members.empty())
      m_twice.push_back({Twice::Same::content, documents[members.front()].id, documents[i].id, customer, assigned});
    members.insert(std::upper_bound(members.begin(), members.end(), i), i);
    held[i] = h;
  };
  auto leave = [&](size_t i) {
    if (!held[i].tag) return;
    auto it = holders.find(held[i]);
    it->second.erase(std::find(it->second.begin(), it->second.end(), i));
    if (it->second.empty()) holders.erase(it);
    held[i] = {};
  };
  for (const Step& s : steps) {
    const DocumentRow& d = documents[s.document];
    if (!s.assignment) {
      added[s.document] = true;
      enter(s.document, d.customer_id, d.content_tag, false);
      auto [it, first] = envelopes.emplace(&d, s.document);
      if (!first) {
        m_twice.push_back({Twice::Same::envelope, documents[it->second].id, d.id, d.customer_id, false});
        it->second = std::min(it->second, s.document);
      }
      continue;
    }
    // An assignment before its document, or of a document taken in with a
    // customer, is the signatures' and the link check's to report.
    if (!added[s.document] || d.customer_id != 0) continue;
    leave(s.document);
    enter(s.document, s.assignment->customer_id, s.assignment->content_tag, true);
  }
}

const DocumentRow* DocumentHistory::document(std::int64_t id) const { return find_document(m_documents, id); }

std::optional<std::int64_t> DocumentHistory::customer_before(std::int64_t id, std::int64_t seq) const {
  const DocumentRow* d = document(id);
  if (!d || d->seq >= seq) return std::nullopt;
  // As every reader has it (DocumentRow::owner): its own customer, else its assignment's.
  std::int64_t customer = d->customer_id;
  if (customer != 0) return customer;
  auto it = std::lower_bound(m_assignments.begin(), m_assignments.end(), id,
                             [](const Change& c, std::int64_t document) { return c.document < document; });
  for (; it != m_assignments.end() && it->document == id && it->seq < seq; ++it) customer = it->customer;
  return customer;
}

std::optional<Problem> twice_problem(const DocumentHistory::Twice& t, bool first_in_place) {
  using Same = DocumentHistory::Twice::Same;
  // Import and ingest store again what a document holds whose blob file is
  // not in place (and say so); assign refuses every twin.
  if (!t.assigned && !first_in_place) return std::nullopt;
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
                 detail + " (a second time only while the first one's encrypted file is missing or damaged, and " +
                     first + "'s is in place), " + k_decided + ", unless " + first + "'s file was put back since"};
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

void check_decisions(VerifyContext& c) {
  const DocumentHistory history(c.documents, c.index.assignments());
  for (const DocumentHistory::Twice& t : history.twice()) {
    // Found through the archive's own blobs folder only (check_blobs said when it is not).
    const DocumentRow* first = history.document(t.first);
    const bool in_place = !c.blobs_folder_replaced && first &&
                          open_blob(c.archive, first->uid, first->blob_size).state == BlobFile::State::ok;
    if (std::optional<Problem> p = twice_problem(t, in_place)) c.report.problems.push_back(std::move(*p));
  }
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
