// blob_speed — kaappi's blob writer and reader on in-memory data (no disk),
// next to raw secretstream: isolates the crypto pipeline from I/O and fsync.
// Usage: blob_speed [MiB] [DIR]   (DIR should be a tmpfs, default /dev/shm)
#include <fcntl.h>
#include <sodium.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "format/blob_format.h"
#include "keys/blob_reader.h"

using namespace kaappi;

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  std::string dir = argc > 2 ? argv[2] : "/dev/shm";
  int in = ::memfd_create("plain", 0);
  Bytes block = random_bytes(1 << 20);
  for (size_t i = 0; i < mib; ++i) write_full(in, block.data(), block.size(), "memfd");
  SecretBuffer key = new_document_key();
  Bytes archive = random_bytes(16), uid = random_bytes(16);
  std::string path = dir + "/kaappi-blob-speed-" + std::to_string(::getpid());
  auto secs = [](auto t0) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  ::lseek(in, 0, SEEK_SET);
  auto t0 = std::chrono::steady_clock::now();
  {
    AtomicFile out(path, "", 0600, "bench");
    write_blob(in, out, archive, uid, key, ~0ull);
    out.commit(Overwrite::yes);
  }
  double w = secs(t0);
  Fd blob(::open(path.c_str(), O_RDONLY));
  t0 = std::chrono::steady_clock::now();
  read_blob(blob.get(), archive, uid, key, [](ByteView) {});
  double r = secs(t0);
  ::unlink(path.c_str());
  double mb = static_cast<double>(mib << 20) / 1e6;
  std::printf("blob_write_MBps %.0f\nblob_read_verify_MBps %.0f\n", mb / w, mb / r);
  return 0;
}
