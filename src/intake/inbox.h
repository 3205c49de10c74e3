// inbox.h — the envelopes waiting in an inbox, as the key holder sees them.
//
// inspect_envelope() checks one envelope without taking it in: its
// structure, that it is sealed for this archive, that its signer is a
// registered station that is not revoked, the station's signature, and that
// its sealed metadata opens and reads (format/station_metadata.h: bounded,
// strictly typed); it then reports the metadata (station, scan time, pages
// as the station counted them, original name). A problem is reported as a sentence, not
// thrown, so a listing shows every envelope. The blob itself is checked in
// full when it is taken in.
//
// An envelope still being written into the inbox (copied there slowly by cp
// or a share client, under its final name) is not refused: one that looks
// unfinished (format/envelope.h: envelope_looks_unfinished — what it holds
// is the start of an envelope, without its end) and was modified less than
// k_still_written_seconds ago is `being_written`, to be left in the inbox as
// it is; after that it is refused as truncated. The same grace, once, for
// ingest and --list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "base/file_version.h"
#include "store/session.h"
#include "format/envelope.h"
#include "intake/stations.h"

namespace kaappi {

// The default inbox: ARCHIVE/inbox.
std::string default_inbox(const Archive& archive);
// The inbox folder, held (never a link planted as the inbox); missing is
// ErrorKind::not_found.
Dir open_inbox(const std::string& inbox);
// The entries named like envelopes (*.kenv) in the held inbox, as paths in
// it, oldest first, whatever they are: a FIFO, a symbolic link or a folder of
// that name is listed too, for inspect_envelope to refuse by name. Ignores
// hidden names and the rejected/ folder.
std::vector<std::string> inbox_envelopes(const Dir& inbox);
// The same for the inbox at that path (opened by open_inbox).
std::vector<std::string> inbox_envelopes(const std::string& inbox);

// Opens an envelope file for reading: only a regular file, never through a
// symbolic link, never blocking (a FIFO, a device, a folder or a link of that
// name is refused, ErrorKind::rejected, saying what it is (base/file_kind.h),
// and not opened).
Fd open_envelope(const std::string& path);

// How long after its last modification an envelope that looks unfinished
// counts as still being written (README, "ingest").
inline constexpr std::int64_t k_still_written_seconds = 60;

struct EnvelopeInfo {
  std::string path;
  std::string problem;  // empty when the envelope can be taken in
  // The problem is that it looks unfinished, and it was modified less than
  // k_still_written_seconds ago: a writer is still at it. Leave it be.
  bool being_written = false;
  Fd fd;  // the file the checks read, held open (invalid when it was not opened): envelope_changed() looks at it
  FileVersion version;  // of that file, when it was opened
  EnvelopeParts parts;
  std::optional<Station> station;
  std::string original_name;
  std::int64_t pages = 0;  // as the station claims; ingest counts them itself
  std::int64_t scanned_at = 0;
  std::uint64_t plain_size = 0;
  std::string content_hash;  // hex
};

EnvelopeInfo inspect_envelope(Session& session, const std::string& path);

// Whether the envelope changed since it was inspected: the file held was
// written to (its size or time differ), or its name now holds another file
// (or none). A writer was still at it: it is neither taken in nor refused.
bool envelope_changed(const EnvelopeInfo& info);

}  // namespace kaappi
