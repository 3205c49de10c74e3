// temp_index.h — a fresh signed index in a temp folder (removed at the end),
// made with a signing key of its own and no archive folder or key file: for
// tests of the index itself and of its layouts. Not thread-safe.
#pragma once

#include <string>

#include "base/bytes.h"
#include "base/secret.h"
#include "store/index.h"
#include "support/loose_keys.h"

namespace kaappi::test {

struct TempIndex {
  TempIndex();
  ~TempIndex();
  TempIndex(const TempIndex&) = delete;
  TempIndex& operator=(const TempIndex&) = delete;

  std::string dir, path;  // the temp folder, and index.sqlite in it
  Bytes pk = Bytes(32);   // the signing key pair the index was made with
  SecretBuffer sk = SecretBuffer(64);
  LooseKeys keys;         // signing with sk
  ArchiveRow row;         // the archive row it was made with
};

}  // namespace kaappi::test
