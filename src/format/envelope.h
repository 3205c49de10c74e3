// envelope.h — a scan sealed by a scanning station for the archive
// (byte layout: docs/FORMAT.md "Envelope").
//
//   "KAAPPIE2" ‖ u32 header length ‖ header ‖ blob ‖ trailer ‖ signature ‖
//   u32 trailer length ‖ "KAAPPIE2"
//
// The header names the archive, the station's public key, the document uid
// and the document key sealed to the archive's X25519 key; the blob is in the
// archive's own blob format (so ingest needs no re-encryption); the trailer
// holds the metadata sealed to the archive (crypto_box_seal: original file
// name, pages, size, scan time, station, content hash), the blob's size and
// hash. The station signs "kaappi-envelope-v2" ‖ header ‖ trailer. Version 2
// (docs/FORMAT.md "Envelope, version 2") hashes with format 2's file hash;
// version 1 ("KAAPPIE1", "kaappi-envelope-v1") with BLAKE2b-256: it is still
// read, and written only to test that.
// Writing needs only public keys; what the station holds opens nothing.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/file_io.h"
#include "format/blob_format.h"
#include "format/public_key.h"
#include "format/station_key.h"

namespace kaappi {

enum class EnvelopeVersion : std::uint8_t { v1 = 1, v2 = 2 };
constexpr std::string_view k_envelope_magic = "KAAPPIE2";     // version 2, what kaappi-scan writes
constexpr std::string_view k_envelope_magic_v1 = "KAAPPIE1";  // version 1, still read
constexpr std::string_view k_envelope_suffix = ".kenv";

struct EnvelopeMeta {
  std::string file_name;  // original name, without folders; fits format/scan_file_name.h
  std::int64_t pages = 0;
  std::int64_t scanned_at = 0;  // Unix seconds
  std::string station;
  std::string pdf_json;  // the PDF helper's summary of the scan
};

struct SealedEnvelope {
  std::string path;  // in the inbox, named by a random id
  BlobDigest digest;
};

// Reads the PDF from in_fd and writes its envelope into `inbox` atomically
// (temp file, fsync, rename, folder fsync). Throws ErrorKind::rejected for a
// file larger than max_plain_size, and before writing anything for a file
// name that does not fit the rule ingest reads it by (scan_file_name.h).
// Whatever it throws, no envelope of it is left in the inbox (one already
// named whose folder could not be synced is removed again).
SealedEnvelope seal_envelope(int in_fd, const std::string& inbox, const ArchivePublicKey& archive,
                             const StationKey& station, const EnvelopeMeta& meta, std::uint64_t max_plain_size);
// The same with the document uid and the metadata text (made once the blob's
// digest is known) chosen by the caller: what any holder of a station key
// can send. seal_envelope() uses it; tests use it to forge envelopes (of
// either version). `metadata` is given the digest as the envelope signs it:
// for version 1 its content_hash and blob_hash are format 1's BLAKE2b.
SealedEnvelope seal_envelope_as(int in_fd, const std::string& inbox, const ArchivePublicKey& archive,
                                const StationKey& station, const Bytes& uid,
                                const std::function<std::string(const BlobDigest&)>& metadata,
                                std::uint64_t max_plain_size, EnvelopeVersion version = EnvelopeVersion::v2);

// seal_envelope's first half, for a batch (kaappi-scan FILE...): the
// envelope written whole to an unnamed temp file in `inbox` (where the file
// system has none, a hidden ".kaappi-tmp-" name there), neither durable nor
// named. The caller then calls file->sync() (fault point "envelope.fsync";
// any one thread), file->place(inbox, name) ("envelope.rename", never
// replacing a file), and fsyncs the inbox ("envelope.dirsync") before
// anything relies on it; a file placed whose inbox fsync then failed is the
// caller's to remove. Dropped before it is placed, nothing of it is left.
// Throws as seal_envelope does.
struct StagedEnvelope {
  std::string name;  // its name in the inbox, <32 random hex digits>.kenv
  BlobDigest digest;
  std::unique_ptr<AtomicFile> file;
};
StagedEnvelope stage_envelope(int in_fd, const Dir& inbox, const ArchivePublicKey& archive, const StationKey& station,
                              const EnvelopeMeta& meta, std::uint64_t max_plain_size);

// The parts of an envelope file, checked for structure only (not for who
// signed it, nor whether the blob opens).
struct EnvelopeParts {
  EnvelopeVersion version = EnvelopeVersion::v2;  // blob_hash (and the metadata's content_hash) are its hashes
  Bytes archive_id, station_pk, uid, sealed_key, sealed_meta, blob_hash, signature;
  std::uint64_t blob_offset = 0, blob_size = 0;
  Bytes signed_message;  // what the station signed
};
// Throws ErrorKind::rejected "not a kaappi envelope" / "truncated" naming `name`.
EnvelopeParts read_envelope_parts(int fd, const std::string& name);

// Whether the file looks like the start of an envelope still being written
// (copied into place by cp or a share client): what it holds so far is the
// start of an envelope's magic (or nothing at all), or it starts as an
// envelope does but is shorter than the smallest one or does not end with
// its magic. False for a file that can never become an envelope (it starts
// otherwise) and for one that ends as a whole envelope does. Whether it is
// still being written is the caller's to decide (intake/inbox.h).
bool envelope_looks_unfinished(int fd);

}  // namespace kaappi
