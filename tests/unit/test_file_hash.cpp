// SHA-256 (libcrypto) and format 2's segmented file hash.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>
#include <string>

#include "base/bytes.h"
#include "base/sha256.h"
#include "format/file_hash.h"

using namespace kaappi;

namespace {

std::string hex(const Sha256Digest& d) { return to_hex(ByteView(d.data(), d.size())); }

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i % 251);
  return b;
}

// The file hash written out from its definition, one segment at a time.
Sha256Digest by_definition(ByteView b) {
  Bytes list;
  for (std::size_t at = 0; at < b.size(); at += k_hash_segment_size) {
    const Sha256Digest h = sha256(b.subspan(at, std::min(k_hash_segment_size, b.size() - at)));
    list.insert(list.end(), h.begin(), h.end());
  }
  Bytes message(13 + 8);
  std::copy_n("kaappi-seg-v2", 13, message.begin());
  for (int i = 0; i < 8; ++i) message[13 + i] = static_cast<std::uint8_t>(std::uint64_t{b.size()} >> (8 * i));
  message.insert(message.end(), list.begin(), list.end());
  return sha256(message);
}

struct TempFile {
  std::string path;
  int fd;
  explicit TempFile(ByteView bytes) {
    char name[] = "/tmp/kaappi-file-hash-XXXXXX";
    fd = ::mkstemp(name);
    path = name;
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
  ~TempFile() {
    ::close(fd);
    ::unlink(path.c_str());
  }
};

}  // namespace

TEST_CASE("SHA-256 gives the published digests", "[sha256]") {
  CHECK(hex(sha256({})) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256(as_bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 running;
  const std::string block(1000, 'a');
  for (int i = 0; i < 1000; ++i) running.add(block);
  CHECK(hex(running.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // finish() starts it again from empty.
  CHECK(hex(running.add(std::string_view("abc")).finish()) == hex(sha256(as_bytes("abc"))));
}

TEST_CASE("SHA-256 fed in pieces equals SHA-256 in one call", "[sha256]") {
  std::mt19937 random(7);
  const Bytes data = pattern(200'000);
  for (int round = 0; round < 20; ++round) {
    Sha256 running;
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t n = std::min<std::size_t>(random() % 9000, data.size() - at);
      running.add(ByteView(data).subspan(at, n));
      at += n;
    }
    CHECK(running.finish() == sha256(data));
  }
}

TEST_CASE("the file hash is the hash of its 1 MiB segments' hashes and its length", "[file-hash]") {
  // Computed with Python's hashlib from docs/FORMAT.md's definition.
  FileHash h;
  CHECK(hex(h.finish()) == "f40179f7d15ae00d67c71df7acac8f4514fe7d670ff1e56a27134eea318359fa");
  h.add(as_bytes("abc"));
  CHECK(hex(h.finish()) == "d86fbb976591c91b4e808a42698f96e0d2212f197a3a03be38a3045f94d24b43");
  h.add(pattern(5 * (std::size_t{1} << 19)));
  CHECK(hex(h.finish()) == "1aa1025fbb4c8577ceede3b64b00e22f314df0ee78ec8840864d9635cfd848b7");
  // Not the plain SHA-256 of the bytes.
  CHECK(hex(sha256(as_bytes("abc"))) != "d86fbb976591c91b4e808a42698f96e0d2212f197a3a03be38a3045f94d24b43");
}

TEST_CASE("the file hash is the same whatever the pieces, at every segment boundary", "[file-hash]") {
  const std::size_t seg = k_hash_segment_size;
  std::mt19937 random(11);
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, seg - 1, seg, seg + 1, 2 * seg, 3 * seg - 7}) {
    const Bytes data = pattern(size);
    const Sha256Digest expected = by_definition(data);
    FileHash whole;
    whole.add(data);
    CHECK(whole.size() == size);
    CHECK(whole.finish() == expected);
    FileHash pieces;
    std::size_t at = 0;
    while (at < size) {
      const std::size_t n = std::min<std::size_t>(1 + random() % (seg / 3), size - at);
      pieces.add(ByteView(data).subspan(at, n));
      at += n;
    }
    CHECK(pieces.finish() == expected);
  }
  // Two inputs of one length that differ in one byte hash differently.
  Bytes a = pattern(seg + 5), b = a;
  b[seg + 2] ^= 1;
  CHECK(by_definition(a) != by_definition(b));
}

TEST_CASE("a file's segments hashed on several threads give the same hash as one pass", "[file-hash]") {
  const std::size_t seg = k_hash_segment_size;
  for (std::size_t size : {std::size_t{0}, std::size_t{10}, seg, 5 * seg + 123}) {
    const Bytes data = pattern(size);
    TempFile file(data);
    for (unsigned threads : {1u, 2u, 4u}) {
      std::uint64_t hashed = 0, last_progress = 0;
      const Sha256Digest h =
          hash_file_segments(file.fd, UINT64_MAX, hashed, threads, [&](std::uint64_t n) { last_progress = n; });
      CHECK(h == by_definition(data));
      CHECK(hashed == size);
      CHECK(last_progress == size);  // the total is reported last, whichever thread hashed what
    }
    // Only the first max_size bytes, when the file is longer.
    if (size > 20) {
      std::uint64_t hashed = 0;
      const std::uint64_t limit = size - 20;
      CHECK(hash_file_segments(file.fd, limit, hashed, 2) == by_definition(ByteView(data).first(limit)));
      CHECK(hashed == limit);
    }
  }
}

TEST_CASE("hashing a file that cannot be read says so", "[file-hash]") {
  std::uint64_t hashed = 0;
  const int fd = ::open("/tmp", O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  // A folder reports a size but cannot be read: an error, not a hash of nothing.
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  if (st.st_size > 0) CHECK_THROWS_WITH(hash_file_segments(fd, UINT64_MAX, hashed, 2), Catch::Contains("could not read"));
  ::close(fd);
  CHECK_THROWS_WITH(hash_file_segments(-1, UINT64_MAX, hashed, 2), Catch::Contains("could not read"));
}
