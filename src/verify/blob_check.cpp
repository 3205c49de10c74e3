// blob_check.cpp — see blob_check.h.
#include "verify/blob_check.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "base/error.h"
#include "base/file_io.h"
#include "format/blob_format.h"
#include "format/file_hash.h"

namespace kaappi {

std::optional<Problem> blobs_folder_replaced(const std::string& root) {
  const std::string folder = root + "/blobs";
  struct stat st {};
  if (::lstat(folder.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) return std::nullopt;
  return Problem{std::nullopt, "blobs folder replaced",
                 folder + " is " + file_kind(st.st_mode) + ", not the archive's folder: no blob was read through it"};
}

BlobOwners::BlobOwners(const std::vector<DocumentRow>& documents) {
  for (const DocumentRow& d : documents) m_by_uid.emplace(d.blob_uid, &d);
}

std::optional<std::int64_t> BlobOwners::other(const DocumentRow& d, const Bytes& blob_uid,
                                              const Bytes* blob_hash) const {
  auto [from, to] = m_by_uid.equal_range(blob_uid);
  for (auto it = from; it != to; ++it)
    if (it->second->id != d.id && (!blob_hash || it->second->blob_hash == *blob_hash)) return it->second->id;
  return std::nullopt;
}

std::optional<std::int64_t> BlobOwners::found(const DocumentRow& d) const {
  auto it = m_found.find(d.blob_uid);
  if (it == m_found.end() || it->second == d.id) return std::nullopt;
  return it->second;
}

Problem blob_swapped(const DocumentRow& d, std::optional<std::int64_t> other, const std::string& why) {
  const std::string whose = other ? "document " + std::to_string(*other) + "'s blob" : "a blob of no document here";
  return {d.id, "blob swapped", "the file in this document's place is " + whose + " (" + why + "), not its own"};
}

std::string blob_missing_detail(const DocumentRow& d, const std::string& path, const BlobOwners* owners) {
  std::string out = "expected at " + path;
  if (owners)
    if (std::optional<std::int64_t> place = owners->found(d))
      out += "; a file with its blob's uid is in document " + std::to_string(*place) + "'s place";
  return out;
}

std::optional<BlobFile> open_checked_blob(const std::string& path, const DocumentRow& d, const Bytes& archive_id,
                                          std::vector<Problem>& problems, BlobOwners* owners) {
  auto add = [&](std::string problem, std::string detail) {
    problems.push_back({d.id, std::move(problem), std::move(detail)});
  };
  BlobFile blob = open_blob(path, d.blob_size);
  switch (blob.state) {
    case BlobFile::State::ok: break;
    case BlobFile::State::missing: add("blob missing", blob_missing_detail(d, path, nullptr)); return std::nullopt;
    case BlobFile::State::not_regular:
    case BlobFile::State::linked_folder: add("blob replaced", path + " " + blob.problem(d.blob_size)); return std::nullopt;
    case BlobFile::State::wrong_size: break;  // its header first: it may be another document's blob
  }
  auto wrong_size = [&] {
    if (blob.state == BlobFile::State::wrong_size)
      add(blob.size < d.blob_size ? "blob truncated" : "blob has bytes appended",
          "size is " + std::to_string(blob.size) + " bytes, expected " + std::to_string(d.blob_size));
  };
  Bytes head(k_blob_header_size);
  size_t n = read_full(blob.fd.get(), head.data(), head.size(), path);
  BlobHeader header;
  std::string reason;
  if (n != head.size() || !BlobHeader::parse(head, header, reason)) {
    wrong_size();
    add("blob header damaged", n != head.size() ? "the blob is shorter than its header" : reason);
    return std::nullopt;
  }
  if (header.archive_id != archive_id) {
    add("blob from another archive", "the blob's header names another archive");
    return std::nullopt;
  }
  if (header.uid != d.blob_uid) {
    if (!owners) {
      add("blob swapped", "the file holds another document's blob (" + to_hex(header.uid) + ")");
      return std::nullopt;
    }
    owners->found_at(header.uid, d.id);
    const std::optional<std::int64_t> other = owners->other(d, header.uid);
    problems.push_back(blob_swapped(d, other, other ? "its header says so"
                                                    : "its header names blob " + to_hex(header.uid) +
                                                          ", which no document here has"));
    return std::nullopt;
  }
  wrong_size();
  if (blob.state != BlobFile::State::ok) return std::nullopt;
  ::lseek(blob.fd.get(), 0, SEEK_SET);
  return blob;
}

void check_blob_hash(const BlobFile& blob, const DocumentRow& d, BlobHashFormat format, VerifyReport& report,
                     const std::function<void(std::uint64_t)>& on_progress, const BlobOwners* owners) {
  std::uint64_t size = 0;
  const auto signed_size = static_cast<std::uint64_t>(d.blob_size);
  Bytes hash;
  if (format == BlobHashFormat::format1) {
    hash = hash_file_format1(blob.fd.get(), signed_size, size, on_progress);
  } else {
    const Sha256Digest h =
        hash_file_segments(blob.fd.get(), signed_size, size, std::max(1u, std::thread::hardware_concurrency()), on_progress);
    hash.assign(h.begin(), h.end());
  }
  report.bytes_checked += size;
  if (hash == d.blob_hash) return;
  if (std::optional<std::int64_t> other = owners ? owners->other(d, d.blob_uid, &hash) : std::nullopt)
    report.problems.push_back(blob_swapped(d, other, "the two share a blob uid, and its hash is that document's"));
  else
    report.problems.push_back({d.id, "blob altered", blob_altered_detail(format)});
}

std::string blob_altered_detail(BlobHashFormat format) {
  return format == BlobHashFormat::format1 ? "the blob's BLAKE2b hash does not match the signed index entry (format 1)"
                                           : "the blob's file hash (SHA-256) does not match the signed index entry";
}

}  // namespace kaappi
