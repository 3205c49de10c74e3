// customers.cpp — see customers.h.
#include "register/customers.h"

#include "store/erasure.h"
#include "base/dates.h"

#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/dates.h"
#include "base/error.h"
#include "base/wipe.h"
#include "store/erasure.h"
#include "register/customer_restriction.h"
#include "store/parallel_read.h"
#include "format/blob_format.h"
#include "base/text_fold.h"

namespace kaappi {
namespace {

constexpr std::string_view k_table = "customer_versions";
// Fields with a column of their own; the others travel in `details`.
const char* const k_column_fields[][2] = {{"number", "number"}, {"name", "name"},   {"business-id", "business_id"},
                                          {"email", "email"},   {"phone", "phone"}, {"address", "address"}};

bool has_column(const std::string& key) {
  for (const auto& f : k_column_fields)
    if (key == f[0]) return true;
  return false;
}

CustomerVersionRow seal_version(const ValueSealer& c, const CustomerVersion& v) {
  CustomerVersionRow row;
  row.uid = random_bytes(k_uid_size);
  row.version = v.version;
  row.recorded_at = v.recorded_at;
  Bytes* columns[] = {&row.number, &row.name, &row.business_id, &row.email, &row.phone, &row.address};
  for (size_t i = 0; i < std::size(k_column_fields); ++i)
    *columns[i] = c.seal(k_table, k_column_fields[i][1], row.uid, v.record.get(k_column_fields[i][0]));
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [key, value] : v.record.values)
    if (!has_column(key)) fields[key] = value;
  nlohmann::json feedback = nlohmann::json::array();
  for (const auto& e : v.record.feedback) feedback.push_back({{"date", e.date}, {"text", e.text}});
  nlohmann::json details = {{"fields", fields}, {"feedback", feedback}, {"by", v.recorded_by}, {"reason", v.reason}};
  row.details = c.seal(k_table, "details", row.uid, details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  row.search = c.seal(k_table, "search", row.uid, customer_search_text(v.record));
  return row;
}

CustomerVersion first_version(const Session& session, CustomerRecord record) {
  CustomerVersion v;
  v.version = 1;
  v.recorded_at = session.now();
  v.recorded_by = session.actor().name;
  v.record = checked_new_record(std::move(record));
  return v;
}

// A new customer's rows: theirs, their key's and their first version's.
void insert_customer(Session& session, Index::Writer& writer, CustomerRow& row, const CustomerVersion& first) {
  writer.insert_customer(row);
  CustomerKeyRow key = session.make_customer_key(row);
  writer.insert_customer_key(key);
  CustomerVersionRow version = seal_version(session.keys().customer(row.id), first);
  version.customer_id = row.id;
  writer.insert_customer_version(version);
}

// Appends a version to an existing customer.
Customer append_version(Session& session, Customer customer, CustomerVersion next) {
  next.version = customer.current.version + 1;
  next.recorded_at = session.now();
  next.recorded_by = session.actor().name;
  CustomerVersionRow row = seal_version(session.customer_values(customer.id), next);
  row.customer_id = customer.id;
  session.write([&](Index::Writer& writer) { writer.insert_customer_version(row); });
  customer.current = std::move(next);
  return customer;
}

}  // namespace

std::string customer_search_text(const CustomerRecord& r) {
  return fold_for_search(r.get("number")) + "\n" + fold_for_search(r.get("name")) + "\n" +
         fold_for_search(r.get("business-id")) + "\n" + fold_for_search(r.get("email"));
}

CustomerVersion open_customer_version(const ValueSealer& c, const CustomerVersionRow& row) {
  CustomerVersion v;
  v.version = row.version;
  v.recorded_at = row.recorded_at;
  const Bytes* columns[] = {&row.number, &row.name, &row.business_id, &row.email, &row.phone, &row.address};
  for (size_t i = 0; i < std::size(k_column_fields); ++i)
    v.record.set(k_column_fields[i][0], c.open(k_table, k_column_fields[i][1], row.uid, *columns[i]));
  std::string details = c.open(k_table, "details", row.uid, row.details);
  std::string search = c.open(k_table, "search", row.uid, row.search);
  wipe(search);
  try {
    auto j = nlohmann::json::parse(details);
    wipe(details);
    for (auto& [key, value] : j.at("fields").items()) {
      v.record.set(key, value.get<std::string>());
      wipe(value.get_ref<std::string&>());
    }
    for (auto& e : j.at("feedback")) {
      v.record.feedback.push_back({e.at("date").get<std::string>(), e.at("text").get<std::string>()});
      wipe(e.at("text").get_ref<std::string&>());
    }
    v.recorded_by = j.at("by").get<std::string>();
    v.reason = j.at("reason").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    wipe(details);
    fail(ErrorKind::corrupt, "customer record " + std::to_string(row.customer_id) + " version " +
                                 std::to_string(row.version) + " cannot be read; run kaappi verify");
  }
  return v;
}

Customer add_customer(Session& session, CustomerRecord record) {
  CustomerVersion v = first_version(session, std::move(record));
  if (!existing_numbers(session, {v.record}).empty())
    fail(ErrorKind::rejected, "a customer with that number already exists; nothing was changed");
  CustomerRow row;
  row.uid = random_bytes(k_uid_size);
  row.number_tag = session.keys().number_tag(v.record.get("number"));
  row.created_at = v.recorded_at;
  session.write([&](Index::Writer& writer) { insert_customer(session, writer, row, v); });
  return Customer{row.id, row.created_at, std::move(v)};
}

std::vector<std::size_t> existing_numbers(Session& session, const std::vector<CustomerRecord>& records) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (session.index().customer_by_tag(session.keys().number_tag(records[i].get("number")))) out.push_back(i);
  return out;
}

std::unordered_map<std::string, std::int64_t> customer_ids_by_number(Session& session,
                                                                     const std::vector<std::string>& numbers) {
  // Tags as strings: see add_customers.
  std::unordered_map<std::string, std::int64_t> id_of_tag;
  for (const auto& row : session.index().customers())
    id_of_tag.emplace(std::string(row.number_tag.begin(), row.number_tag.end()), row.id);
  std::unordered_map<std::string, std::int64_t> out;
  for (const auto& number : numbers) {
    Bytes tag = session.keys().number_tag(trim_text(number));
    auto it = id_of_tag.find(std::string(tag.begin(), tag.end()));
    if (it != id_of_tag.end()) out.emplace(number, it->second);
  }
  return out;
}

std::size_t add_customers(Session& session, const std::vector<CustomerRecord>& records) {
  // Tags as strings: g++ 12 -O3 warns falsely (-Wstringop-overread) on a set of byte vectors.
  std::set<std::string> seen;
  session.write([&](Index::Writer& writer) {
    for (const auto& record : records) {
      CustomerVersion v = first_version(session, record);
      CustomerRow row;
      row.uid = random_bytes(k_uid_size);
      row.number_tag = session.keys().number_tag(v.record.get("number"));
      row.created_at = v.recorded_at;
      if (!seen.insert(std::string(row.number_tag.begin(), row.number_tag.end())).second || session.index().customer_by_tag(row.number_tag))
        fail(ErrorKind::rejected, "a customer number appears twice or already exists; nothing was imported");
      insert_customer(session, writer, row, v);
    }
  });
  return records.size();
}

CustomerRecord checked_new_record(CustomerRecord record) {
  if (record.get("source").empty()) record.set("source", "customer");
  return check_customer_record(std::move(record));
}

void check_rectification(const std::map<std::string, std::string>& changes, const std::string& reason) {
  if (changes.empty()) fail(ErrorKind::usage, "give at least one field to change, e.g. " + Field{"email"} + " NEW");
  for (const auto& [key, value] : changes) {  // each value on its own; the record as a whole once it is read
    const FieldSpec* spec = find_customer_field(key);
    if (!spec) fail(ErrorKind::usage, "unknown customer field '" + key + "'");
    (void)check_customer_field(*spec, value);
  }
  if (trim_text(reason).empty())
    fail(ErrorKind::usage, "a rectification needs " + Field{"reason"} + " (why the record changes)");
  if (reason.size() > 4000) fail(ErrorKind::usage, Field{"reason"} + " is longer than 4000 bytes");
}

Customer edit_customer(Session& session, const std::string& number, const std::map<std::string, std::string>& changes,
                       const std::string& reason) {
  check_rectification(changes, reason);
  Customer customer = require_customer(session, number);
  CustomerVersion next;
  next.reason = trim_text(reason);
  next.record = customer.current.record;
  for (const auto& [key, value] : changes) {
    const FieldSpec* spec = find_customer_field(key);
    if (!spec) fail(ErrorKind::usage, "unknown customer field '" + key + "'");
    std::string checked = check_customer_field(*spec, value);
    if (key == "number" && checked != customer.number())
      fail(ErrorKind::usage, "the customer number cannot be changed (it is the record's key); add a new customer instead");
    next.record.set(key, checked);
  }
  next.record = check_customer_record(std::move(next.record));
  if (next.record == customer.current.record)
    fail(ErrorKind::rejected, "those are already the record's values; nothing was recorded");
  return append_version(session, std::move(customer), std::move(next));
}

Customer add_feedback(Session& session, const std::string& number, FeedbackEntry entry) {
  entry = check_feedback(std::move(entry));
  Customer customer = require_customer(session, number);
  if (auto since = customer_restricted_at(session, customer.id))
    fail(ErrorKind::rejected, "the customer is restricted since " + date_of(*since) +
                                  " (their erasure was asked and a retention hold keeps their record): only a "
                                  "rectification can change it; nothing was changed");
  CustomerVersion next;
  next.reason = "feedback added";
  next.record = customer.current.record;
  next.record.feedback.push_back(std::move(entry));
  return append_version(session, std::move(customer), std::move(next));
}

Customer load_customer(Session& session, const CustomerRow& row) {
  auto v = session.index().latest_customer_version(row.id);
  if (!v) fail(ErrorKind::corrupt, "customer record " + std::to_string(row.id) + " has no fields; run kaappi verify");
  return Customer{row.id, row.created_at, open_customer_version(session.customer_values(row.id), *v)};
}

std::optional<Customer> customer_by_id(Session& session, std::int64_t id) {
  auto row = session.index().customer(id);
  if (!row) return std::nullopt;
  return load_customer(session, *row);
}

std::optional<Customer> find_customer(Session& session, const std::string& number) {
  auto row = session.index().customer_by_tag(session.keys().number_tag(trim_text(number)));
  if (!row) return std::nullopt;
  return load_customer(session, *row);
}

Customer require_customer(Session& session, const std::string& number) {
  auto c = find_customer(session, number);
  if (c) return *c;
  if (auto at = customer_erased_at(session, number))
    fail(ErrorKind::not_found, "the customer with that number was erased on " + date_of(*at) +
                                   "; nothing of theirs can be read");
  fail(ErrorKind::not_found, "no customer with that number (see kaappi customer list)");
}

std::string number_erasure_subject(const Bytes& number_tag) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : number_tag) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::optional<std::int64_t> customer_erased_at(Session& session, const std::string& number) {
  const std::string subject = number_erasure_subject(session.keys().number_tag(trim_text(number)));
  std::optional<std::int64_t> at;
  Index& index = session.index();
  const auto [first, last] = index.id_range<ErasureRow>();
  index.each<ErasureRow>(
      [&](const ErasureRow& e) {
        if (!at && open_erasure_reason(session.keys().field(), e).subject == subject) at = e.at;
      },
      first, last);
  return at;
}

std::vector<Customer> list_customers(Session& session) {
  std::vector<Customer> out;
  session.hold_customer_keys();
  const IndexKeys& keys = session.keys();
  session.index().each_latest_customer_version([&](const CustomerVersionRow& v, std::int64_t created_at) {
    if (!keys.customer_keys().holds(v.customer_id)) return;  // erased
    out.push_back(Customer{v.customer_id, created_at, open_customer_version(keys.customer(v.customer_id), v)});
  });
  return out;
}

std::vector<Customer> customers_by_ids(Session& session, const std::vector<std::int64_t>& ids) {
  std::vector<Customer> out;
  out.reserve(ids.size());
  if (ids.size() < 2000) {  // a few: look each up
    for (auto id : ids)
      if (auto c = customer_by_id(session, id)) out.push_back(std::move(*c));
    return out;
  }
  // Many: half of them on each core, opening only the wanted ones — looked up
  // one by one when they are under a quarter of all customers (a lookup costs
  // about four rows of a pass), otherwise found in one pass over the latest
  // versions.
  std::vector<Customer> parts[2];
  session.hold_customer_keys();
  const IndexKeys& keys = session.keys();
  const auto customer_ids = session.index().id_range<CustomerRow>();
  const bool look_up = static_cast<double>(ids.size()) * 4 < static_cast<double>(customer_ids.second - customer_ids.first);
  const std::unordered_set<std::int64_t> wanted = look_up ? std::unordered_set<std::int64_t>{}
                                                          : std::unordered_set<std::int64_t>(ids.begin(), ids.end());
  const size_t half = ids.size() / 2;
  read_in_two_parts(session.archive(), [&](const Index& index, int p) {
    const auto open = [&](const CustomerVersionRow& v, std::int64_t created_at) {
      if ((look_up || wanted.count(v.customer_id)) && keys.customer_keys().holds(v.customer_id))
        parts[p].push_back(Customer{v.customer_id, created_at, open_customer_version(keys.customer(v.customer_id), v)});
    };
    if (look_up) {
      index.each_latest_customer_version_of(p == 0 ? std::span(ids).first(half) : std::span(ids).subspan(half), open);
    } else {
      auto [from, to] = half_of(ids.front(), ids.back(), p);
      index.each_latest_customer_version(open, from, to);
    }
  });
  out = std::move(parts[0]);
  std::move(parts[1].begin(), parts[1].end(), std::back_inserter(out));
  return out;
}

std::vector<std::string> search_words(const std::string& query) {
  std::vector<std::string> words;
  std::string folded = fold_for_search(query);
  for (size_t start = 0; start < folded.size();) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    if (end > start) words.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  if (words.empty()) fail(ErrorKind::usage, Field{"search"} + " needs some text to look for");
  return words;
}

std::vector<Customer> search_customers(Session& session, const std::string& query) {
  std::vector<std::string> words = search_words(query);
  std::vector<std::int64_t> hits;
  session.hold_customer_keys();
  const IndexKeys& keys = session.keys();
  session.index().each_customer_search([&](const Index::SearchRow& row) {
    if (!keys.customer_keys().holds(row.customer_id)) return;  // erased
    std::string text = keys.customer(row.customer_id).open(k_table, "search", row.uid, row.search);
    bool all = true;
    for (const auto& w : words) all = all && text.find(w) != std::string::npos;
    wipe(text);
    if (all) hits.push_back(row.customer_id);
  });
  return customers_by_ids(session, hits);
}

std::vector<CustomerVersion> customer_history(Session& session, const Customer& customer) {
  std::vector<CustomerVersion> out;
  const ValueSealer sealer = session.customer_values(customer.id);
  for (const auto& row : session.index().customer_versions(customer.id))
    out.push_back(open_customer_version(sealer, row));
  return out;
}

}  // namespace kaappi
