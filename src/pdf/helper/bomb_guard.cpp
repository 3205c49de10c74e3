// bomb_guard.cpp — see bomb_guard.h.
#include "pdf/helper/bomb_guard.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace kaappi::pdf_helper {
namespace {

constexpr char keyword[] = "stream";
constexpr size_t k_keyword_size = sizeof keyword - 1;

// How much of the keyword is matched after byte `c`, when `matched` was
// before it ("stream" has no prefix that is also its suffix).
size_t match_next(size_t matched, char c) {
  return c == keyword[matched] ? matched + 1 : (c == keyword[0] ? 1 : 0);
}

}  // namespace

bool inflates_within_limits(int fd, std::string& why) {
  constexpr unsigned long long k_stream_limit = 256ull << 20;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return true;
  unsigned long long total_limit = std::max<unsigned long long>(2ull << 30, 100ull * static_cast<unsigned long long>(st.st_size));
  enum { search, after_keyword, after_cr, inflating } state = search;
  size_t matched = 0;  // bytes of the keyword matched at the end of the last buffer
  z_stream zs {};
  if (inflateInit(&zs) != Z_OK) return true;
  unsigned long long stream_out = 0, total_out = 0;
  // Not zeroed: each document's process would fault in and clear them for nothing.
  constexpr size_t k_buf_size = 128 << 10, k_scratch_size = 64 << 10;
  std::unique_ptr<unsigned char[]> buf_memory(new unsigned char[k_buf_size]);
  std::unique_ptr<unsigned char[]> scratch_memory(new unsigned char[k_scratch_size]);
  unsigned char* const buf = buf_memory.get();
  unsigned char* const scratch = scratch_memory.get();
  ssize_t n;
  ::lseek(fd, 0, SEEK_SET);
  bool ok = true;
  while (ok && (n = ::read(fd, buf, k_buf_size)) > 0) {
    size_t pos = 0, len = static_cast<size_t>(n);
    while (ok && pos < len) {
      if (state == search && matched == 0) {
        // The next "stream" in the buffer; a beginning of it at the end is
        // matched on byte by byte into the next buffer.
        const void* hit = ::memmem(buf + pos, len - pos, keyword, k_keyword_size);
        if (hit != nullptr) {
          pos = static_cast<size_t>(static_cast<const unsigned char*>(hit) - buf) + k_keyword_size;
          state = after_keyword;
        } else {
          for (pos = std::max(pos, len - std::min(len, k_keyword_size - 1)); pos < len; ++pos)
            matched = match_next(matched, static_cast<char>(buf[pos]));
        }
      } else if (state == search) {
        matched = match_next(matched, static_cast<char>(buf[pos++]));
        if (matched == k_keyword_size) {
          state = after_keyword;
          matched = 0;
        }
      } else if (state == after_keyword || state == after_cr) {
        unsigned char c = buf[pos];
        if (c == '\n') {
          ++pos;
          state = inflating;
        } else if (c == '\r' && state == after_keyword) {
          ++pos;
          state = after_cr;
        } else {
          state = state == after_cr ? inflating : search;
        }
        if (state == inflating) {
          inflateReset(&zs);
          // Only the output is counted: the Adler-32 of it would cost a third
          // of the inflating (a failing check only ends the stream anyway).
          inflateValidate(&zs, 0);
          stream_out = 0;
        }
      } else {
        zs.next_in = buf + pos;
        zs.avail_in = static_cast<uInt>(len - pos);
        for (;;) {
          zs.next_out = scratch;
          zs.avail_out = static_cast<uInt>(k_scratch_size);
          int rc = inflate(&zs, Z_NO_FLUSH);
          unsigned long long produced = k_scratch_size - zs.avail_out;
          stream_out += produced;
          total_out += produced;
          if (stream_out > k_stream_limit || total_out > total_limit) {
            why = stream_out > k_stream_limit ? "a single stream inflates to more than 256 MiB"
                                              : "its streams inflate to more than " + std::to_string(total_limit >> 20) + " MiB";
            ok = false;
            break;
          }
          if (rc == Z_STREAM_END || (rc != Z_OK && rc != Z_BUF_ERROR)) {
            state = search;
            pos = len - zs.avail_in;
            if (rc != Z_STREAM_END && pos < len) ++pos;
            break;
          }
          if (zs.avail_in == 0 && zs.avail_out != 0) {
            pos = len;
            break;
          }
          if (rc == Z_BUF_ERROR && zs.avail_out != 0) {
            pos = len;
            break;
          }
        }
      }
    }
  }
  inflateEnd(&zs);
  ::lseek(fd, 0, SEEK_SET);
  return ok;
}

}  // namespace kaappi::pdf_helper
