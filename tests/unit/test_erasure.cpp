// test_erasure.cpp — format 2's erasure mechanism at the library level
// (docs/FORMAT.md, "Erasure"): values set NULL in one signed transaction with
// an erasures row listing their hashes; verify accepts a NULL only where an
// erasure names it, with the hash the row was signed with; nothing of an
// erased value is left in the index file or its WAL. In-process, with the
// fixture; tampering through raw SQL on the index file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "backup/erasure_reapply.h"
#include "base/error.h"
#include "consent/consents.h"
#include "consent/purposes.h"
#include "register/customer_restriction.h"
#include "register/customers.h"
#include "store/erasure.h"
#include "store/signed_tables.h"
#include "support/archive_fixture.h"
#include "support/error_kind.h"
#include "support/raw_sql.h"
#include "verify/verifier.h"

using namespace kaappi;

namespace {

Bytes file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Whether any 12 bytes in a row of `value` are anywhere in the index file
// or its WAL (a value partly overwritten still leaves the rest).
bool left_in_index(const std::string& root, const Bytes& value) {
  constexpr std::size_t k_run = 12;
  REQUIRE(value.size() >= k_run);
  for (const char* name : {"/index.sqlite", "/index.sqlite-wal"}) {
    const Bytes hay = file_bytes(root + name);
    for (std::size_t at = 0; at + k_run <= value.size(); at += k_run / 2)
      if (std::search(hay.begin(), hay.end(), value.begin() + static_cast<std::ptrdiff_t>(at),
                      value.begin() + static_cast<std::ptrdiff_t>(at + k_run)) != hay.end())
        return true;
  }
  return false;
}

// Each problem of verify (keyless, or full with the fixture's key) as "problem|detail", and the notes.
struct Findings {
  std::vector<std::string> problems, notes;
};
Findings verify(test::ArchiveFixture& fx, bool full) {
  fx.reopen();
  Session& s = fx.session();
  VerifyOptions options;
  options.quiet = true;
  VerifyReport r = verify_archive(s.archive(), s.archive().public_key(), full ? &s : nullptr, options);
  Findings out;
  for (const auto& p : r.problems) out.problems.push_back(p.problem + "|" + p.detail);
  out.notes = r.notes;
  return out;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

const char* const k_version_columns[] = {"number", "name", "business_id", "email", "phone", "address", "details", "search"};

// A customer with a consent event, and what erasing them names: their key,
// their number's lookup tag, every sealed value of their versions and events.
struct Person {
  Customer customer;
  std::vector<ErasureTarget> targets;
  std::vector<Bytes> stored;  // the values, as stored before the erasure
};

Person person_with_consent(test::ArchiveFixture& fx, const std::string& number, const std::string& name) {
  Person p;
  p.customer = fx.add_customer(number, name);
  ConsentEvent e;
  e.purpose = "email-marketing";
  e.state = "granted";
  e.effective = "2026-03-01";
  record_consent(fx.session(), p.customer, e);
  Index& index = fx.session().index();
  const std::int64_t id = p.customer.id;
  const CustomerKeyRow key = *index.customer_key(id);
  p.targets.push_back({"customer_keys", key.id, "wrapped"});
  p.stored.push_back(key.wrapped);
  p.targets.push_back({"customers", id, "number_tag"});
  p.stored.push_back(index.customer(id)->number_tag);
  for (const CustomerVersionRow& v : index.customer_versions(id)) {
    for (const char* column : k_version_columns) p.targets.push_back({"customer_versions", v.id, column});
    for (const Bytes* value : {&v.number, &v.name, &v.business_id, &v.email, &v.phone, &v.address, &v.details, &v.search})
      p.stored.push_back(*value);
  }
  for (const ConsentEventRow& ev : index.consent_events(id)) {
    p.targets.push_back({"consent_events", ev.id, "event"});
    p.stored.push_back(ev.event);
  }
  return p;
}


}  // namespace

TEST_CASE("erasing a person leaves no copy of their values in the index or its WAL, and both verify levels stay clean",
          "[erasure]") {
  test::ArchiveFixture fx;
  Person gone = person_with_consent(fx, "1001", "Oy Esimerkki Ab");
  Person kept = person_with_consent(fx, "1002", "Toinen Oy");
  for (const Bytes& value : gone.stored) REQUIRE(left_in_index(fx.root(), value));  // the search finds them before

  const TransactionRow before = fx.session().index().head();
  ErasureRow row = erase_values(fx.session(), gone.targets, "the person asked to be forgotten");
  CHECK(fx.session().index().head().tx == before.tx + 1);
  CHECK(decode_erased(row.erased).size() == gone.targets.size());

  for (const Bytes& value : gone.stored) CHECK_FALSE(left_in_index(fx.root(), value));
  // Every change still hashes to its signed rows (what re-anchoring through a
  // restore or upgrade row checks), the changes holding erased values too.
  std::int64_t first = 1;
  fx.session().index().each_transaction(1, [&](const TransactionRow& t) {
    Sha256Digest rows = fx.session().index().hash_rows(first, t.last_seq);
    CHECK(Bytes(rows.begin(), rows.end()) == t.rows);
    first = t.last_seq + 1;
  });
  CHECK(first == fx.session().index().head().last_seq + 1);
  for (const Bytes& value : kept.stored) CHECK(left_in_index(fx.root(), value));

  for (bool full : {false, true}) {
    Findings f = verify(fx, full);
    CHECK(f.problems.empty());
    CHECK(any_contains(f.notes, "erasure 1 (change " + std::to_string(before.tx + 1) + ") erased " +
                                    std::to_string(gone.targets.size()) + " value(s)"));
    if (full) {
      CHECK(any_contains(f.notes, "by fixture: the person asked to be forgotten"));
      CHECK(any_contains(f.notes, "1 customer(s) erased"));
    }
  }
  // The erased customer's values cannot be read; the other's still can.
  CHECK(test::error_kind_of([&] { fx.session().customer_values(gone.customer.id); }) == ErrorKind::not_found);
  CHECK(require_customer(fx.session(), "1002").current.record.get("name") == "Toinen Oy");
  CHECK(consent_events(fx.session(), kept.customer).size() == 1);
  // Commands over every customer leave the erased one out and still work.
  auto ids = [](const std::vector<Customer>& customers) {
    std::vector<std::int64_t> out;
    for (const Customer& c : customers) out.push_back(c.id);
    return out;
  };
  const std::vector<std::int64_t> only_kept = {kept.customer.id};
  CHECK(ids(list_customers(fx.session())) == only_kept);
  CHECK(ids(search_customers(fx.session(), "oy")) == only_kept);
  CHECK(find_customer(fx.session(), "1001") == std::nullopt);
  for (const char* state : {"granted", "none"}) {
    std::vector<Customer> listed;
    for (auto& entry : list_by_consent(fx.session(), find_purpose(state == std::string("none") ? "research"
                                                                                               : "email-marketing"),
                                       state, "2026-12-31"))
      listed.push_back(entry.customer);
    CHECK(ids(listed) == only_kept);
  }
}

TEST_CASE("a NULL that no erasure names, an erased value put back, and an altered erasure list are problems",
          "[erasure]") {
  test::ArchiveFixture fx;
  Person gone = person_with_consent(fx, "1001", "Oy Esimerkki Ab");
  Person kept = person_with_consent(fx, "1002", "Toinen Oy");
  erase_values(fx.session(), {gone.targets[2]}, "test");  // their number, version 1
  fx.close();
  const std::string index = fx.root() + "/index.sqlite";
  const std::string kept_version = std::to_string(kept.targets[2].row_id);
  const std::string gone_version = std::to_string(gone.targets[2].row_id);

  SECTION("a value set NULL without an erasure row") {
    test::raw_sql(index, "UPDATE customer_versions SET name = NULL WHERE id = " + kept_version);
    for (bool full : {false, true}) {
      Findings f = verify(fx, full);
      CHECK(any_contains(f.problems, "customer record altered|customer 2 version 1: name is empty (NULL) and no "
                                     "erasure names it"));
      fx.close();
    }
  }
  SECTION("an erased value put back") {
    test::raw_sql(index, "UPDATE customer_versions SET number = x'" + to_hex(gone.stored[2]) + "' WHERE id = " +
                             gone_version);
    for (bool full : {false, true}) {
      Findings f = verify(fx, full);
      CHECK(any_contains(f.problems, "customer 1 version 1: number is still stored, but an erasure row says it was erased"));
      fx.close();
    }
  }
  SECTION("another value's hash in the erasure list") {
    const std::string erased = test::raw_sql_value(index, "SELECT hex(erased) FROM erasures WHERE id = 1");
    REQUIRE(erased.size() == 2 * k_erased_record_size);
    std::string altered = erased;
    altered[altered.size() - 1] = altered.back() == '0' ? '1' : '0';  // the last byte of the hash
    test::raw_sql(index, "UPDATE erasures SET erased = x'" + altered + "' WHERE id = 1");
    for (bool full : {false, true}) {
      Findings f = verify(fx, full);
      CHECK(any_contains(f.problems, "does not match its signature"));
      fx.close();
    }
  }
  SECTION("an erasure list that names a value never erased") {
    // One more record, naming station 1's name (sealed, but never erased).
    ErasedValue station_name;
    station_name.table = table_of<StationRow>().code();
    station_name.row_id = 1;
    station_name.column = 2;
    test::raw_sql(index, "UPDATE erasures SET erased = x'" +
                             test::raw_sql_value(index, "SELECT hex(erased) FROM erasures WHERE id = 1") +
                             to_hex(encode_erased({station_name})) + "' WHERE id = 1");
    Findings f = verify(fx, false);
    CHECK(any_contains(f.problems, "erasure record altered|an erasure names stations.name, which is never erased"));
  }
}

TEST_CASE("an erasure of what is not an erasable value, of a missing row, or twice changes nothing", "[erasure]") {
  test::ArchiveFixture fx;
  Person p = person_with_consent(fx, "1001", "Oy Esimerkki Ab");
  erase_values(fx.session(), {p.targets[0]}, "test");
  Session& s = fx.session();
  const TransactionRow head = s.index().head();
  const std::vector<std::vector<ErasureTarget>> refused = {
      {{"documents", 1, "blob_hash"}},                              // a plain value: signed as it is
      {{"stations", 1, "name"}},                                    // sealed, but belongs to no one person
      {{"customer_versions", 999, "name"}},                         // no such row
      {{"customer_keys", p.targets[0].row_id, "wrapped"}},          // already erased
      {p.targets[1], p.targets[1]},                                 // named twice
      {{"customer_versions", 1, "nosuch"}},                         // no such column
      {{"nosuch", 1, "name"}},                                      // no such table
      {},                                                           // nothing
  };
  for (const auto& targets : refused) {
    CHECK(test::error_kind_of([&] { erase_values(s, targets, "test"); }) == ErrorKind::rejected);
    CHECK(s.index().head().tx == head.tx);
    CHECK(s.index().head().digest == head.digest);
  }
  CHECK_FALSE(s.index().customer(p.customer.id)->number_tag.empty());
}

TEST_CASE("an erased document's key, metadata and duplicate tag are gone, and verify takes it as erased", "[erasure]") {
  test::ArchiveFixture fx;
  Session& s = fx.session();
  DocumentRow doc = test::stand_in_document(s);  // with a blob file in place:
  {
    std::ofstream blob(s.archive().blob_path(doc.uid), std::ios::binary);
    blob << std::string(200, 'x');
  }
  erase_values(s, {{"documents", doc.id, "sealed_key"}, {"documents", doc.id, "meta"}, {"documents", doc.id, "content_tag"}},
               "retention period over");
  for (const Bytes* value : {&doc.sealed_key, &doc.meta, &doc.content_tag}) CHECK_FALSE(left_in_index(fx.root(), *value));
  const DocumentRow erased = *s.index().document(doc.id);
  CHECK(erased.erased());
  CHECK(test::error_kind_of([&] { s.document_key(erased); }) == ErrorKind::not_found);
  for (bool full : {false, true}) {
    Findings f = verify(fx, full);
    CHECK(f.problems.empty());
    CHECK(any_contains(f.notes, "document 1 was erased; its blob file is still in place but can no longer be opened"));
  }
  // Without its blob file, an erased document is no problem either.
  REQUIRE(std::remove(fx.session().archive().blob_path(doc.uid).c_str()) == 0);
  for (bool full : {false, true}) CHECK(verify(fx, full).problems.empty());
}

TEST_CASE("a key emptied outside kaappi is a problem, never taken for an erasure", "[erasure]") {
  test::ArchiveFixture fx;
  Person p = person_with_consent(fx, "1001", "Oy Esimerkki Ab");
  Session& s = fx.session();
  DocumentRow doc = test::stand_in_document(s);
  fx.close();
  const std::string index = fx.root() + "/index.sqlite";
  test::raw_sql(index, "UPDATE documents SET sealed_key = NULL WHERE id = " + std::to_string(doc.id) +
                           "; UPDATE customer_keys SET wrapped = NULL WHERE id = " + std::to_string(p.targets[0].row_id));
  for (bool full : {false, true}) {
    Findings f = verify(fx, full);
    CHECK_FALSE(any_contains(f.notes, "erased"));
    CHECK(any_contains(f.problems, "is empty (NULL) and no erasure names it"));
    // What needs no key is still checked: the (absent) blob file.
    CHECK(any_contains(f.problems, "blob missing"));
    if (full) CHECK(any_contains(f.problems, "document key missing|the document's key is empty and no erasure names it"));
    fx.close();
  }
}

TEST_CASE("an erasure re-applied to a restored copy erases only the values that still hash to what it erased, and "
          "names the others",
          "[erasure][restore]") {
  test::ArchiveFixture fx;
  Person a = person_with_consent(fx, "1001", "Oy Esimerkki Ab");
  Person b = person_with_consent(fx, "1002", "Toinen Oy");
  Index& index = fx.session().index();
  const CustomerVersionRow va = index.customer_versions(a.customer.id).front();
  const CustomerVersionRow vb = index.customer_versions(b.customer.id).front();
  const std::uint8_t versions = static_cast<std::uint8_t>(table_of<CustomerVersionRow>().code());
  // An erasure as a newer generation holds it: 1001's name and number as
  // they are here, 1002's name with another value's hash (the copy holds
  // something else there), and a row this copy does not have.
  ErasureRow original;
  original.uid = random_bytes(16);
  original.at = fx.session().now();
  original.reason = seal_erasure_reason(fx.session().keys().field(), original, {"someone", "asked", "tag-of-1001"});
  auto value = [&](std::int64_t row, std::uint8_t column, const Bytes& stored) {
    return ErasedValue{versions, row, column, sealed_value_hash(SqlValue::of_blob(stored))};
  };
  const std::uint8_t number = 5, name = 6;  // their positions in customer_versions (docs/FORMAT.md)
  original.erased = encode_erased({value(va.id, name, va.name), value(va.id, number, va.number),
                                   value(vb.id, name, va.name), value(va.id + 100, name, va.name)});
  ReapplyPlan plan;
  plan.newest = "2026-03-02T000000Z";
  plan.erasures.push_back({original, ReapplySource{plan.newest, ""}});
  std::vector<ReappliedErasure> done = reapply_erasures(fx.session(), plan).erasures;
  REQUIRE(done.size() == 1);
  CHECK(done[0].values == 2);
  CHECK(done[0].not_in_copy == 1);
  REQUIRE(done[0].differing.size() == 1);
  CHECK(done[0].differing[0] == "customer_versions.name of row " + std::to_string(vb.id) +
                                    ": the restored copy holds another value than the one erased");
  REQUIRE(done[0].row_id != 0);
  CHECK_FALSE(left_in_index(fx.root(), va.name));
  CHECK(left_in_index(fx.root(), vb.name));
  ErasureRow row = *erasure_of(fx.session().index(), "customer_versions", va.id, "name");
  CHECK(row.id == done[0].row_id);
  CHECK(row.uid != original.uid);
  const ErasureReason why = open_erasure_reason(fx.session().keys().field(), row);
  CHECK(why.subject == "tag-of-1001");
  CHECK(why.reason == "re-applies the erasure of 2026-03-01 kept in backup generation 2026-03-02T000000Z to this "
                      "archive restored from an older generation; that erasure's reason: asked");
  for (bool full : {false, true}) CHECK(verify(fx, full).problems.empty());
}

TEST_CASE("a restriction re-applied to a restored copy is recorded only for a customer the copy holds as the newer "
          "generation did, with its date",
          "[erasure][restore]") {
  test::ArchiveFixture fx;
  Person a = person_with_consent(fx, "1001", "Oy Esimerkki Ab");
  Person b = person_with_consent(fx, "1002", "Toinen Oy");
  Index& index = fx.session().index();
  const Bytes uid_a = index.customer(a.customer.id)->uid;
  auto planned = [&](std::int64_t customer, const Bytes& uid) {
    PlannedRestriction p;
    p.row.uid = random_bytes(16);
    p.row.customer_id = customer;
    p.row.until = "2027-06-30";
    p.row.at = fx.session().now() - 86400;
    p.customer_uid = uid;
    return p;
  };
  ReapplyPlan plan;
  plan.newest = "2026-03-02T000000Z";
  plan.restrictions = {planned(a.customer.id, uid_a), planned(b.customer.id, uid_a), planned(b.customer.id + 100, uid_a)};
  Reapplied done = reapply_erasures(fx.session(), plan);
  CHECK(done.erasures.empty());
  REQUIRE(done.restrictions.size() == 3);
  CHECK(done.restrictions[0].row_id != 0);
  CHECK(done.restrictions[0].skipped.empty());
  CHECK(done.restrictions[0].customer_number == "1001");
  CHECK(done.restrictions[1].row_id == 0);
  CHECK(done.restrictions[1].skipped == "the restored copy holds another customer under that id");
  CHECK(done.restrictions[2].row_id == 0);
  CHECK(done.restrictions[2].skipped == "not in this generation");
  const std::vector<RestrictionRow> rows = fx.session().index().restrictions();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id == done.restrictions[0].row_id);
  CHECK(rows[0].uid != plan.restrictions[0].row.uid);
  CHECK(rows[0].at == plan.restrictions[0].row.at);
  CHECK(rows[0].until == "2027-06-30");
  CHECK(customer_restricted_at(fx.session(), a.customer.id) == plan.restrictions[0].row.at);
  CHECK_FALSE(customer_restricted_at(fx.session(), b.customer.id));
  // Once more: already restricted there, nothing recorded.
  plan.restrictions.resize(1);
  Reapplied again = reapply_erasures(fx.session(), plan);
  REQUIRE(again.restrictions.size() == 1);
  CHECK(again.restrictions[0].skipped == "already restricted in this generation");
  CHECK(fx.session().index().restrictions().size() == 1);
  for (bool full : {false, true}) CHECK(verify(fx, full).problems.empty());
}
