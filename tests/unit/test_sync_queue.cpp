// test_sync_queue.cpp — SyncQueue: every task runs, errors come back per
// task in the order added, wait() starts a new round; AtomicFile::unnamed:
// nothing shows in any folder until placed, and placing never replaces.
#include <dirent.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "base/error.h"
#include "base/file_io.h"
#include "base/sync_queue.h"

using namespace kaappi;

namespace {
size_t entries(const std::string& dir) {
  size_t n = 0;
  DIR* d = ::opendir(dir.c_str());
  while (dirent* e = ::readdir(d))
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
  ::closedir(d);
  return n;
}
std::string text_of(const std::string& path) {
  Bytes b = read_file(path, 100);
  return std::string(b.begin(), b.end());
}
}  // namespace

TEST_CASE("SyncQueue runs every task beside the caller and reports each one's error in order", "[sync-queue]") {
  SyncQueue queue(3);
  std::atomic<int> ran{0}, running{0}, most{0};
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 6; ++i)
      queue.add([&, i] {
        int now = ++running;
        for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --running;
        ++ran;
        if (i == 2 || i == 4) fail(ErrorKind::io, "task " + std::to_string(i) + " failed");
      });
    std::vector<std::exception_ptr> errors = queue.wait();
    REQUIRE(errors.size() == 6);  // this round's tasks only
    for (int i = 0; i < 6; ++i) CHECK(static_cast<bool>(errors[i]) == (i == 2 || i == 4));
    try {
      std::rethrow_exception(errors[4]);
    } catch (const Error& e) {
      CHECK(std::string(e.what()) == "task 4 failed");
    }
  }
  CHECK(ran == 12);
  CHECK(most > 1);     // side by side
  CHECK(most <= 3);    // never more threads than asked for
  CHECK(queue.wait().empty());
}

TEST_CASE("An unnamed AtomicFile shows nowhere until placed, and placing never replaces a file", "[file-io]") {
  char t[] = "/tmp/kaappi-unnamed-XXXXXX";
  REQUIRE(::mkdtemp(t));
  const std::string root = t;
  Dir dir = Dir::open(root);
  Dir temp = dir.sub("tmp", Create::yes);
  Dir out = dir.sub("out", Create::yes);
  {
    std::unique_ptr<AtomicFile> gone = AtomicFile::unnamed(temp, 0600, "test");
    if (!gone) {
      WARN("this file system has no unnamed files");
      return;
    }
    gone->write(as_bytes(std::string_view("dropped")));
  }
  CHECK(entries(root + "/tmp") == 0);
  std::unique_ptr<AtomicFile> file = AtomicFile::unnamed(temp, 0600, "test");
  file->write(as_bytes(std::string_view("kept")));
  CHECK(entries(root + "/tmp") == 0);
  CHECK_THROWS(file->place(out, "a"));  // not before its fsync
  std::thread([&] { file->sync(); }).join();  // another thread may sync it
  file->place(out, "a");
  CHECK(file->in_place());
  CHECK(text_of(root + "/out/a") == "kept");
  std::unique_ptr<AtomicFile> second = AtomicFile::unnamed(temp, 0600, "test");
  second->write(as_bytes(std::string_view("other")));
  second->sync();
  CHECK_THROWS_AS(second->place(out, "a"), Error);
  CHECK(text_of(root + "/out/a") == "kept");
  CHECK(entries(root + "/tmp") == 0);
  ::unlink((root + "/out/a").c_str());
  ::rmdir((root + "/out").c_str());
  ::rmdir((root + "/tmp").c_str());
  ::rmdir(root.c_str());
}
