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
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/file_io.h"
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

struct EnvelopeInfo {
  std::string path;
  std::string problem;  // empty when the envelope can be taken in
  EnvelopeParts parts;
  std::optional<Station> station;
  std::string original_name;
  std::int64_t pages = 0;  // as the station claims; ingest counts them itself
  std::int64_t scanned_at = 0;
  std::uint64_t plain_size = 0;
  std::string content_hash;  // hex
};

EnvelopeInfo inspect_envelope(Session& session, const std::string& path);

}  // namespace kaappi
