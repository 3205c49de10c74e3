// Format 2's key material: the locked arena, the one sealing rule, customer
// keys (wrapped, held in the arena, tag keys) and document metadata keys.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <set>

#include "base/error.h"
#include "base/secret_arena.h"
#include "keys/archive_keys.h"
#include "keys/customer_keys.h"
#include "keys/field_cipher.h"
#include "keys/sealed_value.h"

using namespace kaappi;

namespace {

SecretBuffer random_secret(std::size_t n) {
  SecretBuffer s(n);
  randombytes_buf(s.data(), n);
  return s;
}

const Bytes archive_a = Bytes(16, 0xaa);
const Bytes archive_b = Bytes(16, 0xbb);

Bytes uid(std::uint8_t n) { return Bytes(16, n); }

}  // namespace

TEST_CASE("a secret arena keeps every secret at its place across many chunks", "[secret-arena]") {
  SecretArena arena(32, 7);
  std::vector<const std::uint8_t*> where;
  for (std::size_t i = 0; i < 1000; ++i) {
    Bytes secret(32, static_cast<std::uint8_t>(i));
    secret[0] = static_cast<std::uint8_t>(i >> 8);
    CHECK(arena.add(secret) == i);
    where.push_back(arena.view(i).data());
  }
  CHECK(arena.size() == 1000);
  for (std::size_t i = 0; i < 1000; ++i) {
    CHECK(arena.view(i).data() == where[i]);  // adding never moved it
    CHECK(arena.view(i)[0] == static_cast<std::uint8_t>(i >> 8));
    CHECK(arena.view(i)[31] == static_cast<std::uint8_t>(i));
  }
  const std::size_t fresh = arena.add();
  CHECK(std::all_of(arena.view(fresh).begin(), arena.view(fresh).end(), [](std::uint8_t b) { return b == 0; }));
  CHECK_THROWS_AS(arena.view(1001), Error);
  CHECK_THROWS_AS(arena.add(Bytes(31)), Error);
  arena.clear();
  CHECK(arena.size() == 0);
  CHECK_THROWS_AS(arena.view(0), Error);
  CHECK(arena.add() == 0);
}

TEST_CASE("a sealed value opens only with its key, in its place, under its label", "[sealed-value]") {
  const SecretBuffer key = random_secret(32), other = random_secret(32);
  const Bytes row = uid(1);
  const SealedValuePlace place{"kaappi-field-v2", archive_a, "customer_versions", "record", row};
  const Bytes sealed = seal_value(key.bytes(), place, "Ääkkönen Oy");
  CHECK(open_value(key.bytes(), place, sealed) == "Ääkkönen Oy");
  // Padded to 32-byte blocks: the length says little.
  CHECK(seal_value(key.bytes(), place, "a").size() == seal_value(key.bytes(), place, std::string(31, 'a')).size());

  const Bytes other_row = uid(2);
  CHECK_THROWS_WITH(open_value(other.bytes(), place, sealed), Catch::Contains("customer_versions.record does not open"));
  CHECK_THROWS_AS(open_value(key.bytes(), {"kaappi-field-v1", archive_a, "customer_versions", "record", row}, sealed), Error);
  CHECK_THROWS_AS(open_value(key.bytes(), {"kaappi-field-v2", archive_b, "customer_versions", "record", row}, sealed), Error);
  CHECK_THROWS_AS(open_value(key.bytes(), {"kaappi-field-v2", archive_a, "consent_events", "record", row}, sealed), Error);
  CHECK_THROWS_AS(open_value(key.bytes(), {"kaappi-field-v2", archive_a, "customer_versions", "search", row}, sealed), Error);
  CHECK_THROWS_AS(open_value(key.bytes(), {"kaappi-field-v2", archive_a, "customer_versions", "record", other_row}, sealed), Error);
  Bytes altered = sealed;
  altered.back() ^= 1;
  CHECK_THROWS_AS(open_value(key.bytes(), place, altered), Error);
  CHECK_THROWS_WITH(open_value(key.bytes(), place, Bytes(40)), Catch::Contains("too short"));
}

TEST_CASE("format 1's field cipher seals by the same rule under its field key", "[sealed-value]") {
  const SecretBuffer master = random_secret(32);
  const FieldCipher cipher(master, archive_a);
  const Bytes row = uid(3);
  const Bytes sealed = cipher.seal("stations", "name", row, "desk");
  const SecretBuffer field_key = derive_archive_key(master, ArchiveKey::field);
  CHECK(open_value(field_key.bytes(), {"kaappi-field-v1", archive_a, "stations", "name", row}, sealed) == "desk");
  // Each archive key is its own.
  std::set<Bytes> keys;
  for (ArchiveKey k : {ArchiveKey::field, ArchiveKey::blind_index, ArchiveKey::content_tag, ArchiveKey::customer_wrap}) {
    const SecretBuffer derived = derive_archive_key(master, k);
    keys.insert(Bytes(derived.bytes().begin(), derived.bytes().end()));
  }
  CHECK(keys.size() == 4);
}

TEST_CASE("a customer's key opens only as that customer's, in that archive", "[customer-keys]") {
  const SecretBuffer master = random_secret(32);
  CustomerKeyRing ring(derive_archive_key(master, ArchiveKey::customer_wrap), archive_a);
  const Bytes wrapped7 = ring.make(7, uid(7));
  const Bytes wrapped8 = ring.make(8, uid(8));
  CHECK(wrapped7.size() == k_wrapped_customer_key_size);
  CHECK(ring.size() == 2);
  CHECK(!std::equal(ring.key(7).begin(), ring.key(7).end(), ring.key(8).begin()));
  CHECK_THROWS_AS(ring.make(7, uid(7)), Error);

  // Another session with the same master secret opens the wrapped key: the
  // same key, so what one sealed the other opens.
  CustomerKeyRing later(derive_archive_key(master, ArchiveKey::customer_wrap), archive_a);
  later.unwrap(7, uid(7), wrapped7);
  const Bytes row = uid(70);
  const SealedValuePlace place{"kaappi-field-v2", archive_a, "consent_events", "event", row};
  CHECK(open_value(later.key(7), place, seal_value(ring.key(7), place, "granted")) == "granted");
  CHECK_THROWS_WITH(later.key(8), Catch::Contains("no key is held for customer row 8"));

  // Copied to another customer, altered, cut short, from another archive or
  // under another master secret: it does not open, and nothing is held.
  CHECK_THROWS_WITH(later.unwrap(8, uid(8), wrapped7), Catch::Contains("key of customer row 8 does not open"));
  Bytes altered = wrapped8;
  altered[30] ^= 1;
  CHECK_THROWS_AS(later.unwrap(8, uid(8), altered), Error);
  CHECK_THROWS_WITH(later.unwrap(8, uid(8), Bytes(wrapped8.begin(), wrapped8.end() - 1)), Catch::Contains("wrong size"));
  CustomerKeyRing other_archive(derive_archive_key(master, ArchiveKey::customer_wrap), archive_b);
  CHECK_THROWS_AS(other_archive.unwrap(8, uid(8), wrapped8), Error);
  CustomerKeyRing other_master(derive_archive_key(random_secret(32), ArchiveKey::customer_wrap), archive_a);
  CHECK_THROWS_AS(other_master.unwrap(8, uid(8), wrapped8), Error);
  CHECK(!later.holds(8));
  later.unwrap(8, uid(8), wrapped8);
  CHECK(later.holds(8));
}

TEST_CASE("customer ids of every size are held apart, and a dropped key is forgotten", "[customer-keys]") {
  CustomerKeyRing ring(derive_archive_key(random_secret(32), ArchiveKey::customer_wrap), archive_a);
  // Small ids (a table by id), ids past it and ones no writer makes (a map).
  const std::int64_t ids[] = {1, 2, 5000, (std::int64_t{1} << 22) - 1, std::int64_t{1} << 22, std::int64_t{1} << 40, 0, -3};
  std::vector<Bytes> keys;
  for (std::int64_t id : ids) {
    ring.make(id, uid(static_cast<std::uint8_t>(id)));
    keys.emplace_back(ring.key(id).begin(), ring.key(id).end());
  }
  ring.keep_made();
  CHECK(ring.size() == std::size(ids));
  for (std::size_t i = 0; i < std::size(ids); ++i) {
    INFO(ids[i]);
    CHECK(ring.holds(ids[i]));
    CHECK(Bytes(ring.key(ids[i]).begin(), ring.key(ids[i]).end()) == keys[i]);
  }
  CHECK(!ring.holds(3));
  CHECK(!ring.holds((std::int64_t{1} << 40) + 1));
  ring.make(3, uid(3));
  ring.make(std::int64_t{1} << 41, uid(41));
  ring.drop_made();
  CHECK(!ring.holds(3));
  CHECK(!ring.holds(std::int64_t{1} << 41));
  CHECK(ring.size() == std::size(ids));
  CHECK(ring.holds(5000));
}

TEST_CASE("duplicate tags of one content differ between customers, and a document's metadata key is its own",
          "[customer-keys]") {
  const SecretBuffer master = random_secret(32);
  CustomerKeyRing ring(derive_archive_key(master, ArchiveKey::customer_wrap), archive_a);
  ring.make(1, uid(1));
  ring.make(2, uid(2));
  const Bytes content_hash(32, 0x42);
  const SecretBuffer tag1 = ring.tag_key(1), tag2 = ring.tag_key(2);
  const Bytes a = duplicate_tag(tag1.bytes(), content_hash), b = duplicate_tag(tag2.bytes(), content_hash);
  CHECK(a != b);  // two customers' copies of one scan cannot be linked by their tags
  CHECK(duplicate_tag(ring.tag_key(1).bytes(), content_hash) == a);  // but one customer's copies can
  const SecretBuffer unassigned = derive_archive_key(master, ArchiveKey::content_tag);
  CHECK(duplicate_tag(unassigned.bytes(), content_hash) != a);
  // The tag key is not the customer key itself.
  CHECK(!std::equal(tag1.bytes().begin(), tag1.bytes().end(), ring.key(1).begin()));

  const SecretBuffer document_key = random_secret(32);
  const SecretBuffer meta1 = document_metadata_key(document_key), meta2 = document_metadata_key(document_key);
  CHECK(secret_equal(meta1, meta2));
  CHECK(!secret_equal(meta1, document_key));
  CHECK(!secret_equal(meta1, document_metadata_key(random_secret(32))));
}

TEST_CASE("100,000 customer keys are held in a few locked chunks", "[customer-keys]") {
  const SecretBuffer master = random_secret(32);
  CustomerKeyRing ring(derive_archive_key(master, ArchiveKey::customer_wrap), archive_a);
  std::vector<Bytes> wrapped;
  wrapped.reserve(100'000);
  for (std::int64_t id = 1; id <= 100'000; ++id) {
    Bytes u(16, 0);
    for (int i = 0; i < 8; ++i) u[i] = static_cast<std::uint8_t>(id >> (8 * i));
    wrapped.push_back(ring.make(id, u));
  }
  CustomerKeyRing later(derive_archive_key(master, ArchiveKey::customer_wrap), archive_a);
  for (std::int64_t id = 1; id <= 100'000; ++id) {
    Bytes u(16, 0);
    for (int i = 0; i < 8; ++i) u[i] = static_cast<std::uint8_t>(id >> (8 * i));
    later.unwrap(id, u, wrapped[static_cast<std::size_t>(id - 1)]);
  }
  CHECK(later.size() == 100'000);
  CHECK(std::equal(later.key(99'999).begin(), later.key(99'999).end(), ring.key(99'999).begin()));
}
