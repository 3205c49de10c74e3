// rclone_destination.h — a backup destination on an rclone remote
// ("rclone:REMOTE:PATH"), driven by running Debian's rclone with arguments
// (never through a shell). rclone's own configuration ($RCLONE_CONFIG, or
// ~/.config/rclone/rclone.conf) says what REMOTE is. Files that never change
// (blobs, a generation's index) are copied with --immutable, the manifest
// last; an rclone that fails names what it was doing and the first line of
// what rclone said.
#pragma once

#include <memory>
#include <string>

#include "backup/backup_destination.h"

namespace kaappi {

// `text` is "rclone:REMOTE:PATH". Throws ErrorKind::usage for anything else,
// ErrorKind::not_found when rclone is not installed.
std::unique_ptr<BackupDestination> open_rclone_destination(const std::string& text);

}  // namespace kaappi
