// sealed_fields_check.cpp — see sealed_fields_check.h.
#include "verify/sealed_fields_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "consent/consents.h"
#include "documents/documents.h"
#include "register/customers.h"
#include "rights/personal_reads.h"
#include "store/sealed_reason.h"
#include "verify/decision_check.h"
#include "verify/table_stream.h"

namespace kaappi {
namespace {

class FieldsCheck {
 public:
  FieldsCheck(VerifyContext& c, const ErasureCheck& erasures) : m_c(c), m_erasures(erasures) {}

  // Whether a row read as stored has an erased (NULL) value: the row's hash
  // already checked that an erasure names it; such a row is not opened.
  static bool has_erased(std::span<const SqlValue> values) {
    return std::any_of(values.begin(), values.end(), [](const SqlValue& v) { return v.type == SqlValue::Type::null; });
  }

  // Every sealed value opens under the key its column names (index_keys.h).
  // A customer whose key does not open is one problem, and their rows are
  // not opened one by one.
  void check_fields() {
    std::set<std::int64_t> bad_keys;
    if (std::int64_t erased = m_erasures.erased_customers(m_c.index); erased > 0)
      m_c.note(std::to_string(erased) +
               " customer(s) erased: their key is gone, so their values are not opened (verified by their hashes "
               "only)");
    m_c.session->hold_customer_keys([&](std::int64_t customer_id, const Error& e) {
      bad_keys.insert(customer_id);
      m_c.add({}, "customer record altered", "customer " + std::to_string(customer_id) + ": " + e.what());
    });
    const IndexKeys& keys = m_c.session->keys();
    auto held = [&](std::int64_t customer_id) { return keys.customer_keys().holds(customer_id); };
    std::map<std::int64_t, Bytes> tags;
    for (const auto& row : m_c.index.customers()) tags[row.id] = row.number_tag;
    std::map<std::int64_t, const DocumentRow*> documents;
    for (const auto& d : m_c.documents) documents[d.id] = &d;
    // Which customer held each document when an event cited it (a document
    // moved since is still the proof of its former customer's events).
    const std::vector<AssignmentRow> assignments = m_c.index.assignments();
    const DocumentHistory history(m_c.documents, assignments);
    stream_table<CustomerVersionRow>(m_c, [&](std::span<const SqlValue> values, const CustomerVersionRow& v, TablePart& out) {
      if (!held(v.customer_id) || has_erased(values)) return;
      try {
        CustomerVersion cv = open_customer_version(keys.customer(v.customer_id), v);
        auto tag = tags.find(v.customer_id);
        if (tag != tags.end() && keys.number_tag(cv.record.get("number")) != tag->second)
          out.problems.push_back({{}, "customer record altered", "customer " + std::to_string(v.customer_id) +
                                                                     ": the number does not match its lookup key"});
      } catch (const Error& e) {
        out.problems.push_back({{}, "customer record altered", "customer " + std::to_string(v.customer_id) + " version " +
                                                                   std::to_string(v.version) + ": " + e.what()});
      }
    });
    // Each event's correction, if any, is kept (three numbers) for the
    // corrections' check once every event is read.
    struct EventsPart {
      std::vector<Problem> problems;
      std::vector<Correction> corrections;
    };
    std::vector<Correction> corrections;
    auto check_event = [&](std::span<const SqlValue> values, const ConsentEventRow& e, EventsPart& out) {
      if (!held(e.customer_id) || has_erased(values)) return;
      try {
        const ConsentEvent event = open_consent_event(keys.customer(e.customer_id), e);
        if (event.corrects) out.corrections.push_back({e.id, e.customer_id, *event.corrects});
        if (event.document) {
          const std::optional<std::int64_t> had = history.customer_before(*event.document, e.seq);
          if (!had || *had != e.customer_id)
            out.problems.push_back({event.document, "consent event altered",
                                    "consent event " + std::to_string(e.id) + " names document " +
                                        std::to_string(*event.document) + " as its proof, which is not its customer's"});
        }
      } catch (const Error& err) {
        out.problems.push_back({{}, "consent event altered", "consent event " + std::to_string(e.id) + ": " + err.what()});
      }
    };
    stream_table<ConsentEventRow, EventsPart>(m_c, check_event, [&](EventsPart& part) {
      for (auto& problem : part.problems) m_c.report.problems.push_back(std::move(problem));
      corrections.insert(corrections.end(), part.corrections.begin(), part.corrections.end());
    });
    check_corrections(m_c, std::move(corrections));
    for (const auto& st : m_c.index.stations()) {
      try {
        keys.field().open("stations", "name", st.uid, st.name);
      } catch (const Error& err) {
        m_c.add({}, "station record altered", "station " + std::to_string(st.id) + ": " + err.what());
      }
    }
    // A read without a customer is sealed under its document's metadata key.
    stream_table<AccessRow>(m_c, [&](std::span<const SqlValue> values, const AccessRow& r, TablePart& out) {
      if ((r.customer_id != 0 && !held(r.customer_id)) || has_erased(values)) return;
      try {
        if (r.customer_id != 0) {
          open_access_entry(keys.customer(r.customer_id), r);
        } else if (auto d = documents.find(r.document_id); d != documents.end() && !d->second->erased()) {
          open_access_entry(keys.document(m_c.session->document_key(*d->second)), r);
        }
      } catch (const Error& err) {
        out.problems.push_back({r.document_id, "access log altered", "access log entry " + std::to_string(r.id) + ": " + err.what()});
      }
    });
    // The reasons of moves and kind changes, under their document's metadata key.
    auto document_sealer = [&](std::int64_t id) -> std::optional<ValueSealer> {
      auto d = documents.find(id);
      if (d == documents.end() || d->second->erased()) return std::nullopt;
      return keys.document(m_c.session->document_key(*d->second));
    };
    for (const AssignmentRow& a : assignments) {
      if (a.reason.empty()) continue;  // none given, or erased
      try {
        if (auto sealer = document_sealer(a.document_id))
          open_reason(*sealer, "document_assignments", a.uid, a.reason, "document assignment " + std::to_string(a.id));
      } catch (const Error& err) {
        m_c.add(a.document_id, "assignment altered", "document assignment " + std::to_string(a.id) + ": " + err.what());
      }
    }
    for (const DocumentKindRow& k : m_c.index.kind_changes()) {
      if (k.reason.empty()) continue;  // erased
      try {
        if (auto sealer = document_sealer(k.document_id))
          open_reason(*sealer, "document_kinds", k.uid, k.reason, "document kind change " + std::to_string(k.id));
      } catch (const Error& err) {
        m_c.add(k.document_id, "kind change altered", "document kind change " + std::to_string(k.id) + ": " + err.what());
      }
    }
    // A read of personal data: its customers under the field key, its reason
    // under its one customer's key (unless erased) or the field key.
    for (const ReadRow& r : m_c.index.reads()) {
      try {
        const std::vector<std::int64_t> named = read_customers(*m_c.session, r);
        if (r.reason.empty()) continue;
        if (named.size() == 1 && !held(named.front())) continue;  // their key is gone: checked by its hash
        const std::string row = "read log entry " + std::to_string(r.id);
        if (named.size() == 1)
          open_reason(keys.customer(named.front()), "reads", r.uid, r.reason, row);
        else
          open_reason(keys.field(), "reads", r.uid, r.reason, row);
      } catch (const Error& err) {
        m_c.add({}, "read log altered", "read log entry " + std::to_string(r.id) + ": " + err.what());
      }
    }
  }

  VerifyContext& m_c;
  const ErasureCheck& m_erasures;
};

}  // namespace

void check_sealed_fields(VerifyContext& c, const ErasureCheck& erasures) { FieldsCheck(c, erasures).check_fields(); }

}  // namespace kaappi
