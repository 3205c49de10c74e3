// temp_index.cpp — see temp_index.h.
#include "support/temp_index.h"

#include <sodium.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>

namespace kaappi::test {

TempIndex::TempIndex() {
  char t[] = "/tmp/kaappi-index-XXXXXX";
  REQUIRE(::mkdtemp(t));
  dir = t;
  path = dir + "/index.sqlite";
  crypto_sign_keypair(pk.data(), sk.data());
  row.archive_id = random_bytes(16);
  row.box_pk = random_bytes(32);
  row.sign_pk = pk;
  row.created_at = 1;
  keys = LooseKeys::for_signing(pk, sk);
  Index::create(path, row, keys, 1);
}

TempIndex::~TempIndex() {
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace kaappi::test
