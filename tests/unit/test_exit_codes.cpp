// test_exit_codes.cpp — the exit codes are what PRODUCT.md and README promise.
#include <catch2/catch.hpp>

#include "base/exit_codes.h"

using namespace kaappi;

TEST_CASE("each exit code is the number the product promises", "[exit-codes]") {
  CHECK(exit_code::k_ok == 0);
  CHECK(exit_code::k_problems == 1);
  CHECK(exit_code::k_usage == 2);
  CHECK(exit_code::k_auth == 3);
  CHECK(exit_code::k_rejected == 4);
  CHECK(exit_code::k_not_found == 5);
  CHECK(exit_code::k_partial == 6);
  CHECK(exit_code::k_needs_upgrade == 7);
  CHECK(exit_code::k_internal == 70);
}

TEST_CASE("each error kind has its exit code", "[exit-codes]") {
  CHECK(exit_code_for(ErrorKind::usage) == 2);
  CHECK(exit_code_for(ErrorKind::auth) == 3);
  CHECK(exit_code_for(ErrorKind::rejected) == 4);
  CHECK(exit_code_for(ErrorKind::not_found) == 5);
  CHECK(exit_code_for(ErrorKind::corrupt) == 1);
  CHECK(exit_code_for(ErrorKind::io) == 70);
  CHECK(exit_code_for(ErrorKind::internal) == 70);
}

TEST_CASE("a command over many items exits by one rule: all done 0, some 6, none the worst reason", "[exit-codes]") {
  using R = ItemResult;
  CHECK(exit_code_for_items({}, 0) == 0);
  CHECK(exit_code_for_items({R::done, R::done}, 0) == 0);
  CHECK(exit_code_for_items({R::done, R::rejected}, 0) == 6);
  CHECK(exit_code_for_items({R::not_found, R::done}, 0) == 6);
  CHECK(exit_code_for_items({R::done, R::failed, R::rejected}, 0) == 6);
  CHECK(exit_code_for_items({R::done, R::done_in_part}, 0) == 6);  // a sealed scan still where it was
  CHECK(exit_code_for_items({R::done_in_part}, 0) == 6);
  CHECK(exit_code_for_items({R::done_in_part, R::rejected}, 0) == 6);
  CHECK(exit_code_for_items({R::rejected, R::rejected}, 0) == 4);
  CHECK(exit_code_for_items({R::rejected, R::not_found}, 0) == 5);
  CHECK(exit_code_for_items({R::not_found, R::failed, R::rejected}, 0) == 70);
  // Failed by an error of another kind than I/O (the one that stopped the run): its code when none was done.
  CHECK(exit_code_for_items({R::failed, R::failed}, 0, ErrorKind::corrupt) == 1);
  CHECK(exit_code_for_items({R::done, R::failed}, 0, ErrorKind::corrupt) == 6);
  // Waiting (an envelope still being written, left for later) counts neither way.
  CHECK(exit_code_for_items({R::waiting}, 0) == 0);
  CHECK(exit_code_for_items({R::done, R::waiting}, 0) == 0);
  CHECK(exit_code_for_items({R::waiting, R::rejected}, 0) == 4);
  CHECK(exit_code_for_items({R::done, R::waiting, R::rejected}, 0) == 6);
  // Stopped by a signal before some: 128 + the signal, whatever the others were.
  CHECK(exit_code_for_items({R::done, R::not_started}, 15) == 143);
  CHECK(exit_code_for_items({R::rejected, R::not_started}, 2) == 130);
}
