// test_rejected_folder.cpp — base/rejected_folder: nothing in rejected/ is
// ever replaced, even when every name is taken; a rejected/ of ours that
// others could change is made private; what is not a folder is named as what
// it is (base/file_kind).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/file_io.h"
#include "base/rejected_folder.h"

using namespace kaappi;

namespace {

struct TempFolder {
  std::string path;
  TempFolder() {
    char t[] = "/tmp/kaappi-rejected-XXXXXX";
    REQUIRE(::mkdtemp(t));
    path = t;
  }
  ~TempFolder() { std::system(("rm -rf '" + path + "'").c_str()); }
};

void put(const std::string& path, const std::string& text) {
  write_file_atomic(path, as_bytes(text), 0600, Overwrite::yes, "test");
}

std::string text_of(const std::string& path) {
  Bytes b = read_file(path, 1 << 20);
  return std::string(b.begin(), b.end());
}

size_t entries(const std::string& dir) {
  size_t n = 0;
  DIR* d = ::opendir(dir.c_str());
  REQUIRE(d);
  while (dirent* e = ::readdir(d))
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
  ::closedir(d);
  return n;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("set_aside numbers a taken name and, when all 999 are taken, writes and replaces nothing",
          "[file-io][rejected]") {
  TempFolder t;
  const std::string rejected = t.path + "/rejected";
  REQUIRE(::mkdir(rejected.c_str(), 0700) == 0);
  put(t.path + "/scan.pdf", "the scan");
  put(rejected + "/scan.pdf", "an earlier scan");
  put(rejected + "/scan.pdf.reason", "an earlier reason\n");
  CHECK(move_to_rejected(Dir::open(t.path), "scan.pdf", "not a PDF") == "2-scan.pdf");
  CHECK(text_of(rejected + "/2-scan.pdf") == "the scan");
  CHECK(text_of(rejected + "/2-scan.pdf.reason") == "not a PDF\n");
  CHECK(text_of(rejected + "/scan.pdf.reason") == "an earlier reason\n");

  // A name is taken by either file: 3-NAME by its reason alone.
  put(rejected + "/3-scan.pdf.reason", "a reason whose file went\n");
  put(t.path + "/scan.pdf", "the next scan");
  CHECK(move_to_rejected(Dir::open(t.path), "scan.pdf", "still not a PDF") == "4-scan.pdf");

  // Every name up to 999-scan.pdf taken.
  for (int n = 5; n <= 999; ++n) {
    put(rejected + "/" + std::to_string(n) + "-scan.pdf", "scan " + std::to_string(n));
    put(rejected + "/" + std::to_string(n) + "-scan.pdf.reason", "reason " + std::to_string(n) + "\n");
  }
  put(t.path + "/scan.pdf", "one scan too many");
  const size_t before = entries(rejected);
  try {
    move_to_rejected(Dir::open(t.path), "scan.pdf", "the last straw");
    FAIL("set aside with no free name");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::rejected);
    CHECK(std::string(e.what()) == rejected + " has no free name left for scan.pdf (scan.pdf and 2-scan.pdf to "
                                              "999-scan.pdf are taken)");
  }
  CHECK(text_of(t.path + "/scan.pdf") == "one scan too many");  // left where it was
  CHECK(entries(rejected) == before);
  CHECK(text_of(rejected + "/999-scan.pdf.reason") == "reason 999\n");  // never replaced, never removed
  CHECK(text_of(rejected + "/999-scan.pdf") == "scan 999");
}

TEST_CASE("a rejected/ of ours that others may read or write is made private before anything is set aside",
          "[file-io][rejected]") {
  const mode_t given = GENERATE(mode_t{0777}, mode_t{0775}, mode_t{0750}, mode_t{01777});
  INFO("rejected/ was " << std::oct << given);
  TempFolder t;
  const std::string rejected = t.path + "/rejected";
  REQUIRE(::mkdir(rejected.c_str(), 0700) == 0);
  REQUIRE(::chmod(rejected.c_str(), given) == 0);
  put(t.path + "/scan.pdf", "the scan");
  CHECK(move_to_rejected(Dir::open(t.path), "scan.pdf", "not a PDF") == "scan.pdf");
  CHECK(mode_of(rejected) == 0700);
  CHECK(text_of(rejected + "/scan.pdf") == "the scan");

  // One that is already private stays as it is.
  put(t.path + "/next.pdf", "the next scan");
  CHECK(move_to_rejected(Dir::open(t.path), "next.pdf", "not a PDF") == "next.pdf");
  CHECK(mode_of(rejected) == 0700);
}

TEST_CASE("a rejected/ that is not a folder is refused, saying what it is, and nothing is moved",
          "[file-io][rejected]") {
  TempFolder t;
  const std::string rejected = t.path + "/rejected";
  std::string says;
  SECTION("a file") {
    put(rejected, "a file");
    says = rejected + " is a regular file, not a folder (nothing was written)";
  }
  SECTION("a FIFO") {
    REQUIRE(::mkfifo(rejected.c_str(), 0600) == 0);
    says = rejected + " is a FIFO, not a folder (nothing was written)";
  }
  SECTION("a symbolic link to a folder") {
    REQUIRE(::mkdir((t.path + "/elsewhere").c_str(), 0700) == 0);
    REQUIRE(::symlink("elsewhere", rejected.c_str()) == 0);
    says = rejected + " is a symbolic link where a folder belongs; kaappi never follows one there";
  }
  put(t.path + "/scan.pdf", "the scan");
  try {
    move_to_rejected(Dir::open(t.path), "scan.pdf", "not a PDF");
    FAIL("set aside into " << rejected);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::rejected);
    CHECK_THAT(e.what(), Catch::StartsWith(says));
  }
  CHECK(text_of(t.path + "/scan.pdf") == "the scan");
  if (path_exists(t.path + "/elsewhere")) CHECK(entries(t.path + "/elsewhere") == 0);
}
