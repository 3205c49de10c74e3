// test_format2_upgrade.cpp — the upgrade step from format 1 (schema version
// 4) to format 2 at the library level: a format-1 index, signed row by row
// with its chain and head as format 1 signed them (store/format1.h), becomes
// one signed transaction naming the format-1 head; a format-1 index whose
// signatures do not hold, a head this machine remembers that it does not
// continue, and another archive's key are refused, changing nothing.
#include <sodium.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/error.h"
#include "keys/field_cipher.h"
#include "keys/index_keys.h"
#include "store/format2_documents.h"
#include "store/index.h"
#include "support/error_kind.h"
#include "support/raw_sql.h"
#include "support/temp_index.h"

using namespace kaappi;
using kaappi::test::error_kind_of;

// GCC 12 takes the unused text-column branch of the signing encoding, inlined
// for rows that have no text column, for a read of an uninitialized string.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

// A key with the signing key `sk`, a random master secret and box keys.
UnlockedKey test_key(const SecretBuffer& sk) {
  UnlockedKey key;
  key.sign_sk = SecretBuffer(crypto_sign_SECRETKEYBYTES);
  std::copy(sk.bytes().begin(), sk.bytes().end(), key.sign_sk.data());
  key.sign_pk = Bytes(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_ed25519_sk_to_pk(key.sign_pk.data(), sk.data());
  key.box_pk = Bytes(crypto_box_PUBLICKEYBYTES);
  key.box_sk = SecretBuffer(crypto_box_SECRETKEYBYTES);
  crypto_box_keypair(key.box_pk.data(), key.box_sk.data());
  key.master = SecretBuffer(32);
  randombytes_buf(key.master.data(), key.master.size());
  return key;
}

// Inserts `row` with its format-1 signature, into a table of layout 4.
template <typename Row>
void insert_format1(sqlite3* db, Row& row, std::int64_t seq, const Bytes& archive_id, const SecretBuffer& sk) {
  const auto& table = table_of<Row>();
  row.seq = seq;
  Bytes msg = table.format1_signing_bytes(row, archive_id);
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sk.data());
  std::string marks;
  for (size_t i = 0; i <= table.columns().size(); ++i) marks += i ? ", ?" : "?";
  Statement s(db, std::string("INSERT INTO ") + table.name() + "(" + table.column_list() + ", sig) VALUES (" + marks +
                      ")");
  for (const SqlValue& v : table.values(row)) s.bind(v);
  s.bind(sig);
  s.run();
}

// A format-1 index of schema version 4: the archive row, one customer with
// one version, and its signed head; digests[s] is the chain's digest after seq s.
struct Format1Index {
  std::string dir, path;
  Bytes pk = Bytes(crypto_sign_PUBLICKEYBYTES);
  SecretBuffer sk = SecretBuffer(crypto_sign_SECRETKEYBYTES);
  Bytes archive_id = random_bytes(16);
  UnlockedKey key;  // the same signing key, with a master secret and box keys
  std::vector<Bytes> digests{Bytes(32, 0)};
  std::vector<Bytes> sigs{Bytes()};

  Format1Index() {
    char t[] = "/tmp/kaappi-format1-XXXXXX";
    REQUIRE(::mkdtemp(t));
    dir = t;
    path = dir + "/index.sqlite";
    crypto_sign_keypair(pk.data(), sk.data());
    key = test_key(sk);
    sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const SchemaLayout& layout_4 = schema_history().steps.at(1).from;
    REQUIRE(layout_4.version() == 4);
    for (const auto& sql : layout_4.ddl()) exec_sql(db, sql.c_str(), "test");
    exec_sql(db, "PRAGMA user_version=4", "test");
    ArchiveRow archive;
    archive.archive_id = archive_id;
    archive.format_version = 1;
    archive.box_pk = key.box_pk;
    archive.sign_pk = pk;
    archive.created_at = 100;
    insert_format1(db, archive, 1, archive_id, sk);
    CustomerRow c{};
    c.id = 1;
    c.uid = random_bytes(16);
    c.number_tag = random_bytes(32);
    c.created_at = 101;
    insert_format1(db, c, 2, archive_id, sk);
    CustomerVersionRow v{};
    v.id = 1;
    v.uid = random_bytes(16);
    v.customer_id = 1;
    const FieldCipher format1(key.master, archive_id);
    const char* const columns[] = {"number", "name", "business_id", "email", "phone", "address", "details", "search"};
    Bytes* values[] = {&v.number, &v.name, &v.business_id, &v.email, &v.phone, &v.address, &v.details, &v.search};
    for (size_t i = 0; i < std::size(columns); ++i)
      *values[i] = format1.seal("customer_versions", columns[i], v.uid, std::string("value of ") + columns[i]);
    insert_format1(db, v, 3, archive_id, sk);
    for (const char* table : {"archive", "customers", "customer_versions"}) {
      Statement s(db, std::string("SELECT seq, sig FROM ") + table);
      while (s.step()) {
        std::int64_t seq = s.i64();
        sigs.resize(std::max<size_t>(sigs.size(), seq + 1));
        sigs[seq] = s.blob();
      }
    }
    for (std::int64_t seq = 1; seq <= 3; ++seq) digests.push_back(format1_chain_digest(digests.back(), seq, sigs[seq]));
    Bytes msg = format1_head_message(archive_id, 3, digests[3]);
    Bytes sig(crypto_sign_BYTES);
    crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sk.data());
    Statement(db, "INSERT INTO head(id, seq, digest, sig) VALUES (1, 3, ?, ?)").bind(digests[3]).bind(sig).run();
    sqlite3_close(db);
  }
  ~Format1Index() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  UpgradeContext context(std::optional<Format1Head> remembered = std::nullopt) const {
    return UpgradeContext{&key, std::move(remembered), 500, dir};
  }
  std::int64_t version() const { return std::stoll(kaappi::test::raw_sql_value(path, "PRAGMA user_version")); }
};

}  // namespace

TEST_CASE("a format-1 index becomes format 2: its history one signed transaction naming the format-1 head",
          "[schema][upgrade]") {
  Format1Index f;
  CHECK(error_kind_of([&] { Index(f.path, SchemaPolicy::enforce); }) == ErrorKind::needs_upgrade);
  UpgradeReport report = Index::upgrade(f.path, f.context(Format1Head{2, f.digests[2]}));
  CHECK(report.from_version == 4);
  CHECK(report.to_version == 5);
  Index index(f.path, SchemaPolicy::enforce);
  CHECK(index.schema_problems().empty());
  TransactionRow head = index.head();
  CHECK(head.tx == 1);
  CHECK(head.last_seq == 5);
  CHECK(head.at == 500);
  Sha256Digest rows = index.hash_rows(1, 5);
  CHECK(Bytes(rows.begin(), rows.end()) == head.rows);
  CHECK(transaction_digest_of(head, f.archive_id, Bytes(32, 0)) == head.digest);
  CHECK(transaction_signature_ok(head, f.pk));
  std::vector<UpgradeRow> upgrades;
  index.each<UpgradeRow>([&](const UpgradeRow& u) { upgrades.push_back(u); }, 0, 100);
  REQUIRE(upgrades.size() == 1);
  CHECK(upgrades[0].seq == 4);
  CHECK(upgrades[0].old_seq == 3);
  CHECK(upgrades[0].old_digest == f.digests[3]);
  CHECK(upgrades[0].from_format == 1);
  CHECK(index.archive().format_version == 2);
  CHECK(index.customers().size() == 1);
  REQUIRE(index.customer_versions().size() == 1);
  // The customer got a key of their own (the row after the upgrade row), and
  // their values are sealed under it, no longer under format 1's field key.
  auto customer_key = index.customer_key(1);
  REQUIRE(customer_key);
  CHECK(customer_key->seq == 5);
  IndexKeys keys(KeyFileSecrets(f.key), f.archive_id);
  keys.customer_keys().unwrap(1, index.customer(1)->uid, customer_key->wrapped);
  const CustomerVersionRow v = index.customer_versions().front();
  CHECK(keys.customer(1).open("customer_versions", "name", v.uid, v.name) == "value of name");
  CHECK(keys.customer(1).open("customer_versions", "search", v.uid, v.search) == "value of search");
  const FieldCipher format1(f.key.master, f.archive_id);
  CHECK(error_kind_of([&] { format1.open("customer_versions", "name", v.uid, v.name); }) == ErrorKind::corrupt);
  // The remembered head may be the format-1 head itself.
  Format1Index g;
  Index::upgrade(g.path, g.context(Format1Head{3, g.digests[3]}));
  CHECK(g.version() == 5);
}

TEST_CASE("a format-1 index that fails format 1's checks is not signed anew", "[schema][upgrade]") {
  Format1Index f;
  SECTION("an edited row") {
    kaappi::test::raw_sql(f.path, "UPDATE customers SET created_at = 99");
    CHECK_THROWS_WITH(Index::upgrade(f.path, f.context()), Catch::Contains("customer row 1 does not match its signature"));
  }
  SECTION("a deleted row") {
    kaappi::test::raw_sql(f.path, "DELETE FROM customer_versions");
    CHECK_THROWS_WITH(Index::upgrade(f.path, f.context()), Catch::Contains("fails format 1's checks"));
  }
  SECTION("a planted row with a signature of another key") {
    Bytes other_pk(crypto_sign_PUBLICKEYBYTES);
    SecretBuffer other_sk(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(other_pk.data(), other_sk.data());
    sqlite3* db = open_db(f.path, SQLITE_OPEN_READWRITE);
    StationRow st{};
    st.id = 1;
    st.uid = random_bytes(16);
    st.name = random_bytes(40);
    st.sign_pk = random_bytes(32);
    insert_format1(db, st, 4, f.archive_id, other_sk);
    sqlite3_close(db);
    CHECK_THROWS_WITH(Index::upgrade(f.path, f.context()), Catch::Contains("station 1 does not match its signature"));
  }
  SECTION("the head rolled back by hand") {
    kaappi::test::raw_sql(f.path, "DELETE FROM customer_versions; UPDATE head SET seq = 2");
    CHECK_THROWS_WITH(Index::upgrade(f.path, f.context()), Catch::Contains("head does not match its signature"));
  }
  CHECK(f.version() == 4);
  CHECK(error_kind_of([&] { Index(f.path, SchemaPolicy::enforce); }) == ErrorKind::needs_upgrade);
}

TEST_CASE("a format-1 index that does not continue the remembered head, or another key, changes nothing",
          "[schema][upgrade]") {
  Format1Index f;
  SECTION("a head this copy never had") {
    CHECK_THROWS_WITH(Index::upgrade(f.path, f.context(Format1Head{2, Bytes(32, 7)})),
                      Catch::Contains("does not continue change 2"));
  }
  SECTION("a later head than this copy's") {
    CHECK(error_kind_of([&] { Index::upgrade(f.path, f.context(Format1Head{5, Bytes(32, 7)})); }) ==
          ErrorKind::corrupt);
  }
  SECTION("another archive's key") {
    SecretBuffer other_sk(crypto_sign_SECRETKEYBYTES);
    Bytes other_pk(crypto_sign_PUBLICKEYBYTES);
    crypto_sign_keypair(other_pk.data(), other_sk.data());
    const UnlockedKey other = test_key(other_sk);
    CHECK(error_kind_of([&] { Index::upgrade(f.path, UpgradeContext{&other, std::nullopt, 1, f.dir}); }) == ErrorKind::auth);
  }
  CHECK(f.version() == 4);
  CHECK(kaappi::test::raw_sql_value(f.path, "SELECT count(*) FROM head") == "1");
}

TEST_CASE("the upgrade names, as its twin, the document each of format 1's second copies was stored beside",
          "[schema][upgrade]") {
  // Format 1 stored a customer's document again only while the one a
  // duplicate lookup found had no blob file in place, and recorded no twin.
  kaappi::test::TempIndex t;
  auto document = [&](int id, const std::string& customer, const std::string& tag, int seq) {
    kaappi::test::raw_sql(t.path, "INSERT INTO documents(id, uid, blob_uid, customer_id, kind, pages, plain_size, "
                                  "blob_size, blob_hash, sealed_key, content_tag, meta, imported_at, seq) VALUES (" +
                                      std::to_string(id) + ", randomblob(16), randomblob(16), " + customer +
                                      ", 'other', 1, 1, 1, x'00', x'00', " + tag + ", x'00', 1, " +
                                      std::to_string(seq) + ")");
  };
  document(1, "1", "zeroblob(32)", 10);
  document(2, "1", "zeroblob(32)", 11);  // beside document 1
  document(3, "2", "zeroblob(32)", 12);  // another customer's
  document(4, "NULL", "x'11'", 13);      // unassigned, then assigned to customer 1 with that content
  document(5, "1", "zeroblob(32)", 14);  // beside document 1 again
  kaappi::test::raw_sql(t.path, "INSERT INTO document_assignments(id, uid, document_id, customer_id, at, content_tag, "
                                "seq) VALUES (1, randomblob(16), 4, 1, 1, zeroblob(32), 20)");
  sqlite3* db = open_db(t.path, SQLITE_OPEN_READWRITE);
  mark_format1_twins(db);
  sqlite3_close(db);
  CHECK(kaappi::test::raw_sql_value(t.path, "SELECT group_concat(id || ':' || coalesce(twin_of, '-'), ' ') FROM "
                                            "(SELECT id, twin_of FROM documents ORDER BY id)") ==
        "1:- 2:1 3:- 4:- 5:1");
}
