// personal_reads.cpp — see personal_reads.h.
#include "rights/personal_reads.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "documents/documents.h"
#include "format/blob_format.h"
#include "register/customers.h"
#include "store/sealed_reason.h"

namespace kaappi {
namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

// The sealer of a reads row's reason: the one customer's key, else the field key.
ValueSealer reason_sealer(Session& session, const std::vector<std::int64_t>& customers) {
  if (customers.size() == 1) return session.customer_values(customers.front());
  return ValueSealer(session.keys().field().key(), session.keys().archive_id());
}

}  // namespace

std::string default_read_reason(const std::string& action) {
  static const std::map<std::string, std::string> defaults = {
      {"customer show", "customer record looked up"},
      {"customer history", "customer record's history looked up"},
      {"customer list", "customer list"},
      {"customer export", "register export"},
      {"consent show", "consents looked up"},
      {"consent history", "consent history looked up"},
      {"consent list", "marketing list"},
      {"consent proof", "proof of consent"},
      {"documents", "document list with names"},
      {"inspect", "inspection request"},
      {"request list", "requests' deadlines checked"},
      {"hold list", "holds checked"},
      {"document history", "document's history looked up"},
      {"form print", "consent forms printed"},
      {"review", "scanned forms reviewed"},
  };
  auto it = defaults.find(action);
  if (it == defaults.end()) fail(ErrorKind::internal, "no default reason for the read '" + action + "'");
  return it->second;
}

std::string default_inspect_reason(std::int64_t request) { return "inspection request " + std::to_string(request); }

std::optional<ReadRow> record_read(Session& session, const std::string& action, std::vector<std::int64_t> customers,
                                   const std::string& reason) {
  std::sort(customers.begin(), customers.end());
  customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
  if (customers.empty()) return std::nullopt;
  ReadRow row;
  row.uid = random_bytes(k_uid_size);
  row.at = session.now();
  row.action = action;
  row.customers = session.keys().field().seal("reads", "customers", row.uid, nlohmann::json(customers).dump());
  const std::string why = blank(reason) ? default_read_reason(action) : reason;
  row.reason = seal_reason(reason_sealer(session, customers), "reads", row.uid, SealedReason{session.actor().name, why, ""});
  session.write([&](Index::Writer& w) { w.insert_read(row); });
  return row;
}

std::vector<std::int64_t> read_customers(const Session& session, const ReadRow& row) {
  const std::string what = "read log entry " + std::to_string(row.id);
  nlohmann::json j = nlohmann::json::parse(session.keys().field().open("reads", "customers", row.uid, row.customers),
                                           nullptr, false);
  if (!j.is_array()) fail(ErrorKind::corrupt, what + ": its customers are not what kaappi seals; run kaappi verify");
  std::vector<std::int64_t> out;
  for (const auto& id : j) {
    if (!id.is_number_integer() || id.get<std::int64_t>() <= 0)
      fail(ErrorKind::corrupt, what + ": its customers are not what kaappi seals; run kaappi verify");
    out.push_back(id.get<std::int64_t>());
  }
  return out;
}

std::vector<PersonalRead> personal_reads(Session& session, std::optional<std::int64_t> customer) {
  std::vector<PersonalRead> out;
  for (const ReadRow& row : session.index().reads()) {
    PersonalRead e;
    e.id = row.id;
    e.seq = row.seq;
    e.at = row.at;
    e.action = row.action;
    e.customers = read_customers(session, row);
    if (customer && !std::binary_search(e.customers.begin(), e.customers.end(), *customer)) continue;
    if (row.reason.empty()) {  // erased with the one customer it names: when, what and whom stay
      e.erased = true;
      out.push_back(std::move(e));
      continue;
    }
    std::optional<ValueSealer> sealer;
    try {
      sealer.emplace(reason_sealer(session, e.customers));
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::not_found) throw;
      e.erased = true;  // its one customer's key is gone
      out.push_back(std::move(e));
      continue;
    }
    const SealedReason why =
        open_reason(*sealer, "reads", row.uid, row.reason, "read log entry " + std::to_string(row.id));
    e.by = why.by;
    e.reason = why.reason;
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<AccessLogEntry> access_log_entries(Session& session, std::optional<std::int64_t> document,
                                               std::optional<std::int64_t> customer) {
  std::vector<AccessLogEntry> out;
  std::set<std::int64_t> theirs;  // the customer's documents now
  if (customer)
    for (const DocumentRow& d : session.index().documents(*customer)) theirs.insert(d.id);
  for (AccessEntry& a : access_log(session, document)) {
    // Theirs: a read while the document was theirs, or while it had no
    // customer (it is theirs now); never one while another customer's.
    if (customer && a.customer != *customer && !(a.customer == 0 && theirs.count(a.document))) continue;
    std::vector<std::int64_t> customers;
    if (a.customer != 0) customers.push_back(a.customer);
    out.push_back({a.seq, a.document, std::move(customers), a.at, std::move(a.action), std::move(a.by),
                   std::move(a.reason), a.erased});
  }
  if (!document) {
    for (PersonalRead& r : personal_reads(session, customer)) {
      out.push_back({r.seq, std::nullopt, std::move(r.customers), r.at, std::move(r.action), std::move(r.by),
                     std::move(r.reason), r.erased});
    }
    std::sort(out.begin(), out.end(), [](const AccessLogEntry& a, const AccessLogEntry& b) { return a.seq < b.seq; });
  }
  return out;
}

std::map<std::int64_t, std::optional<std::string>> customer_numbers(Session& session,
                                                                    const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::optional<std::string>> out;
  for (auto id : ids) out[id] = std::nullopt;
  if (out.size() < 2000) {
    for (auto& [id, number] : out) {
      const auto key = session.index().customer_key(id);
      if (!key || key->wrapped.empty()) continue;  // erased
      try {
        if (auto c = customer_by_id(session, id)) number = c->number();
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;  // erased
      }
    }
    return out;
  }
  std::vector<std::int64_t> wanted;
  for (const auto& [id, number] : out) wanted.push_back(id);
  for (const Customer& c : customers_by_ids(session, wanted)) out[c.id] = c.number();
  return out;
}

}  // namespace kaappi
