// document_history.cpp — see document_history.h.
#include "store/document_history.h"

#include <algorithm>
#include <map>

namespace kaappi {
namespace {

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

}  // namespace

const DocumentRow* find_document(const std::vector<DocumentRow>& documents, std::int64_t id) {
  auto it = std::lower_bound(documents.begin(), documents.end(), id,
                             [](const DocumentRow& d, std::int64_t wanted) { return d.id < wanted; });
  return it != documents.end() && it->id == id ? &*it : nullptr;
}

std::int64_t twin_for(const std::vector<std::int64_t>& ids) { return *std::min_element(ids.begin(), ids.end()); }

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
  std::vector<std::int64_t> customer(documents.size());  // each document's customer so far
  std::map<const DocumentRow*, std::vector<std::int64_t>, EnvelopeLess> envelopes;  // the ids taken in from each
  auto enter = [&](size_t i, std::int64_t customer, const Bytes& tag, bool assigned) {
    if (tag.empty()) return;  // erased: it holds nothing
    const Held h{customer, &tag};
    std::vector<size_t>& members = holders[h];
    if (!members.empty()) {
      std::vector<std::int64_t> ids;
      for (size_t m : members) ids.push_back(documents[m].id);
      m_twice.push_back({Twice::Same::content, twin_for(ids), documents[i].id,
                         static_cast<std::int64_t>(ids.size()), customer, assigned});
    }
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
      customer[s.document] = d.customer_id;
      enter(s.document, d.customer_id, d.content_tag, false);
      std::vector<std::int64_t>& taken = envelopes[&d];
      if (!taken.empty())
        m_twice.push_back({Twice::Same::envelope, twin_for(taken), d.id, static_cast<std::int64_t>(taken.size()),
                           d.customer_id, false});
      taken.push_back(d.id);
      continue;
    }
    // An assignment before its document is the signatures' to report.
    if (!added[s.document]) continue;
    if (s.assignment->customer_id == customer[s.document])
      m_unchanged.push_back({s.assignment->id, d.id, s.assignment->customer_id});
    customer[s.document] = s.assignment->customer_id;
    leave(s.document);
    enter(s.document, s.assignment->customer_id, s.assignment->content_tag, true);
  }
}

std::optional<std::int64_t> DocumentHistory::customer_before(std::int64_t id, std::int64_t seq) const {
  const DocumentRow* d = document(id);
  if (!d || d->seq >= seq) return std::nullopt;
  // As every reader has it (DocumentRow::owner): its latest assignment's customer, else its own.
  std::int64_t customer = d->customer_id;
  auto it = std::lower_bound(m_assignments.begin(), m_assignments.end(), id,
                             [](const Change& c, std::int64_t document) { return c.document < document; });
  for (; it != m_assignments.end() && it->document == id && it->seq < seq; ++it) customer = it->customer;
  return customer;
}

}  // namespace kaappi
