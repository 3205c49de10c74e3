// rejected_envelopes.cpp — see rejected_envelopes.h.
#include "intake/rejected_envelopes.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "base/error.h"
#include "base/file_io.h"
#include "base/file_kind.h"
#include "base/rejected_folder.h"
#include "format/envelope.h"
#include "format/station_metadata.h"
#include "intake/inbox.h"

namespace kaappi {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string> envelope_names(const Dir& folder) {
  DIR* dir = ::fdopendir(::fcntl(folder.fd(), F_DUPFD_CLOEXEC, 0));
  if (!dir) fail_errno("cannot read " + folder.path());
  ::rewinddir(dir);
  std::vector<std::string> out;
  while (dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name.empty() || name[0] == '.' || name.size() <= k_envelope_suffix.size() ||
        name.substr(name.size() - k_envelope_suffix.size()) != k_envelope_suffix)
      continue;
    out.push_back(std::move(name));
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end());
  return out;
}

// The scan's original file name, as the envelope's sealed metadata holds it.
// Throws (ErrorKind::rejected and others) when it cannot be opened.
std::string original_name(Session& session, const Dir& folder, const std::string& name) {
  Fd fd = folder.open_file(name, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.valid()) fail_errno("cannot open it");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno("cannot read it");
  if (!S_ISREG(st.st_mode)) fail(ErrorKind::rejected, std::string("it is ") + file_kind(st.st_mode) + ", not an envelope file");
  const EnvelopeParts parts = read_envelope_parts(fd.get(), name);
  if (parts.archive_id != session.archive().archive_id()) fail(ErrorKind::rejected, "it was sealed for another archive");
  if (parts.sealed_meta.size() <= crypto_box_SEALBYTES) fail(ErrorKind::rejected, "its metadata is damaged");
  std::optional<SecretBuffer> meta = session.secrets().open_sealed(parts.sealed_meta);
  if (!meta) fail(ErrorKind::rejected, "its metadata does not open with this archive's key");
  return parse_station_metadata(ByteView(meta->data(), meta->size())).file_name;
}

}  // namespace

bool file_name_names_number(std::string_view file_name, std::string_view number) {
  if (number.empty()) return false;
  for (std::size_t at = file_name.find(number); at != std::string_view::npos; at = file_name.find(number, at + 1)) {
    const bool starts = at == 0 || !word_char(file_name[at - 1]);
    const std::size_t end = at + number.size();
    const bool ends = end == file_name.size() || !word_char(file_name[end]);
    if (starts && ends) return true;
  }
  return false;
}

RejectedEnvelopes remove_rejected_envelopes(Session& session, const std::string& inbox, const std::string& number,
                                            bool dry_run) {
  RejectedEnvelopes out;
  try {
    if (!path_exists(inbox)) return out;
    Dir held = open_inbox(inbox);
    if (!held.has("rejected")) return out;
    Dir rejected = open_rejected_folder(held);
    for (const std::string& name : envelope_names(rejected)) {
      std::string file_name;
      try {
        file_name = original_name(session, rejected, name);
      } catch (const Error& e) {
        out.left.push_back(name + ": " + e.what());
        continue;
      }
      if (!file_name_names_number(file_name, number)) continue;
      try {
        if (!dry_run) {
          rejected.remove(name);
          rejected.remove(name + ".reason");
        }
        out.removed.push_back(name);
      } catch (const Error& e) {
        out.left.push_back(name + ": " + e.what());
      }
    }
    if (!dry_run && !out.removed.empty()) rejected.sync();
  } catch (const Error& e) {
    out.folder_problem = e.what();
  }
  return out;
}

}  // namespace kaappi
