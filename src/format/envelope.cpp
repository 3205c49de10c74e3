// envelope.cpp — see envelope.h.
#include "format/envelope.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "format/scan_file_name.h"
#include "format/station_metadata.h"

namespace kaappi {
namespace {

constexpr size_t k_header_body = k_archive_id_size + k_station_pk_size + k_uid_size + k_sealed_key_size;

std::string_view magic_of(EnvelopeVersion version) {
  return version == EnvelopeVersion::v1 ? k_envelope_magic_v1 : k_envelope_magic;
}

Bytes signed_message(EnvelopeVersion version, ByteView header, ByteView trailer) {
  Bytes msg;
  put_bytes(msg, as_bytes(version == EnvelopeVersion::v1 ? "kaappi-envelope-v1" : "kaappi-envelope-v2"));
  put_bytes(msg, header);
  put_bytes(msg, trailer);
  return msg;
}

void pread_exact(int fd, std::uint8_t* out, size_t n, std::uint64_t offset, const std::string& name) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) fail_errno("cannot read " + name);
    if (r == 0) fail(ErrorKind::rejected, name + " is truncated: not a whole kaappi envelope");
    done += static_cast<size_t>(r);
  }
}

}  // namespace

namespace {

// The metadata text seal_envelope seals, once the blob's digest is known.
std::function<std::string(const BlobDigest&)> metadata_of(const EnvelopeMeta& meta) {
  // Never a name ingest would refuse: that scan could not be taken in.
  if (std::string problem = scan_file_name_problem(meta.file_name); !problem.empty())
    fail(ErrorKind::rejected, "its file name " + problem + " (nothing was sealed)");
  return [&meta](const BlobDigest& digest) {
    nlohmann::json j = {{"file_name", meta.file_name},
                        {"pages", meta.pages},
                        {"plain_size", digest.plain_size},
                        {"scanned_at", meta.scanned_at},
                        {"station", meta.station},
                        {"content_hash", to_hex(digest.content_hash)},
                        {"pdf", nlohmann::json::parse(meta.pdf_json.empty() ? "{}" : meta.pdf_json)}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
}

std::string new_envelope_name() { return to_hex(random_bytes(16)) + std::string(k_envelope_suffix); }

// Writes the whole envelope (header, blob, trailer, signature) to `out`;
// returns the blob's digest.
BlobDigest write_envelope(int in_fd, AtomicFile& out, const ArchivePublicKey& archive, const StationKey& station,
                          const Bytes& uid, const std::function<std::string(const BlobDigest&)>& metadata,
                          std::uint64_t max_plain_size, EnvelopeVersion version) {
  if (uid.size() != k_uid_size) fail(ErrorKind::usage, "a document uid has " + std::to_string(k_uid_size) + " bytes");
  SecretBuffer doc_key = new_document_key();
  const std::string_view magic = magic_of(version);
  Bytes header;
  put_bytes(header, as_bytes(magic));
  put_u32(header, static_cast<std::uint32_t>(k_header_body));
  put_bytes(header, archive.archive_id);
  put_bytes(header, station.public_key());
  put_bytes(header, uid);
  put_bytes(header, seal_document_key(doc_key, archive.box_pk));

  out.write(header);
  BlobDigest digest = write_blob(in_fd, out, archive.archive_id, uid, doc_key, max_plain_size, {},
                                 version == EnvelopeVersion::v1 ? AlsoFormat1::yes : AlsoFormat1::no);
  BlobDigest as_signed = digest;  // the hashes of the envelope's version
  if (version == EnvelopeVersion::v1) {
    as_signed.content_hash = as_signed.content_hash_v1;
    as_signed.blob_hash = as_signed.blob_hash_v1;
  }

  std::string plain_meta = metadata(as_signed);
  Bytes sealed_meta(plain_meta.size() + crypto_box_SEALBYTES);
  crypto_box_seal(sealed_meta.data(), reinterpret_cast<const std::uint8_t*>(plain_meta.data()), plain_meta.size(),
                  archive.box_pk.data());
  sodium_memzero(plain_meta.data(), plain_meta.size());

  Bytes trailer;
  put_u32(trailer, static_cast<std::uint32_t>(sealed_meta.size()));
  put_bytes(trailer, sealed_meta);
  put_u64(trailer, digest.blob_size);
  put_bytes(trailer, as_signed.blob_hash);
  Bytes signature = station.sign(signed_message(version, header, trailer));
  Bytes tail = trailer;
  put_bytes(tail, signature);
  put_u32(tail, static_cast<std::uint32_t>(trailer.size()));
  put_bytes(tail, as_bytes(magic));
  out.write(tail);
  return digest;
}

// 0640: ingest may run as another user of the station's group (a
// scan-to-folder share); sealed, it holds nothing readable without the key.
constexpr mode_t k_envelope_mode = 0640;

}  // namespace

SealedEnvelope seal_envelope(int in_fd, const std::string& inbox, const ArchivePublicKey& archive,
                             const StationKey& station, const EnvelopeMeta& meta, std::uint64_t max_plain_size) {
  return seal_envelope_as(in_fd, inbox, archive, station, random_bytes(k_uid_size), metadata_of(meta), max_plain_size);
}

StagedEnvelope stage_envelope(int in_fd, const Dir& inbox, const ArchivePublicKey& archive, const StationKey& station,
                              const EnvelopeMeta& meta, std::uint64_t max_plain_size) {
  auto metadata = metadata_of(meta);
  StagedEnvelope staged;
  staged.name = new_envelope_name();
  staged.file = AtomicFile::unnamed(inbox, k_envelope_mode, "envelope");
  if (!staged.file)
    staged.file = AtomicFile::named_temp(inbox, ".kaappi-tmp-" + to_hex(random_bytes(8)), k_envelope_mode, "envelope");
  staged.digest = write_envelope(in_fd, *staged.file, archive, station, random_bytes(k_uid_size), metadata,
                                 max_plain_size, EnvelopeVersion::v2);
  return staged;
}

SealedEnvelope seal_envelope_as(int in_fd, const std::string& inbox, const ArchivePublicKey& archive,
                                const StationKey& station, const Bytes& uid,
                                const std::function<std::string(const BlobDigest&)>& metadata,
                                std::uint64_t max_plain_size, EnvelopeVersion version) {
  if (uid.size() != k_uid_size) fail(ErrorKind::usage, "a document uid has " + std::to_string(k_uid_size) + " bytes");
  SealedEnvelope result;
  Dir inbox_dir = Dir::open(inbox);  // never through a link planted as the inbox
  std::string name = new_envelope_name();
  result.path = inbox_dir.path_of(name);
  AtomicFile out(inbox_dir, name, k_envelope_mode, "envelope");
  result.digest = write_envelope(in_fd, out, archive, station, uid, metadata, max_plain_size, version);
  try {
    out.commit(Overwrite::no);
  } catch (const Error&) {
    if (out.in_place()) inbox_dir.remove(name);  // not durable: a scan not sealed leaves no envelope
    throw;
  }
  return result;
}

namespace {

// Reads up to n bytes at offset; how many there were (fewer at the end, and on an error).
size_t pread_up_to(int fd, std::uint8_t* out, size_t n, std::uint64_t offset) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    done += static_cast<size_t>(r);
  }
  return done;
}

}  // namespace

bool envelope_looks_unfinished(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
  const size_t magic_size = k_envelope_magic.size();
  std::uint8_t front[k_envelope_magic.size()] = {};
  const size_t have = static_cast<size_t>(std::min<std::uint64_t>(size, magic_size));
  if (pread_up_to(fd, front, have, 0) != have) return false;
  const std::string_view start(reinterpret_cast<const char*>(front), have);
  const bool v1 = k_envelope_magic_v1.substr(0, have) == start, v2 = k_envelope_magic.substr(0, have) == start;
  if (!v1 && !v2) return false;
  const std::uint64_t smallest =
      magic_size + 4 + k_header_body + k_blob_header_size + k_station_sig_size + 4 + magic_size;
  if (size < smallest) return true;
  std::uint8_t back[k_envelope_magic.size()] = {};
  if (pread_up_to(fd, back, magic_size, size - magic_size) != magic_size) return true;  // shrunk meanwhile
  const std::string_view magic = magic_of(v1 ? EnvelopeVersion::v1 : EnvelopeVersion::v2);
  return std::string_view(reinterpret_cast<const char*>(back), magic_size) != magic;
}

EnvelopeParts read_envelope_parts(int fd, const std::string& name) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("cannot read " + name);
  const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
  static_assert(k_envelope_magic.size() == k_envelope_magic_v1.size());
  const std::uint64_t head_size = k_envelope_magic.size() + 4 + k_header_body;
  const std::uint64_t end_size = k_station_sig_size + 4 + k_envelope_magic.size();
  auto not_envelope = [&] { fail(ErrorKind::rejected, name + " is not a kaappi envelope"); };
  if (size < k_envelope_magic.size()) not_envelope();
  Bytes head(std::min<std::uint64_t>(size, head_size));
  pread_exact(fd, head.data(), head.size(), 0, name);
  const std::string_view front(reinterpret_cast<const char*>(head.data()), k_envelope_magic.size());
  EnvelopeVersion version = EnvelopeVersion::v2;
  if (front == k_envelope_magic_v1) version = EnvelopeVersion::v1;
  else if (front != k_envelope_magic) not_envelope();
  const std::string_view magic = magic_of(version);
  if (size < head_size + k_blob_header_size + end_size)
    fail(ErrorKind::rejected, name + " is truncated: not a whole kaappi envelope");
  if (get_u32(head.data() + k_envelope_magic.size()) != k_header_body)
    fail(ErrorKind::rejected, name + " is an envelope of an unknown version or is damaged");
  Bytes end(end_size);
  pread_exact(fd, end.data(), end.size(), size - end_size, name);
  if (std::string_view(reinterpret_cast<const char*>(end.data()) + end_size - magic.size(), magic.size()) != magic)
    fail(ErrorKind::rejected, name + " is truncated or has bytes appended: not a whole kaappi envelope");
  const std::uint32_t trailer_size = get_u32(end.data() + k_station_sig_size);
  constexpr std::uint32_t k_trailer_overhead = 4 + crypto_box_SEALBYTES + 8 + k_hash_size;
  if (trailer_size < k_trailer_overhead || trailer_size > size - head_size - end_size - k_blob_header_size)
    fail(ErrorKind::rejected, name + " is damaged: its trailer does not fit");
  try {
    check_station_metadata_size(trailer_size - k_trailer_overhead);  // before it is read into memory
  } catch (const Error& e) {
    fail(ErrorKind::rejected, name + ": " + e.what());
  }
  Bytes trailer(trailer_size);
  const std::uint64_t trailer_offset = size - end_size - trailer_size;
  pread_exact(fd, trailer.data(), trailer.size(), trailer_offset, name);

  EnvelopeParts p;
  p.version = version;
  size_t at = k_envelope_magic.size() + 4;
  auto take = [&](const Bytes& from, size_t& pos, size_t n) {
    Bytes out(from.begin() + static_cast<long>(pos), from.begin() + static_cast<long>(pos + n));
    pos += n;
    return out;
  };
  p.archive_id = take(head, at, k_archive_id_size);
  p.station_pk = take(head, at, k_station_pk_size);
  p.uid = take(head, at, k_uid_size);
  p.sealed_key = take(head, at, k_sealed_key_size);
  size_t t = 0;
  const std::uint32_t meta_size = get_u32(trailer.data());
  t = 4;
  if (meta_size != trailer_size - 4 - 8 - k_hash_size) fail(ErrorKind::rejected, name + " is damaged: bad metadata size");
  p.sealed_meta = take(trailer, t, meta_size);
  p.blob_size = get_u64(trailer.data() + t);
  t += 8;
  p.blob_hash = take(trailer, t, k_hash_size);
  p.signature.assign(end.begin(), end.begin() + k_station_sig_size);
  p.blob_offset = head_size;
  if (p.blob_size != trailer_offset - head_size)
    fail(ErrorKind::rejected, name + " is truncated or damaged: the blob's size does not match");
  p.signed_message = signed_message(version, head, trailer);
  return p;
}

}  // namespace kaappi
