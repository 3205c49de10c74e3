// file_hash.cpp — see file_hash.h.
#include "format/file_hash.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <exception>
#include <thread>
#include <vector>

#include "base/error.h"

namespace kaappi {

void FileHash::add(ByteView bytes) {
  while (!bytes.empty()) {
    const std::size_t take = std::min(bytes.size(), k_hash_segment_size - m_in_segment);
    m_segment.add(bytes.first(take));
    m_in_segment += take;
    m_size += take;
    bytes = bytes.subspan(take);
    if (m_in_segment == k_hash_segment_size) {
      const Sha256Digest h = m_segment.finish();
      m_segment_hashes.insert(m_segment_hashes.end(), h.begin(), h.end());
      m_in_segment = 0;
    }
  }
}

Sha256Digest FileHash::finish() {
  if (m_in_segment > 0) {
    const Sha256Digest h = m_segment.finish();
    m_segment_hashes.insert(m_segment_hashes.end(), h.begin(), h.end());
  }
  const Sha256Digest out = file_hash_of_segments(m_size, m_segment_hashes);
  m_in_segment = 0;
  m_size = 0;
  m_segment_hashes.clear();
  return out;
}

Sha256Digest file_hash_of_segments(std::uint64_t size, ByteView segment_hashes) {
  Bytes length;
  put_u64(length, size);
  return Sha256().add(std::string_view("kaappi-seg-v2")).add(length).add(segment_hashes).finish();
}

namespace {

// Reads up to one segment at `offset`; fewer bytes only where the file ends.
std::size_t read_segment(int fd, std::uint64_t offset, std::uint8_t* buffer, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buffer + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("could not read a file being hashed");
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

}  // namespace

Sha256Digest hash_file_segments(int fd, std::uint64_t max_size, std::uint64_t& size_out, unsigned threads,
                                const std::function<void(std::uint64_t)>& progress) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("could not read a file being hashed");
  const std::uint64_t planned = std::min<std::uint64_t>(max_size, static_cast<std::uint64_t>(std::max<off_t>(st.st_size, 0)));
  const std::uint64_t segments = (planned + k_hash_segment_size - 1) / k_hash_segment_size;

  std::vector<Sha256Digest> hashes(segments);
  std::vector<std::uint64_t> lengths(segments, 0);
  std::atomic<std::uint64_t> next{0}, hashed{0};
  std::atomic<bool> stop{false};

  auto work = [&](bool report) {
    Bytes buffer(k_hash_segment_size);
    Sha256 hasher;
    for (std::uint64_t i = next++; i < segments && !stop; i = next++) {
      const std::uint64_t offset = i * k_hash_segment_size;
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(k_hash_segment_size, planned - offset));
      const std::size_t got = read_segment(fd, offset, buffer.data(), want);
      lengths[i] = got;
      hashes[i] = hasher.add(ByteView(buffer.data(), got)).finish();
      const std::uint64_t so_far = hashed += got;
      if (report && progress) progress(so_far);
    }
  };

  const unsigned helpers = static_cast<unsigned>(std::min<std::uint64_t>(std::max(threads, 1u), std::max<std::uint64_t>(segments, 1)) - 1);
  std::vector<std::exception_ptr> errors(helpers);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < helpers; ++t)
    pool.emplace_back([&, t] {
      try {
        work(false);
      } catch (...) {
        errors[t] = std::current_exception();
        stop = true;
      }
    });
  std::exception_ptr mine;
  try {
    work(true);
  } catch (...) {
    mine = std::current_exception();
    stop = true;
  }
  for (auto& t : pool) t.join();
  if (mine) std::rethrow_exception(mine);
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  // The helpers may have hashed every segment before this thread took one:
  // the total is always reported last, on this thread.
  if (progress && hashed > 0) progress(hashed);

  // The bytes hashed are those up to the first segment the file ended in (it
  // may have shrunk while read): the same as one read from the start gives.
  Bytes list;
  size_out = 0;
  for (std::uint64_t i = 0; i < segments; ++i) {
    if (lengths[i] == 0) break;
    list.insert(list.end(), hashes[i].begin(), hashes[i].end());
    size_out += lengths[i];
    if (lengths[i] < k_hash_segment_size) break;
  }
  return file_hash_of_segments(size_out, list);
}

}  // namespace kaappi
