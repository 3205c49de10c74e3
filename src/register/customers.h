// customers.h — the customer register: add, rectify (edit), feedback,
// history, find by number (keyed blind index), list and search.
//
// A customer is one signed `customers` row (its number's blind index), one
// key row (the customer's own key) and a chain of versions; every version
// holds the whole record, sealed under the customer's key with the version
// row's uid as associated data, plus who
// recorded it, when and why. Nothing is changed in place: a rectification
// appends a version, so every earlier value stays readable in the history.
// Search decrypts one sealed, pre-folded search field per customer; the
// database holds no plaintext and no per-word tags. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/session.h"
#include "register/customer_fields.h"

namespace kaappi {

struct CustomerVersion {
  std::int64_t version = 0;
  std::int64_t recorded_at = 0;
  std::string recorded_by;
  std::string reason;  // why it was recorded ("" for the first version)
  CustomerRecord record;
};

struct Customer {
  std::int64_t id = 0;
  std::int64_t created_at = 0;
  CustomerVersion current;
  const std::string& number() const { return current.record.get("number"); }
  const std::string& name() const { return current.record.get("name"); }
};

// A new customer's record as add_customer checks it (the source defaults to
// "customer"), without the archive: before a session is opened (and the
// passphrase asked). Throws as check_customer_record.
CustomerRecord checked_new_record(CustomerRecord record);
Customer add_customer(Session& session, CustomerRecord record);
// Adds many checked records in one transaction (all or nothing). Throws
// ErrorKind::rejected if a number exists; see existing_numbers() to report
// them one by one first.
std::size_t add_customers(Session& session, const std::vector<CustomerRecord>& records);
// Indexes (into records) of those whose customer number already exists.
std::vector<std::size_t> existing_numbers(Session& session, const std::vector<CustomerRecord>& records);
// The ids of the customers with these numbers (as given; trimmed), for bulk
// work that needs only ids: one pass over the customers, nothing decrypted.
// A number without a customer is not in the result.
std::unordered_map<std::string, std::int64_t> customer_ids_by_number(Session& session,
                                                                     const std::vector<std::string>& numbers);

// The checks of a rectification that need no archive (some field given, a
// reason: ErrorKind::usage; each value as its field requires:
// ErrorKind::rejected). Front ends call it before asking for the passphrase.
void check_rectification(const std::map<std::string, std::string>& changes, const std::string& reason);
// A rectification: the given fields get new values (empty clears), the
// reason is required. The customer number cannot change. Throws
// ErrorKind::rejected when nothing would change.
Customer edit_customer(Session& session, const std::string& number, const std::map<std::string, std::string>& changes,
                       const std::string& reason);
Customer add_feedback(Session& session, const std::string& number, FeedbackEntry entry);

std::optional<Customer> find_customer(Session& session, const std::string& number);
// Throws ErrorKind::not_found "no customer with that number".
// Throws ErrorKind::not_found: "no customer with that number", or when an
// erasure names the number, that its customer was erased and when.
Customer require_customer(Session& session, const std::string& number);
// When the customer with this number was erased (nullopt: no erasure names
// it): the erasures row whose sealed subject is number_erasure_subject of
// the number's lookup tag (rights/erasure.h writes it).
std::optional<std::int64_t> customer_erased_at(Session& session, const std::string& number);
std::string number_erasure_subject(const Bytes& number_tag);
Customer load_customer(Session& session, const CustomerRow& row);
std::optional<Customer> customer_by_id(Session& session, std::int64_t id);
std::vector<Customer> list_customers(Session& session);
// The customers with these ids (ascending), in id order.
std::vector<Customer> customers_by_ids(Session& session, const std::vector<std::int64_t>& ids);
// Customers whose number, name, business ID or e-mail contain every word of
// the query, ignoring case and accents (ä = a, ö = o, å = a, ...).
std::vector<Customer> search_customers(Session& session, const std::string& query);
// The query's words as search_customers looks for them; throws
// ErrorKind::usage when there are none.
std::vector<std::string> search_words(const std::string& query);
// Every version, oldest first.
std::vector<CustomerVersion> customer_history(Session& session, const Customer& customer);

// Opens one version row (throws ErrorKind::corrupt).
CustomerVersion open_customer_version(const ValueSealer& customer, const CustomerVersionRow& row);
// The folded text a version is searched by.
std::string customer_search_text(const CustomerRecord& record);

}  // namespace kaappi
