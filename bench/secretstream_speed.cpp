// secretstream_speed — raw crypto_secretstream_xchacha20poly1305 throughput
// (64 KiB chunks, in memory) and BLAKE2b throughput on this machine, in MB/s.
// Usage: secretstream_speed [MiB]   (default 256)
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  size_t total = mib << 20, chunk = 65536;
  std::vector<unsigned char> plain(chunk), cipher(chunk + crypto_secretstream_xchacha20poly1305_ABYTES);
  randombytes_buf(plain.data(), plain.size());
  auto seconds = [](auto start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_keygen(key);
  crypto_secretstream_xchacha20poly1305_state st;
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
  auto t0 = std::chrono::steady_clock::now();
  for (size_t done = 0; done < total; done += chunk)
    crypto_secretstream_xchacha20poly1305_push(&st, cipher.data(), nullptr, plain.data(), chunk, nullptr, 0, 0);
  double enc = seconds(t0);
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, 32);
  t0 = std::chrono::steady_clock::now();
  for (size_t done = 0; done < total; done += chunk) crypto_generichash_update(&h, plain.data(), chunk);
  unsigned char out[32];
  crypto_generichash_final(&h, out, 32);
  double hash = seconds(t0);
  std::printf("secretstream_MBps %.0f\nblake2b_MBps %.0f\n", total / 1e6 / enc, total / 1e6 / hash);
  return 0;
}
