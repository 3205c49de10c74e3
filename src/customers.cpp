// customers.cpp — see customers.h.
#include "customers.h"

#include "business_id.h"
#include "error.h"

namespace kaappi {
namespace {

constexpr std::string_view k_table = "customer_versions";

std::string trim(std::string s) {
  auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && is_space(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

bool has_control(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

Bytes number_tag(const FieldCipher& cipher, const std::string& number) {
  return cipher.blind_index("customer-number", number);
}

}  // namespace

CustomerFields validate_customer(CustomerFields f) {
  f.number = trim(f.number);
  f.name = trim(f.name);
  f.business_id = trim(f.business_id);
  f.email = trim(f.email);
  f.phone = trim(f.phone);
  f.address = trim(f.address);
  if (f.number.empty()) fail(ErrorKind::rejected, "the customer number is empty");
  if (f.number.size() > 64 || has_control(f.number))
    fail(ErrorKind::rejected, "the customer number must be at most 64 printable characters");
  if (f.name.empty()) fail(ErrorKind::rejected, "the customer's name is empty");
  for (const auto* field : {&f.name, &f.email, &f.phone})
    if (has_control(*field) || field->size() > 1000)
      fail(ErrorKind::rejected, "name, e-mail and phone must be printable text of at most 1000 bytes");
  if (f.address.size() > 4000) fail(ErrorKind::rejected, "the address is longer than 4000 bytes");
  if (!f.business_id.empty()) {
    auto normalized = normalize_business_id(f.business_id);
    if (!normalized)
      fail(ErrorKind::rejected,
           "invalid business ID (Y-tunnus): expected seven digits, a hyphen and a correct check digit, like 2468114-6");
    f.business_id = *normalized;
  }
  if (!f.email.empty()) {
    auto at = f.email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= f.email.size() || f.email.find(' ') != std::string::npos ||
        f.email.find('@', at + 1) != std::string::npos)
      fail(ErrorKind::rejected, "invalid e-mail address: expected one @ with text on both sides and no spaces");
  }
  if (!f.phone.empty()) {
    for (char c : f.phone)
      if (!std::isdigit(static_cast<unsigned char>(c)) && std::string_view("+-() ").find(c) == std::string_view::npos)
        fail(ErrorKind::rejected, "invalid phone number: use digits, spaces, +, - and ()");
  }
  return f;
}

CustomerFields open_customer_version(const FieldCipher& c, const CustomerVersionRow& r) {
  CustomerFields f;
  f.number = c.open(k_table, "number", r.uid, r.number);
  f.name = c.open(k_table, "name", r.uid, r.name);
  f.business_id = c.open(k_table, "business_id", r.uid, r.business_id);
  f.email = c.open(k_table, "email", r.uid, r.email);
  f.phone = c.open(k_table, "phone", r.uid, r.phone);
  f.address = c.open(k_table, "address", r.uid, r.address);
  c.open(k_table, "details", r.uid, r.details);
  return f;
}

Customer add_customer(Session& session, const CustomerFields& input) {
  CustomerFields f = validate_customer(input);
  const FieldCipher& c = session.cipher();
  Bytes tag = number_tag(c, f.number);
  if (session.index().customer_by_tag(tag))
    fail(ErrorKind::rejected, "a customer with that number already exists; nothing was changed");
  CustomerRow row;
  row.uid = random_bytes(k_uid_size);
  row.number_tag = tag;
  row.created_at = now_seconds();
  CustomerVersionRow v;
  v.uid = random_bytes(k_uid_size);
  v.version = 1;
  v.recorded_at = row.created_at;
  v.number = c.seal(k_table, "number", v.uid, f.number);
  v.name = c.seal(k_table, "name", v.uid, f.name);
  v.business_id = c.seal(k_table, "business_id", v.uid, f.business_id);
  v.email = c.seal(k_table, "email", v.uid, f.email);
  v.phone = c.seal(k_table, "phone", v.uid, f.phone);
  v.address = c.seal(k_table, "address", v.uid, f.address);
  v.details = c.seal(k_table, "details", v.uid, "{}");
  Index::Writer writer(session.index(), session.key().sign_sk);
  writer.insert_customer(row, v);
  writer.commit();
  session.archive().remember_head();
  return Customer{row.id, v.version, row.created_at, v.recorded_at, f};
}

Customer load_customer(Session& session, const CustomerRow& row) {
  auto v = session.index().latest_customer_version(row.id);
  if (!v) fail(ErrorKind::corrupt, "customer record " + std::to_string(row.id) + " has no fields; run kaappi verify");
  return Customer{row.id, v->version, row.created_at, v->recorded_at, open_customer_version(session.cipher(), *v)};
}

std::optional<Customer> find_customer(Session& session, const std::string& number) {
  auto row = session.index().customer_by_tag(number_tag(session.cipher(), trim(number)));
  if (!row) return std::nullopt;
  return load_customer(session, *row);
}

Customer require_customer(Session& session, const std::string& number) {
  auto c = find_customer(session, number);
  if (!c) fail(ErrorKind::not_found, "no customer with that number (see kaappi customer list)");
  return *c;
}

std::vector<Customer> list_customers(Session& session) {
  std::vector<Customer> out;
  for (const auto& row : session.index().customers()) out.push_back(load_customer(session, row));
  return out;
}

}  // namespace kaappi
