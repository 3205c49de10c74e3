// test_file_io.cpp — AtomicFile: nothing visible before commit, no overwrite.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/file_io.h"

using namespace kaappi;

TEST_CASE("AtomicFile shows nothing until commit and never overwrites by default", "[file-io]") {
  char t[] = "/tmp/kaappi-io-XXXXXX";
  REQUIRE(::mkdtemp(t));
  std::string dir = t;
  std::string path = dir + "/out";
  {
    AtomicFile f(path, "", 0600, "test");
    f.write(as_bytes("hello"));
    CHECK_FALSE(path_exists(path));
    // destroyed without commit: the temp file goes too
  }
  CHECK_FALSE(path_exists(path));
  {
    AtomicFile f(path, "", 0600, "test");
    f.write(as_bytes("hello"));
    f.commit(Overwrite::no);
  }
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(read_file(path, 100) == Bytes{'h', 'e', 'l', 'l', 'o'});
  {
    AtomicFile f(path, "", 0600, "test");
    f.write(as_bytes("other"));
    CHECK_THROWS_WITH(f.commit(Overwrite::no), Catch::Contains("already exists"));
  }
  CHECK(read_file(path, 100) == Bytes{'h', 'e', 'l', 'l', 'o'});
  write_file_atomic(path, as_bytes("new"), 0600, Overwrite::yes, "test");
  CHECK(read_file(path, 100) == Bytes{'n', 'e', 'w'});
  if (std::system(("rm -rf " + dir).c_str()) != 0) {
  }
}
