// file_version.cpp — see file_version.h.
#include "base/file_version.h"

namespace kaappi {

FileVersion version_of(const struct stat& st) { return {st.st_dev, st.st_ino, st.st_size, st.st_mtim}; }

bool modified_within(const FileVersion& version, std::int64_t now, std::int64_t seconds) {
  const auto at = static_cast<std::int64_t>(version.mtime.tv_sec);
  return at > now - seconds && at <= now + seconds;
}

}  // namespace kaappi
