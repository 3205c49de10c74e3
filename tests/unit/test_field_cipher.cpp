// test_field_cipher.cpp — sealed fields bound to their row, blind indexes.
#include <sodium.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "keys/field_cipher.h"

using namespace kaappi;

TEST_CASE("sealed fields open only in their own table, column and row", "[field-cipher]") {
  SecretBuffer master(32);
  randombytes_buf(master.data(), 32);
  FieldCipher c(master, random_bytes(16));
  Bytes row1 = random_bytes(16), row2 = random_bytes(16);
  Bytes sealed = c.seal("customers", "name", row1, "Åsa Öberg");
  CHECK(c.open("customers", "name", row1, sealed) == "Åsa Öberg");
  CHECK_THROWS_AS(c.open("customers", "name", row2, sealed), Error);
  CHECK_THROWS_AS(c.open("customers", "email", row1, sealed), Error);
  FieldCipher other_archive(master, random_bytes(16));
  CHECK_THROWS_AS(other_archive.open("customers", "name", row1, sealed), Error);
  // Padding hides short lengths: names of 1 and 20 bytes seal to the same size.
  CHECK(c.seal("t", "c", row1, "A").size() == c.seal("t", "c", row1, "Abcdefghijklmnopqrst").size());
  CHECK(c.seal("t", "c", row1, "").size() > 0);
  CHECK(c.open("t", "c", row1, c.seal("t", "c", row1, "")) == "");
}

TEST_CASE("blind indexes are deterministic per key and domain", "[field-cipher]") {
  SecretBuffer m1(32), m2(32);
  randombytes_buf(m1.data(), 32);
  randombytes_buf(m2.data(), 32);
  Bytes id = random_bytes(16);
  FieldCipher a(m1, id), b(m2, id);
  CHECK(a.blind_index("n", "1001") == a.blind_index("n", "1001"));
  CHECK(a.blind_index("n", "1001") != a.blind_index("n", "1002"));
  CHECK(a.blind_index("n", "1001") != a.blind_index("m", "1001"));
  CHECK(a.blind_index("n", "1001") != b.blind_index("n", "1001"));
  CHECK(a.content_tag(random_bytes(32)).size() == 32);
}
