// config_file.h — the settings files of kaappi and kaappi-scan: plain
// `name = value` lines, so that the everyday commands need no options. The
// strict reader of such a file, and where each program's files are. Which
// value wins (an option, the environment, a file, a default) is decided by
// the front ends (frontend/settings.h); this file only reads.
//
// A settings file is text of at most 64 KiB, a regular file (never read
// through a link, never a FIFO or a folder). Each line is blank, a comment
// (its first character that is not blank is `#`) or `name = value`, blanks
// around the name and value ignored. Refused (ErrorKind::rejected, naming the
// file and line, never a value): a name not among the known ones (with the
// closest known name), a name given twice, a line with no `=`, no name or an
// empty value, bytes that are not UTF-8, control characters other than tabs.
// A value that starts with `~/` has the `~` replaced by $HOME.
// Pure functions apart from the reading; safe from any thread (they read
// the environment).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

inline constexpr std::size_t k_config_file_max_size = 64 * 1024;

// One value of a settings file, and where it was written.
struct ConfigSetting {
  std::string value;
  std::string file;
  int line = 0;
  std::string origin() const { return file + ":" + std::to_string(line); }  // "FILE:LINE"
};

// The settings of one or more files, by name.
using ConfigSettings = std::map<std::string, ConfigSetting>;

// The text of the file `path` (used in messages and in each setting), read
// by the rules above; `known` are the names the program knows.
ConfigSettings parse_config_text(std::string_view text, const std::string& path, const std::vector<std::string>& known);

// What a missing file is: no settings (the usual places), or an error
// (ErrorKind::not_found: a file named by an environment variable).
enum class IfMissing { no_settings, fail };

// The file at `path`, read and parsed by the rules above.
ConfigSettings read_config_file(const std::string& path, const std::vector<std::string>& known, IfMissing if_missing);

// `over`'s settings replace those of `base` by the same name (a user's file
// over the system's).
void override_settings(ConfigSettings& base, const ConfigSettings& over);

// A user's settings file of `program`: $XDG_CONFIG_HOME/PROGRAM/config (when
// XDG_CONFIG_HOME is an absolute path), else ~/.config/PROGRAM/config; empty
// when HOME is not set either.
std::string user_config_path(const std::string& program);

}  // namespace kaappi
