// test_file_io.cpp — AtomicFile: nothing visible before commit, no overwrite;
// Dir: never through a link where a folder belongs.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/file_io.h"
#include "base/file_version.h"

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

namespace {
std::string temp_folder() {
  char t[] = "/tmp/kaappi-io-XXXXXX";
  REQUIRE(::mkdtemp(t));
  return t;
}
size_t entries(const std::string& dir) {
  size_t n = 0;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) n += std::string(e->d_name) != "." && std::string(e->d_name) != "..";
    ::closedir(d);
  }
  return n;
}
}  // namespace

TEST_CASE("Dir and make_dir refuse a symbolic link where a folder belongs, naming it, nothing is written", "[file-io]") {
  std::string root = temp_folder();
  std::string target = root + "/target";
  REQUIRE(::mkdir(target.c_str(), 0700) == 0);
  REQUIRE(::symlink(target.c_str(), (root + "/link").c_str()) == 0);
  REQUIRE(::close(::open((root + "/file").c_str(), O_WRONLY | O_CREAT, 0600)) == 0);
  auto refused = [&](auto&& f, const std::string& named, const std::string& why) {
    try {
      f();
      FAIL("not refused");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::rejected);
      CHECK_THAT(e.what(), Catch::Contains(named) && Catch::Contains(why));
    }
  };
  for (Create create : {Create::no, Create::yes}) {
    refused([&] { Dir::open(root + "/link", create); }, root + "/link", "symbolic link");
    refused([&] { Dir::open(root + "/link/", create); }, root + "/link", "symbolic link");
    refused([&] { Dir::named(root).sub("link", create); }, root + "/link", "symbolic link");
    refused([&] { Dir::open(root + "/file", create); }, root + "/file", "not a folder");
  }
  refused([&] { make_dir(root + "/link", 0700); }, root + "/link", "symbolic link");
  refused([&] { make_dirs(root + "/link", 0700); }, root + "/link", "symbolic link");
  CHECK(entries(target) == 0);
  // Earlier components are the user's and are followed; made folders are real.
  Dir made = Dir::open(root + "/link/made", Create::yes);
  CHECK(made.path() == root + "/link/made");
  make_dirs(root + "/a/b/c", 0700);
  struct stat st {};
  REQUIRE(::lstat((root + "/a/b/c").c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
  CHECK(Dir::named(root + "/link").path() == root + "/link");  // a folder the user named: followed
  try {
    Dir::open(root + "/missing");
    FAIL("opened a missing folder");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::not_found);
  }
}

TEST_CASE("A held Dir keeps writing, moving and removing in its own folder when a link is planted later", "[file-io]") {
  std::string root = temp_folder();
  std::string target = root + "/target";
  REQUIRE(::mkdir(target.c_str(), 0700) == 0);
  Dir inbox = Dir::open(root + "/inbox", Create::yes);
  Dir rejected = inbox.sub("rejected", Create::yes);
  REQUIRE(::close(::open((root + "/inbox/x.kenv").c_str(), O_WRONLY | O_CREAT, 0600)) == 0);
  // Someone swaps rejected/ for a link after it was opened.
  REQUIRE(::rename((root + "/inbox/rejected").c_str(), (root + "/moved").c_str()) == 0);
  REQUIRE(::symlink(target.c_str(), (root + "/inbox/rejected").c_str()) == 0);
  write_file_atomic(rejected, "x.kenv.reason", as_bytes("why\n"), 0644, Overwrite::yes, "test");
  CHECK(inbox.move("x.kenv", rejected, "x.kenv", Overwrite::no));
  CHECK_FALSE(inbox.has("x.kenv"));
  CHECK(entries(target) == 0);
  CHECK(entries(root + "/moved") == 2);
  // A link planted as a file is not opened through either.
  REQUIRE(::symlink((target + "/secret").c_str(), (root + "/moved/link").c_str()) == 0);
  CHECK_FALSE(rejected.open_file("link", O_WRONLY | O_CREAT).valid());
  CHECK(entries(target) == 0);
  CHECK(rejected.remove("x.kenv"));
  CHECK_FALSE(rejected.remove("x.kenv"));
  // Moving onto a taken name without Overwrite::yes is refused.
  write_file_atomic(rejected, "a", as_bytes("1"), 0600, Overwrite::no, "test");
  write_file_atomic(rejected, "b", as_bytes("2"), 0600, Overwrite::no, "test");
  CHECK_FALSE(rejected.move("a", rejected, "b", Overwrite::no));
  Bytes b = read_file(root + "/moved/b", 10);
  CHECK(std::string(b.begin(), b.end()) == "2");
}

TEST_CASE("a file modified within the last seconds, or a little ahead of our clock, was modified recently, and one far "
          "ahead was not",
          "[file_io]") {
  FileVersion v;
  const std::int64_t now = 1'800'000'000;
  auto at = [&](std::int64_t t) {
    v.mtime.tv_sec = static_cast<time_t>(t);
    return modified_within(v, now, 60);
  };
  CHECK(at(now));
  CHECK(at(now - 59));
  CHECK_FALSE(at(now - 60));
  CHECK_FALSE(at(now - 3600));
  CHECK(at(now + 60));        // a writer's clock a minute ahead
  CHECK_FALSE(at(now + 61));  // further ahead: set, not written
  CHECK_FALSE(at(now + std::int64_t{86400} * 365 * 70));
}
