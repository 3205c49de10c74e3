// fuzz_blob_cut.cpp — a genuine blob of up to three chunks and a bit
// (format/blob_format's writer), then damaged as the input says (cut short,
// bytes appended, a byte flipped, a range removed) and read back
// (keys/blob_reader): the reader must refuse every damaged blob with
// ErrorKind::corrupt and return an undamaged one's plaintext exactly.
//
// Input: u32 plaintext size, u32 position, u8 damage, then the bytes a
// damage uses.
#include <map>

#include "base/error.h"
#include "keys/blob_reader.h"
#include "support.h"

namespace {

using namespace kaappi;

Bytes plaintext_of_size(std::size_t size) {
  Bytes plain(size);
  for (std::size_t i = 0; i < size; ++i) plain[i] = static_cast<std::uint8_t>((i * 31) ^ (i >> 16));
  return plain;
}

// Blobs are written once per plaintext size (writing is the slow part).
const Bytes& blob_of_size(std::size_t size) {
  static std::map<std::size_t, Bytes> made;
  if (made.size() > 64) made.clear();
  auto found = made.find(size);
  if (found != made.end()) return found->second;
  Bytes plain = plaintext_of_size(size);
  Fd in = fuzz::file_with(plain.data(), plain.size());
  const std::string path = fuzz::scratch_dir() + "/blob";
  {
    AtomicFile out(path, "", 0600, "fuzz");
    write_blob(in.get(), out, fuzz::archive_public().archive_id, fuzz::document_uid(), fuzz::document_key(), size);
    out.commit(Overwrite::yes);
  }
  return made[size] = read_file(path, 1u << 20);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  const std::size_t plain_size = get_u32(data) % (3 * k_chunk_plain_size + 100);
  const std::uint32_t position = get_u32(data + 4);
  const std::uint8_t damage = data[8];
  const ByteView extra(data + 9, size - 9);

  const Bytes& good = blob_of_size(plain_size);
  Bytes blob = good;
  const std::size_t at = position % (blob.size() + 1);
  switch (damage % 4) {
    case 0:  // cut short
      blob.resize(at);
      break;
    case 1:  // bytes appended
      blob.insert(blob.end(), extra.begin(), extra.end());
      break;
    case 2:  // a byte changed
      if (at < blob.size() && !extra.empty()) blob[at] ^= extra[0];
      break;
    default:  // a range removed
      blob.erase(blob.begin() + static_cast<long>(at),
                 blob.begin() + static_cast<long>(std::min(blob.size(), at + (extra.empty() ? 1 : extra[0]))));
  }

  Fd fd = fuzz::file_with(blob.data(), blob.size());
  Bytes read;
  try {
    read_blob(fd.get(), fuzz::archive_public().archive_id, fuzz::document_uid(), fuzz::document_key(),
              [&](ByteView chunk) { read.insert(read.end(), chunk.begin(), chunk.end()); });
  } catch (const Error& e) {
    if (blob == good || e.kind() != ErrorKind::corrupt) std::abort();  // refused a good blob, or said the wrong thing
    return 0;
  }
  if (blob != good || read != plaintext_of_size(plain_size)) std::abort();  // took a damaged blob
  return 0;
}
