// test_blob_format.cpp — blob writing (public key only) and reading.
#include <fcntl.h>
#include <sys/mman.h>
#include <sodium.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/loose_keys.h"
#include "format/blob_format.h"
#include "keys/blob_reader.h"
#include "base/error.h"
#include "keys/key_file.h"

#include <random>

using namespace kaappi;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/kaappi-unit-XXXXXX";
    REQUIRE(::mkdtemp(t));
    path = t;
  }
  ~TempDir() {
    if (std::system(("rm -rf " + path).c_str()) != 0) {
    }
  }
};

Fd memfile(const Bytes& data) {
  int fd = ::memfd_create("plain", 0);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  ::lseek(fd, 0, SEEK_SET);
  return Fd(fd);
}

Bytes read_all(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY));
  Bytes out(1 << 22);
  out.resize(read_full(fd.get(), out.data(), out.size(), path));
  return out;
}

void write_all(const std::string& path, const Bytes& data) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CREAT, 0600));
  write_full(fd.get(), data.data(), data.size(), path);
}

// A blob of `plain` written to `path` as kaappi writes one.
BlobDigest write_test_blob(const std::string& path, const Bytes& plain, const Bytes& archive_id, const Bytes& uid,
                           const SecretBuffer& key) {
  AtomicFile out(path, "", 0600, "test");
  Fd in = memfile(plain);
  BlobDigest written = write_blob(in.get(), out, archive_id, uid, key, 1 << 30);
  out.commit(Overwrite::no);
  return written;
}

}  // namespace

TEST_CASE("blobs round-trip at chunk boundaries and detect every kind of tampering", "[blob]") {
  TempDir dir;
  unsigned char pk[32], sk[32];
  crypto_box_keypair(pk, sk);
  Bytes box_pk(pk, pk + 32);
  SecretBuffer box_sk(32);
  std::copy(sk, sk + 32, box_sk.data());
  Bytes archive_id = random_bytes(16), uid = random_bytes(16);

  size_t size = GENERATE(size_t{1}, size_t{65535}, size_t{65536}, size_t{65537}, size_t{3 * 65536}, size_t{200000},
                         size_t{15 * 65536}, size_t{16 * 65536 + 1}, size_t{40 * 65536 + 7});  // one batch and several
  Bytes plain = random_bytes(size);
  SecretBuffer key = new_document_key();
  Bytes sealed = seal_document_key(key, box_pk);
  std::string path = dir.path + "/b.blob";
  const BlobDigest written = write_test_blob(path, plain, archive_id, uid, key);
  CHECK(written.plain_size == size);
  Bytes blob = read_all(path);
  CHECK(blob.size() == written.blob_size);

  SecretBuffer opened = open_document_key(test::LooseKeys::for_opening(box_pk, box_sk), sealed);
  auto read_back = [&](Bytes& out) {
    Fd fd(::open(path.c_str(), O_RDONLY));
    return read_blob(fd.get(), archive_id, uid, opened, [&](ByteView p) { out.insert(out.end(), p.begin(), p.end()); });
  };
  Bytes out;
  BlobDigest d = read_back(out);
  CHECK(out == plain);
  CHECK(d.blob_hash == written.blob_hash);
  CHECK(d.content_hash == written.content_hash);

  auto expect_corrupt = [&](const Bytes& tampered) {
    write_all(path, tampered);
    Bytes ignored;
    CHECK_THROWS_AS(read_back(ignored), Error);
    write_all(path, blob);
  };
  Bytes flipped = blob;
  flipped[flipped.size() - 5] ^= 1;
  expect_corrupt(flipped);
  expect_corrupt(Bytes(blob.begin(), blob.end() - 1));
  Bytes appended = blob;
  appended.push_back(0);
  expect_corrupt(appended);
  if (size > 65536) expect_corrupt(Bytes(blob.begin(), blob.begin() + 68 + 65536 + 17));  // cut at a chunk boundary
  {
    Fd fd(::open(path.c_str(), O_RDONLY));
    Bytes ignored;
    CHECK_THROWS_WITH(read_blob(fd.get(), random_bytes(16), uid, opened, [](ByteView) {}),
                      Catch::Contains("another archive"));
  }
  {
    Fd fd(::open(path.c_str(), O_RDONLY));
    CHECK_THROWS_WITH(read_blob(fd.get(), archive_id, random_bytes(16), opened, [](ByteView) {}),
                      Catch::Contains("another document"));
  }
}

TEST_CASE("verify --full's reading of a large blob on two cores agrees with read_blob, on every kind of damage",
          "[blob]") {
  TempDir dir;
  Bytes archive_id = random_bytes(16), uid = random_bytes(16);
  // Past authenticate_blob's threshold for two cores, with a short last chunk.
  const size_t size = GENERATE(size_t{20} << 20, (size_t{17} << 20) + 12345);
  Bytes plain = random_bytes(size);
  SecretBuffer key = new_document_key();
  std::string path = dir.path + "/big.blob";
  const BlobDigest written = write_test_blob(path, plain, archive_id, uid, key);
  const Bytes blob = read_all(path);
  auto in_order = [&] {
    Fd fd(::open(path.c_str(), O_RDONLY));
    return read_blob(fd.get(), archive_id, uid, key, {}, {}, AlsoFormat1::no, ContentHash::no);
  };
  auto parallel = [&] {
    Fd fd(::open(path.c_str(), O_RDONLY));
    return authenticate_blob(fd.get(), archive_id, uid, key);
  };
  auto unhashed = [&] {
    Fd fd(::open(path.c_str(), O_RDONLY));
    return authenticate_blob(fd.get(), archive_id, uid, key, {}, BlobHash::no);
  };
  std::optional<BlobDigest> on_two_cores;
  {
    Fd fd(::open(path.c_str(), O_RDONLY));
    on_two_cores = authenticate_blob_on_two_cores(fd.get(), archive_id, uid, key);
  }
  REQUIRE(on_two_cores);  // the fast path itself accepts a sound blob
  CHECK(on_two_cores->blob_hash == written.blob_hash);
  CHECK(on_two_cores->plain_size == size);
  BlobDigest d = parallel();
  CHECK(d.blob_hash == written.blob_hash);
  CHECK(d.blob_size == written.blob_size);
  CHECK(d.plain_size == size);

  auto message_of = [](const std::function<BlobDigest()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const size_t chunk = 65536 + 17, chunks = (blob.size() - 68 + chunk - 1) / chunk;
  auto at_chunk = [&](size_t c) { return 68 + c * chunk; };
  auto expect_same_refusal = [&](const Bytes& tampered) {
    write_all(path, tampered);
    const std::string expected = message_of(in_order);
    CHECK(expected != "no error");
    CHECK(message_of(parallel) == expected);
    CHECK(message_of(unhashed) == expected);
    Fd fd(::open(path.c_str(), O_RDONLY));
    CHECK_FALSE(authenticate_blob_on_two_cores(fd.get(), archive_id, uid, key));  // never accepts what read_blob refuses
    write_all(path, blob);
  };
  SECTION("a ciphertext byte of the second half") {
    Bytes b = blob;
    b[at_chunk(chunks - 3) + 100] ^= 1;
    expect_same_refusal(b);
  }
  SECTION("a MAC of the first half, which the second half's state is made from") {
    Bytes b = blob;
    b[at_chunk(5) + chunk - 16] ^= 1;
    expect_same_refusal(b);
  }
  SECTION("two chunks of the second half swapped") {
    Bytes b = blob;
    std::swap_ranges(b.begin() + static_cast<long>(at_chunk(chunks - 4)), b.begin() + static_cast<long>(at_chunk(chunks - 3)),
                     b.begin() + static_cast<long>(at_chunk(chunks - 3)));
    expect_same_refusal(b);
  }
  SECTION("cut at a chunk boundary, cut inside a chunk, a byte added") {
    expect_same_refusal(Bytes(blob.begin(), blob.begin() + static_cast<long>(at_chunk(chunks - 2))));
    expect_same_refusal(Bytes(blob.begin(), blob.end() - 100));
    Bytes b = blob;
    b.push_back(0);
    expect_same_refusal(b);
  }
  SECTION("another document's or archive's header") {
    Fd fd(::open(path.c_str(), O_RDONLY));
    CHECK_THROWS_WITH(authenticate_blob(fd.get(), archive_id, random_bytes(16), key), Catch::Contains("another document"));
    CHECK_THROWS_WITH(authenticate_blob(fd.get(), random_bytes(16), uid, key), Catch::Contains("another archive"));
  }
  SECTION("the wrong key") {
    SecretBuffer other = new_document_key();
    Fd fd(::open(path.c_str(), O_RDONLY));
    CHECK_THROWS_AS(authenticate_blob(fd.get(), archive_id, uid, other), Error);
  }
}

TEST_CASE("verify --full's unhashed reading of a blob accepts exactly what read_blob accepts, at every size",
          "[blob]") {
  TempDir dir;
  Bytes archive_id = random_bytes(16), uid = random_bytes(16);
  // Empty, inside one chunk, one full chunk, one byte into the second, under
  // two batches (one thread), and past them (two threads).
  const size_t size = GENERATE(size_t{0}, size_t{100}, size_t{65536}, size_t{65537}, (size_t{1} << 20) + 5,
                               (size_t{3} << 20) + 777);
  Bytes plain = random_bytes(size);
  SecretBuffer key = new_document_key();
  std::string path = dir.path + "/b.blob";
  const BlobDigest written = write_test_blob(path, plain, archive_id, uid, key);
  const Bytes blob = read_all(path);
  auto message_of = [&](bool hashed) {
    Fd fd(::open(path.c_str(), O_RDONLY));
    try {
      if (hashed)
        read_blob(fd.get(), archive_id, uid, key, {}, {}, AlsoFormat1::no, ContentHash::no);
      else
        authenticate_blob(fd.get(), archive_id, uid, key, {}, BlobHash::no);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  {
    Fd fd(::open(path.c_str(), O_RDONLY));
    std::uint64_t reported = 0;
    BlobDigest d = authenticate_blob(fd.get(), archive_id, uid, key, [&](std::uint64_t n) { reported = n; }, BlobHash::no);
    CHECK(d.blob_hash.empty());  // not hashed, and not claimed to be
    CHECK(d.blob_size == written.blob_size);
    CHECK(d.plain_size == size);
    CHECK(reported == written.blob_size);
  }
  const size_t chunk = 65536 + 17, chunks = (blob.size() - 68 + chunk - 1) / chunk;
  std::vector<Bytes> damaged;
  for (size_t c : {size_t{0}, chunks / 2, chunks - 1}) {
    Bytes b = blob;
    b[68 + c * chunk + std::min<size_t>(5, blob.size() - 69 - c * chunk)] ^= 1;  // a byte of chunk c
    damaged.push_back(b);
  }
  damaged.emplace_back(blob.begin(), blob.end() - 1);
  damaged.emplace_back(blob.begin(), blob.begin() + 67);
  if (chunks > 1) damaged.emplace_back(blob.begin(), blob.begin() + 68 + static_cast<long>((chunks - 1) * chunk));
  Bytes appended = blob;
  appended.push_back(0);
  damaged.push_back(appended);
  for (const Bytes& b : damaged) {
    write_all(path, b);
    const std::string expected = message_of(true);
    CHECK(expected != "no error");
    CHECK(message_of(false) == expected);
  }
}

TEST_CASE("read_blob reads a blob inside a larger file (an envelope's) and copies exactly the bytes it authenticated",
          "[blob]") {
  TempDir dir;
  Bytes archive_id = random_bytes(16), uid = random_bytes(16);
  const size_t size = GENERATE(size_t{0}, size_t{5000}, (size_t{2} << 20) + 99);
  Bytes plain = random_bytes(size);
  SecretBuffer key = new_document_key();
  const std::string blob_path = dir.path + "/b.blob";
  write_test_blob(blob_path, plain, archive_id, uid, key);
  const Bytes blob = read_all(blob_path);
  const Bytes before = random_bytes(1234), after = random_bytes(321);
  auto read_inside = [&](const Bytes& blob_bytes, std::uint64_t span_size, Bytes& copied, Bytes& decrypted) {
    Bytes file = before;
    file.insert(file.end(), blob_bytes.begin(), blob_bytes.end());
    file.insert(file.end(), after.begin(), after.end());
    Fd fd = memfile(file);
    const BlobSpan span{before.size(), span_size, [&](ByteView b) { copied.insert(copied.end(), b.begin(), b.end()); }};
    return read_blob(fd.get(), archive_id, uid, key,
                     [&](ByteView p) { decrypted.insert(decrypted.end(), p.begin(), p.end()); }, {}, AlsoFormat1::no,
                     ContentHash::yes, &span);
  };
  Bytes copied, decrypted;
  BlobDigest d = read_inside(blob, blob.size(), copied, decrypted);
  CHECK(copied == blob);
  CHECK(decrypted == plain);
  CHECK(d.plain_size == size);
  // The span ends where it says: a span cut short is a truncated blob, and
  // one with a byte more than the blob is not a blob.
  Bytes c2, p2;
  CHECK_THROWS_WITH(read_inside(blob, blob.size() - 1, c2, p2), Catch::Contains("truncated"));
  Bytes longer = blob;
  longer.push_back(7);
  Bytes c3, p3;
  CHECK_THROWS_AS(read_inside(longer, longer.size(), c3, p3), Error);  // its last chunk no longer authenticates
}

TEST_CASE("write_blob refuses input beyond the size limit", "[blob]") {
  TempDir dir;
  Bytes plain = random_bytes(100000);
  SecretBuffer key = new_document_key();
  AtomicFile out(dir.path + "/x.blob", "", 0600, "test");
  Fd in = memfile(plain);
  CHECK_THROWS_WITH(write_blob(in.get(), out, random_bytes(16), random_bytes(16), key, 50000),
                    Catch::Contains("larger than the limit"));
}

TEST_CASE("random damage to a blob is always refused, never a crash or wrong plaintext", "[blob][fuzz]") {
  TempDir dir;
  Bytes archive_id = random_bytes(16), uid = random_bytes(16);
  Bytes plain = random_bytes(3 * 65536 + 1234);
  SecretBuffer key = new_document_key();
  std::string path = dir.path + "/b.blob";
  write_test_blob(path, plain, archive_id, uid, key);
  const Bytes blob = read_all(path);
  std::mt19937 rng(4711);
  for (int round = 0; round < 300; ++round) {
    Bytes damaged = blob;
    switch (rng() % 4) {
      case 0:  // flip a few bits anywhere
        for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) damaged[rng() % damaged.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        break;
      case 1:  // cut anywhere
        damaged.resize(rng() % damaged.size());
        break;
      case 2:  // append garbage
        for (int k = 0; k < 1 + static_cast<int>(rng() % 100); ++k) damaged.push_back(static_cast<std::uint8_t>(rng()));
        break;
      default: {  // move a chunk-sized window
        size_t from = rng() % damaged.size(), to = rng() % damaged.size(), n = std::min<size_t>(rng() % 70000, damaged.size() - std::max(from, to));
        std::copy(blob.begin() + static_cast<long>(from), blob.begin() + static_cast<long>(from + n), damaged.begin() + static_cast<long>(to));
        if (damaged == blob) continue;
      }
    }
    write_all(path, damaged);
    if (damaged.size() < blob.size()) ::truncate(path.c_str(), static_cast<off_t>(damaged.size()));
    Fd fd(::open(path.c_str(), O_RDONLY));
    Bytes out;
    INFO("round " << round);
    CHECK_THROWS_AS(read_blob(fd.get(), archive_id, uid, key,
                              [&](ByteView p) { out.insert(out.end(), p.begin(), p.end()); }),
                    Error);
  }
}

TEST_CASE("random text is never taken for a key file", "[key-file][fuzz]") {
  std::mt19937 rng(99);
  for (int round = 0; round < 300; ++round) {
    std::string text = "untrusted comment: x\n";
    size_t n = rng() % 500;
    for (size_t i = 0; i < n; ++i) text += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n"[rng() % 65];
    CHECK_THROWS_AS(KeyFile::parse(text, "fuzz.key"), Error);
  }
}
