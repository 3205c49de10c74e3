// secretstream_file — the raw anchor for kaappi's document speed: libsodium's
// crypto_secretstream_xchacha20poly1305 from file to file in 64 KiB chunks on
// one core, as a minimal archiver would do it, with nothing else (no index, no
// PDF check, no hashes).
//   secretstream_file encrypt IN OUT   reads IN, writes OUT (header + chunks), fsyncs OUT
//   secretstream_file decrypt IN       reads IN (made by encrypt with the key in IN.key) and checks every chunk
// Prints "<mode>_MBps <rate>" over the plaintext size.
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr size_t k_chunk = 65536;
constexpr size_t k_abytes = crypto_secretstream_xchacha20poly1305_ABYTES;

size_t read_full(int fd, unsigned char* p, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::read(fd, p + done, n - done);
    if (r < 0) {
      std::perror("read");
      std::exit(1);
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  return done;
}

void write_full(int fd, const unsigned char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w <= 0) {
      std::perror("write");
      std::exit(1);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0 || argc < 3) {
    std::fprintf(stderr, "usage: secretstream_file encrypt IN OUT | decrypt IN\n");
    return 2;
  }
  const std::string mode = argv[1], in_path = argv[2];
  unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_state st;
  std::vector<unsigned char> plain(k_chunk), cipher(k_chunk + k_abytes);
  const int in = ::open(in_path.c_str(), O_RDONLY);
  if (in < 0) {
    std::perror(in_path.c_str());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  size_t total = 0;
  if (mode == "encrypt" && argc == 4) {
    const std::string out_path = argv[3];
    crypto_secretstream_xchacha20poly1305_keygen(key);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int key_out = ::open((out_path + ".key").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || key_out < 0) {
      std::perror(out_path.c_str());
      return 1;
    }
    write_full(key_out, key, sizeof key);
    ::close(key_out);
    crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
    write_full(out, header, sizeof header);
    for (;;) {
      const size_t n = read_full(in, plain.data(), k_chunk);
      const bool last = n < k_chunk;
      unsigned long long clen = 0;
      crypto_secretstream_xchacha20poly1305_push(&st, cipher.data(), &clen, plain.data(), n, nullptr, 0,
                                                 last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
      write_full(out, cipher.data(), static_cast<size_t>(clen));
      total += n;
      if (last) break;
    }
    if (::fsync(out) != 0) std::perror("fsync");
    ::close(out);
  } else if (mode == "decrypt" && argc == 3) {
    const int key_in = ::open((in_path + ".key").c_str(), O_RDONLY);
    if (key_in < 0 || read_full(key_in, key, sizeof key) != sizeof key || read_full(in, header, sizeof header) != sizeof header ||
        crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key) != 0) {
      std::fprintf(stderr, "%s: not made by secretstream_file encrypt\n", in_path.c_str());
      return 1;
    }
    for (unsigned char tag = 0; tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL;) {
      const size_t n = read_full(in, cipher.data(), k_chunk + k_abytes);
      unsigned long long plen = 0;
      if (n < k_abytes ||
          crypto_secretstream_xchacha20poly1305_pull(&st, plain.data(), &plen, &tag, cipher.data(), n, nullptr, 0) != 0) {
        std::fprintf(stderr, "%s: a chunk does not open\n", in_path.c_str());
        return 1;
      }
      total += static_cast<size_t>(plen);
    }
  } else {
    std::fprintf(stderr, "usage: secretstream_file encrypt IN OUT | decrypt IN\n");
    return 2;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s_MBps %.0f\n", mode.c_str(), static_cast<double>(total) / 1e6 / seconds);
  return 0;
}
