// test_open_for_writing.cpp — whether some process still holds a file open
// for writing (base/open_for_writing): yes while any writable descriptor is
// open, in this process or another, no once all are closed.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "base/open_for_writing.h"

using kaappi::open_for_writing;
using kaappi::OpenForWriting;

namespace {

struct TempFile {
  std::string path;
  TempFile() {
    char name[] = "/tmp/kaappi-open-for-writing-XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
  }
  ~TempFile() { ::unlink(path.c_str()); }
};

}  // namespace

TEST_CASE("open_for_writing: yes while a writable descriptor is open, no once it is closed", "[open_for_writing]") {
  TempFile file;
  int reader = ::open(file.path.c_str(), O_RDONLY);
  REQUIRE(reader >= 0);
  CHECK(open_for_writing(reader) == OpenForWriting::no);
  for (int flags : {O_WRONLY, O_RDWR, O_WRONLY | O_APPEND}) {
    int writer = ::open(file.path.c_str(), flags);
    REQUIRE(writer >= 0);
    CHECK(::write(writer, "x", 1) == 1);
    CHECK(open_for_writing(reader) == OpenForWriting::yes);
    CHECK(open_for_writing(reader) == OpenForWriting::yes);  // asking again changes nothing
    ::close(writer);
    CHECK(open_for_writing(reader) == OpenForWriting::no);
  }
  ::close(reader);
}

TEST_CASE("open_for_writing: a writer in another process that opened the file first counts", "[open_for_writing]") {
  TempFile file;
  int ready[2], done[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(done) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // holds the file open for writing until told to stop
    int writer = ::open(file.path.c_str(), O_WRONLY);
    char c = writer >= 0 ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    (void)!::read(done[0], &c, 1);
    ::_exit(0);
  }
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  REQUIRE(c == 'y');
  int reader = ::open(file.path.c_str(), O_RDONLY);
  REQUIRE(reader >= 0);
  CHECK(open_for_writing(reader) == OpenForWriting::yes);
  CHECK(::write(done[1], "x", 1) == 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(open_for_writing(reader) == OpenForWriting::no);
  for (int fd : {reader, ready[0], ready[1], done[0], done[1]}) ::close(fd);
}
