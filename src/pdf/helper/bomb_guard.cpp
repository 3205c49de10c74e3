// bomb_guard.cpp — see bomb_guard.h.
#include "pdf/helper/bomb_guard.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

namespace kaappi::pdf_helper {
namespace {

constexpr char keyword[] = "stream";
constexpr size_t k_keyword_size = sizeof keyword - 1;
constexpr unsigned long long k_stream_limit = 256ull << 20;
// Flate inside Flate (/Filter [/FlateDecode /FlateDecode ...]): this many
// levels are inflated, each from the one before.
constexpr size_t k_levels = 4;
constexpr size_t k_window = 128 << 10, k_scratch_size = 64 << 10;

// How much of the keyword is matched after byte `c`, when `matched` was
// before it ("stream" has no prefix that is also its suffix).
size_t match_next(size_t matched, char c) {
  return c == keyword[matched] ? matched + 1 : (c == keyword[0] ? 1 : 0);
}

// Whether two bytes begin zlib data (deflate, a valid header check).
bool zlib_header(unsigned char cmf, unsigned char flg) {
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
}

// One stream inflated, and whatever Flate data its output begins with
// inflated in turn, up to k_levels deep. Every byte any level makes is
// counted: against the stream limit by level, against the total together.
class StreamInflater {
 public:
  StreamInflater() {
    for (Level& l : m_levels) {
      l.ready = inflateInit(&l.zs) == Z_OK;
      // Not zeroed: each document's process would fault in and clear it for nothing.
      l.scratch.reset(new unsigned char[k_scratch_size]);
    }
  }
  ~StreamInflater() {
    for (Level& l : m_levels)
      if (l.ready) inflateEnd(&l.zs);
  }
  StreamInflater(const StreamInflater&) = delete;
  StreamInflater& operator=(const StreamInflater&) = delete;

  bool ready() const { return m_levels[0].ready; }

  // A new stream begins.
  void start() {
    for (Level& l : m_levels) {
      l.active = false;
      l.out = 0;
      l.head_len = 0;
    }
    reset_level(0);
  }

  enum class Fed { more, ended, not_flate, over_limit };
  // Feeds the stream's next raw bytes; `used` says how many were taken.
  Fed feed(const unsigned char* data, size_t len, size_t& used, unsigned long long& total_out,
           unsigned long long total_limit) {
    Level& outer = m_levels[0];
    outer.zs.next_in = const_cast<unsigned char*>(data);  // zlib only reads it
    outer.zs.avail_in = static_cast<uInt>(len);
    Fed fed = Fed::more;
    for (;;) {
      outer.zs.next_out = outer.scratch.get();
      outer.zs.avail_out = static_cast<uInt>(k_scratch_size);
      const int rc = inflate(&outer.zs, Z_NO_FLUSH);
      const size_t produced = k_scratch_size - outer.zs.avail_out;
      if (!count(0, outer.scratch.get(), produced, total_out, total_limit)) {
        fed = Fed::over_limit;
        break;
      }
      if (rc == Z_STREAM_END) {
        fed = Fed::ended;
        break;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        fed = outer.out == 0 ? Fed::not_flate : Fed::ended;  // broken later: the stream ends there
        break;
      }
      if (outer.zs.avail_out != 0) break;  // all input taken: more next time
    }
    used = len - outer.zs.avail_in;
    return fed;
  }

  // Which limit was broken.
  std::string why(unsigned long long total_limit) const {
    for (const Level& l : m_levels)
      if (l.out > k_stream_limit) return "a single stream inflates to more than 256 MiB";
    return "its streams inflate to more than " + std::to_string(total_limit >> 20) + " MiB";
  }

 private:
  struct Level {
    z_stream zs{};
    bool ready = false, active = false;
    unsigned long long out = 0;
    unsigned char head[2] = {0, 0};
    size_t head_len = 0;
    std::unique_ptr<unsigned char[]> scratch;
  };

  void reset_level(size_t k) {
    Level& l = m_levels[k];
    inflateReset(&l.zs);
    // Only the output is counted: the Adler-32 of it would cost a third of
    // the inflating (a failing check only ends the stream anyway).
    inflateValidate(&l.zs, 0);
    l.active = true;
  }

  // Counts what level k made, and hands it to the level below when that
  // begins as zlib data. False when a limit is broken.
  bool count(size_t k, const unsigned char* data, size_t len, unsigned long long& total_out,
             unsigned long long total_limit) {
    if (len == 0) return true;
    Level& l = m_levels[k];
    l.out += len;
    total_out += len;
    if (l.out > k_stream_limit || total_out > total_limit) return false;
    if (k + 1 >= k_levels || !m_levels[k + 1].ready) return true;
    if (l.head_len < 2) {  // its first two bytes decide whether it holds Flate data
      const size_t take = std::min(len, 2 - l.head_len);
      std::memcpy(l.head + l.head_len, data, take);
      l.head_len += take;
      if (l.head_len < 2) return true;
      if (!zlib_header(l.head[0], l.head[1])) return true;
      reset_level(k + 1);
      // The two head bytes (some perhaps from an earlier output), then the rest of this one.
      if (!inflate_into(k + 1, l.head, 2, total_out, total_limit)) return false;
      return inflate_into(k + 1, data + take, len - take, total_out, total_limit);
    }
    return inflate_into(k + 1, data, len, total_out, total_limit);
  }

  // Inflates `data` at level k (while it is still Flate data).
  bool inflate_into(size_t k, const unsigned char* data, size_t len, unsigned long long& total_out,
                    unsigned long long total_limit) {
    Level& l = m_levels[k];
    if (!l.active || len == 0) return true;
    l.zs.next_in = const_cast<unsigned char*>(data);
    l.zs.avail_in = static_cast<uInt>(len);
    for (;;) {
      l.zs.next_out = l.scratch.get();
      l.zs.avail_out = static_cast<uInt>(k_scratch_size);
      const int rc = inflate(&l.zs, Z_NO_FLUSH);
      // The scratch is reused by the next call: what it holds is counted (and handed on) first.
      if (!count(k, l.scratch.get(), k_scratch_size - l.zs.avail_out, total_out, total_limit)) return false;
      if (rc != Z_OK && rc != Z_BUF_ERROR) {  // ended, or not Flate after all: this level is done
        l.active = false;
        return true;
      }
      if (l.zs.avail_out != 0) return true;
    }
  }

  std::array<Level, k_levels> m_levels;
};

}  // namespace

bool inflates_within_limits(int fd, std::string& why) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return true;
  const unsigned long long total_limit =
      std::max<unsigned long long>(2ull << 30, 100ull * static_cast<unsigned long long>(st.st_size));
  // Poppler's reading of a stream: after the keyword, the rest of the line
  // is skipped (any bytes up to LF, CR LF or CR); the data begins after it.
  enum { search, to_line_end, after_cr, inflating } state = search;
  size_t matched = 0;       // bytes of the keyword matched at the end of the last window
  bool stream_begins = false;  // the next byte inflated is a stream's first
  StreamInflater inflater;
  if (!inflater.ready()) return true;
  unsigned long long total_out = 0;
  // Not zeroed: each document's process would fault in and clear it for nothing.
  std::unique_ptr<unsigned char[]> buf_memory(new unsigned char[k_window]);
  unsigned char* const buf = buf_memory.get();
  ssize_t n;
  ::lseek(fd, 0, SEEK_SET);
  bool ok = true;
  while (ok && (n = ::read(fd, buf, k_window)) > 0) {
    const size_t len = static_cast<size_t>(n);
    size_t pos = 0;
    size_t stream_start = SIZE_MAX;  // where the stream being inflated began, if in this window
    while (ok && pos < len) {
      if (state == search && matched == 0) {
        // The next "stream" in the window; a beginning of it at the end is
        // matched on byte by byte into the next window.
        const void* hit = ::memmem(buf + pos, len - pos, keyword, k_keyword_size);
        if (hit != nullptr) {
          pos = static_cast<size_t>(static_cast<const unsigned char*>(hit) - buf) + k_keyword_size;
          state = to_line_end;
        } else {
          for (pos = std::max(pos, len - std::min(len, k_keyword_size - 1)); pos < len; ++pos)
            matched = match_next(matched, static_cast<char>(buf[pos]));
        }
      } else if (state == search) {
        matched = match_next(matched, static_cast<char>(buf[pos++]));
        if (matched == k_keyword_size) {
          state = to_line_end;
          matched = 0;
        }
      } else if (state == to_line_end) {
        const auto* lf = static_cast<const unsigned char*>(std::memchr(buf + pos, '\n', len - pos));
        const auto* cr = static_cast<const unsigned char*>(std::memchr(buf + pos, '\r', len - pos));
        const unsigned char* end = lf == nullptr ? cr : cr == nullptr ? lf : std::min(lf, cr);
        if (end == nullptr) {
          pos = len;
        } else {
          pos = static_cast<size_t>(end - buf) + 1;
          state = *end == '\r' ? after_cr : inflating;
          stream_begins = state == inflating;
        }
      } else if (state == after_cr) {
        if (buf[pos] == '\n') ++pos;
        state = inflating;
        stream_begins = true;
      } else {
        if (stream_begins) {
          inflater.start();
          stream_start = pos;
          stream_begins = false;
        }
        size_t used = 0;
        const auto fed = inflater.feed(buf + pos, len - pos, used, total_out, total_limit);
        if (fed == StreamInflater::Fed::over_limit) {
          why = inflater.why(total_limit);
          ok = false;
        } else if (fed == StreamInflater::Fed::more) {
          pos = len;
        } else {
          state = search;
          // Bytes that were no Flate data at all are searched for keywords
          // (a keyword right after a false one is not skipped).
          pos = fed == StreamInflater::Fed::not_flate && stream_start != SIZE_MAX ? stream_start : pos + used;
        }
      }
    }
  }
  ::lseek(fd, 0, SEEK_SET);
  return ok;
}

}  // namespace kaappi::pdf_helper
