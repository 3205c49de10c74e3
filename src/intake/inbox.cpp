// inbox.cpp — see inbox.h.
#include "intake/inbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>

#include "base/clock.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/file_kind.h"
#include "format/station_metadata.h"

namespace kaappi {

std::string default_inbox(const Archive& archive) { return archive.root() + "/inbox"; }

Dir open_inbox(const std::string& inbox) {
  if (!path_exists(inbox)) fail(ErrorKind::not_found, "the inbox " + inbox + " does not exist");
  return Dir::open(inbox);
}

std::vector<std::string> inbox_envelopes(const std::string& inbox) { return inbox_envelopes(open_inbox(inbox)); }

std::vector<std::string> inbox_envelopes(const Dir& held) {
  DIR* dir = ::fdopendir(::fcntl(held.fd(), F_DUPFD_CLOEXEC, 0));
  if (!dir) fail_errno("cannot read the inbox " + held.path());
  std::vector<std::pair<std::int64_t, std::string>> found;
  while (dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name.empty() || name[0] == '.' || name.size() <= k_envelope_suffix.size() ||
        name.substr(name.size() - k_envelope_suffix.size()) != k_envelope_suffix)
      continue;
    struct stat st {};
    if (::fstatat(held.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
    found.emplace_back(static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                       held.path_of(name));
  }
  ::closedir(dir);
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

Fd open_envelope(const std::string& path) {
  const std::string name = base_name(path);
  auto refuse = [&](mode_t mode) {
    fail(ErrorKind::rejected, wrong_kind(name, mode, "an envelope file") + "; it was not opened");
  };
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) fail_errno("cannot open " + name);
  if (!S_ISREG(st.st_mode)) refuse(st.st_mode);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
  if (!fd.valid() && errno == ELOOP) refuse(S_IFLNK);
  if (!fd.valid()) fail_errno("cannot open " + name);
  if (::fstat(fd.get(), &st) != 0) fail_errno("cannot read " + name);
  if (!S_ISREG(st.st_mode)) refuse(st.st_mode);
  return fd;
}

EnvelopeInfo inspect_envelope(Session& session, const std::string& path) {
  EnvelopeInfo info;
  info.path = path;
  const std::string name = base_name(path);
  try {
    info.fd = open_envelope(path);
    struct stat st {};
    if (::fstat(info.fd.get(), &st) != 0) fail_errno("cannot read " + name);
    info.version = version_of(st);
    info.parts = read_envelope_parts(info.fd.get(), name);
    const EnvelopeParts& p = info.parts;
    if (p.archive_id != session.archive().archive_id())
      fail(ErrorKind::rejected, name + " was sealed for another archive");
    info.station = station_by_key(session, p.station_pk);
    if (!info.station)
      fail(ErrorKind::rejected, name + " comes from an unknown station (register it with kaappi station add)");
    if (info.station->revoked_at)
      fail(ErrorKind::rejected, name + " comes from station '" + info.station->name + "', which was revoked");
    if (!station_signature_ok(p.station_pk, p.signed_message, p.signature))
      fail(ErrorKind::rejected, name + " does not match its station's signature: it was altered");
    if (p.sealed_meta.size() <= crypto_box_SEALBYTES)
      fail(ErrorKind::rejected, name + " has damaged metadata");
    std::optional<SecretBuffer> opened = session.secrets().open_sealed(p.sealed_meta);
    if (!opened) fail(ErrorKind::rejected, name + "'s metadata does not open with this archive's key");
    const SecretBuffer& meta = *opened;
    std::string sealed_by;  // the station name the metadata holds
    try {
      StationMetadata m = parse_station_metadata(ByteView(meta.data(), meta.size()));
      sealed_by = m.station;
      info.original_name = m.file_name;
      info.pages = m.pages;
      info.scanned_at = m.scanned_at;
      info.plain_size = m.plain_size;
      info.content_hash = m.content_hash;
    } catch (const Error& e) {
      fail(ErrorKind::rejected, name + ": " + e.what());
    }
    // Another registered station's name sealed under this signature: one
    // station re-signed an envelope another sealed (it cannot alter the
    // sealed metadata), to pass the scan off as its own.
    if (sealed_by != info.station->name)
      for (const Station& other : list_stations(session))
        if (other.name == sealed_by && other.sign_pk != p.station_pk)
          fail(ErrorKind::rejected, name + " was sealed by station '" + sealed_by + "' but signed by station '" +
                                        info.station->name + "': one station re-signed another's envelope");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::rejected && e.kind() != ErrorKind::io) throw;
    info.problem = e.what();
    info.being_written = info.fd.valid() && envelope_looks_unfinished(info.fd.get()) &&
                         modified_within(info.version, system_clock().now(), k_still_written_seconds);
  }
  return info;
}

bool envelope_changed(const EnvelopeInfo& info) {
  struct stat held {}, named {};
  if (!info.fd.valid() || ::fstat(info.fd.get(), &held) != 0) return true;
  if (::lstat(info.path.c_str(), &named) != 0) return true;
  return !(version_of(held) == info.version) || !(version_of(named) == info.version);
}

}  // namespace kaappi
