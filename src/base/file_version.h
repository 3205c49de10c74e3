// file_version.h — which version of a file a name held: the one rule by which
// kaappi-scan (a scan that changed while it was sealed) and ingest (an
// envelope that changed while it was read) tell that a file was written to
// meanwhile, and by which ingest tells that an envelope that looks unfinished
// is still being written (its last change recent). Plain values, no state.
#pragma once

#include <sys/stat.h>

#include <cstdint>

namespace kaappi {

// One version of a file: which file (device, inode) with which size and time.
struct FileVersion {
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = -1;
  timespec mtime{};
  bool operator==(const FileVersion& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
           mtime.tv_nsec == o.mtime.tv_nsec;
  }
};
FileVersion version_of(const struct stat& st);

// Whether the file was last modified (its mtime: every write moves it) less
// than `seconds` before `now` (Unix seconds), or at most `seconds` after it
// (a writer's clock a little ahead of ours). A time further ahead says
// nothing about a recent write: anyone can set it, and a file that claimed
// it would wait for ever.
bool modified_within(const FileVersion& version, std::int64_t now, std::int64_t seconds);

}  // namespace kaappi
